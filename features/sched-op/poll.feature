@sched-op
Feature: SCHEDOP_poll
  SCHEDOP_poll (3) takes {ports, nr_ports, timeout}. More than 128 ports, or a port at or above the
  limit (4096 for 2-level), is -EINVAL; an unreadable port list is -EFAULT. It returns 0 at once when a
  listed port is already pending, whether or not the port is masked; otherwise the vCPU blocks until a
  listed port is raised or the absolute timeout (system time in ns; 0 = none) passes (§12.1, §10.3).

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub
    And the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port p

  @spec-12.1
  Scenario: A poll on a pending port returns at once
    Given the guest issues EVTCHNOP_send (4) with port = $p
    When vCPU 0 polls port p with a timeout 10000000 ns from now
    Then the call returns 0
    And the poll returned at once

  @spec-12.1
  Scenario: A poll on a masked pending port returns at once
    Given the guest masks port p in shared_info
    And the guest issues EVTCHNOP_send (4) with port = $p
    When vCPU 0 polls port p with a timeout 10000000 ns from now
    Then the call returns 0
    And the poll returned at once

  @spec-12.1
  Scenario: A poll with nothing pending returns when its timeout has passed
    When vCPU 0 polls port p with a timeout 1000000 ns from now
    Then the call returns 0
    And the poll returned no earlier than its timeout

  @spec-10.3
  Scenario: A poll is woken when another vCPU raises the polled port, even though it is masked
    Given vCPU 0 has brought vCPU 1 up
    And the guest masks port p in shared_info
    When vCPU 1 starts polling port p without a timeout
    And the toolstack lets the machine run 100000 guest instructions
    And vCPU 0 reads the runstate of vCPU 1
    Then the runstate read is blocked (2)
    When vCPU 0 issues EVTCHNOP_send (4) with port = $p
    Then the poll of vCPU 1 completes
    And the call returns 0

  @spec-12.1
  Scenario: A poll naming port 4096 is -EINVAL
    When vCPU 0 polls port number 4096
    Then the call returns -EINVAL (-22)

  @spec-12.1
  Scenario: A poll whose port list is unreadable is -EFAULT
    When the guest issues SCHEDOP_poll (3) with ports = 0x00007F0000000000, nr_ports = 1
    Then the call returns -EFAULT (-14)
