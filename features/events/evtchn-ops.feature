@events
Feature: The 2-level event channel sub-operations and their errors
  event_channel_op (32) is unfiltered for PVH. Port 0 is reserved; a new port is the lowest free port
  at or above 1; ports 1 and 2 are the toolstack's xenstore and console ports (§6.2), so the guest's
  first port is 3. Each sub-op answers the errors §10.1 lists; an unreadable argument is -EFAULT and an
  unknown command -ENOSYS. A domain that never initialised FIFO gets what 4.4 answers without it:
  expand_array -ENOSYS, set_priority -ENOSYS on a valid port and -EINVAL on an invalid one (derived
  from event_fifo.c and event_channel.c at 4.4; §10.1 only says "FIFO only"). DOMID_SELF is 0x7FF0.

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub

  # ---- alloc_unbound (6) ----

  @spec-10.1
  Scenario: EVTCHNOP_alloc_unbound returns the lowest free port
    When the guest issues EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0
    Then the call returns 0
    And the guest reads back port = 3

  @spec-10.1
  Scenario: A closed port is the next one handed out again
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    And the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port b
    When the guest issues EVTCHNOP_close (3) with port = $a
    And the guest issues EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0
    Then the guest reads back port = port a

  @spec-10.1
  Scenario: EVTCHNOP_alloc_unbound for an unknown domain is -ESRCH
    When the guest issues EVTCHNOP_alloc_unbound (6) with dom = 0x1234, remote_dom = 0x7FF0
    Then the call returns -ESRCH (-3)

  # ---- bind_interdomain (0) ----

  @spec-10.1
  Scenario: EVTCHNOP_bind_interdomain connects to an unbound port and sets the new local port pending
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    When the guest binds EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = $a as port b
    Then port b is pending in shared_info
    And port a is not pending in shared_info

  @spec-10.1
  Scenario: Sending on one end of an interdomain channel raises the other end
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    And the guest has bound EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = $a as port b
    When the guest issues EVTCHNOP_send (4) with port = $b
    Then the call returns 0
    And port a is pending in shared_info

  @spec-10.1
  Scenario: EVTCHNOP_bind_interdomain to an unknown domain is -ESRCH
    When the guest issues EVTCHNOP_bind_interdomain (0) with remote_dom = 0x1234, remote_port = 1
    Then the call returns -ESRCH (-3)

  @spec-10.1
  Scenario: EVTCHNOP_bind_interdomain to a port that is not unbound is -EINVAL
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    When the guest issues EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = $a
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: EVTCHNOP_bind_interdomain to a port reserved for another domain is -EINVAL
    When the guest issues EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = 1
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: EVTCHNOP_bind_interdomain to an invalid port is -EINVAL
    When the guest issues EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = 4096
    Then the call returns -EINVAL (-22)

  # ---- bind_virq (1) ----

  @spec-10.1
  Scenario: EVTCHNOP_bind_virq binds VIRQ_TIMER on vCPU 1
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 1
    Then the call returns 0
    And the guest reads back port = 3

  @spec-10.1
  Scenario: Binding the same VIRQ twice on one vCPU is -EEXIST
    Given the guest has bound EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 0 as port t
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 0
    Then the call returns -EEXIST (-17)

  @spec-10.1
  Scenario: A per-vCPU VIRQ may be bound once on each vCPU
    Given the guest has bound EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 0 as port t
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 1
    Then the call returns 0

  @spec-10.2
  Scenario: A VIRQ number of 24 or more is -EINVAL
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 24, vcpu = 0
    Then the call returns -EINVAL (-22)

  @spec-10.2
  Scenario: A global VIRQ bound on a vCPU other than 0 is -EINVAL
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 16, vcpu = 1
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: A per-vCPU VIRQ on a vCPU the domain does not have is -ENOENT
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 2
    Then the call returns -ENOENT (-2)

  @spec-10.1
  Scenario: A global VIRQ moved with bind_vcpu still counts as bound on vCPU 0
    Given the guest has bound EVTCHNOP_bind_virq (1) with virq = 16, vcpu = 0 as port g
    When the guest issues EVTCHNOP_bind_vcpu (8) with port = $g, vcpu = 1
    Then the call returns 0
    When the guest issues EVTCHNOP_bind_virq (1) with virq = 16, vcpu = 0
    Then the call returns -EEXIST (-17)

  # ---- bind_pirq (2) ----

  @spec-10.1
  Scenario: EVTCHNOP_bind_pirq is -EPERM for a PVH guest
    When the guest issues EVTCHNOP_bind_pirq (2) with pirq = 1, flags = 0
    Then the call returns -EPERM (-1)

  # ---- close (3) ----

  @spec-10.1
  Scenario: EVTCHNOP_close frees the port and clears its pending bit
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    And the guest issues EVTCHNOP_send (4) with port = $a
    When the guest issues EVTCHNOP_close (3) with port = $a
    Then the call returns 0
    And port a is not pending in shared_info
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $a
    Then the guest reads back status = 0

  @spec-10.1
  Scenario: Closing one end of an interdomain channel makes the other end unbound
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    And the guest has bound EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = $a as port b
    When the guest issues EVTCHNOP_close (3) with port = $b
    And the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $a
    Then the guest reads back status = 1

  @spec-10.1
  Scenario Outline: Closing <what> is -EINVAL
    When the guest issues EVTCHNOP_close (3) with port = <port>
    Then the call returns -EINVAL (-22)

    Examples:
      | what                   | port |
      | the reserved port 0    | 0    |
      | a free port            | 100  |
      | a port beyond the 4096 | 4096 |

  # ---- send (4) ----

  @spec-10.1
  Scenario: EVTCHNOP_send on an IPI port marks that port pending
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    When the guest issues EVTCHNOP_send (4) with port = $a
    Then the call returns 0
    And port a is pending in shared_info

  @spec-10.1
  Scenario: EVTCHNOP_send on an unbound port is silently dropped
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    When the guest issues EVTCHNOP_send (4) with port = $a
    Then the call returns 0
    And port a is not pending in shared_info

  @spec-10.1
  Scenario: EVTCHNOP_send on a VIRQ port is -EINVAL
    Given the guest has bound EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 0 as port t
    When the guest issues EVTCHNOP_send (4) with port = $t
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario Outline: EVTCHNOP_send on <what> is -EINVAL
    When the guest issues EVTCHNOP_send (4) with port = <port>
    Then the call returns -EINVAL (-22)

    Examples:
      | what                | port |
      | the reserved port 0 | 0    |
      | a free port         | 100  |
      | an invalid port     | 4096 |

  # ---- status (5) ----

  @spec-10.1
  Scenario: EVTCHNOP_status reports an IPI port with its vCPU
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 1 as port a
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $a
    Then the call returns 0
    And the guest reads back status = 5
    And the guest reads back vcpu = 1

  @spec-10.1
  Scenario: EVTCHNOP_status reports a VIRQ port and its VIRQ
    Given the guest has bound EVTCHNOP_bind_virq (1) with virq = 16, vcpu = 0 as port g
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $g
    Then the guest reads back status = 4
    And the guest reads back virq = 16

  @spec-10.1
  Scenario: EVTCHNOP_status reports both ends of an interdomain channel
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    And the guest has bound EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = $a as port b
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $b
    Then the guest reads back status = 2
    And the guest reads back interdomain.port = port a

  @spec-10.1
  Scenario: The reserved port 0 reports closed
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = 0
    Then the call returns 0
    And the guest reads back status = 0

  @spec-10.1
  Scenario: EVTCHNOP_status of an invalid port is -EINVAL
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = 4096
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: EVTCHNOP_status of an unknown domain is -ESRCH
    When the guest issues EVTCHNOP_status (5) with dom = 0x1234, port = 1
    Then the call returns -ESRCH (-3)

  # ---- bind_ipi (7) ----

  @spec-10.1
  Scenario: EVTCHNOP_bind_ipi on a vCPU the domain does not have is -ENOENT
    When the guest issues EVTCHNOP_bind_ipi (7) with vcpu = 2
    Then the call returns -ENOENT (-2)

  # ---- bind_vcpu (8) ----

  @spec-10.1
  Scenario: EVTCHNOP_bind_vcpu moves an unbound port to vCPU 1
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    When the guest issues EVTCHNOP_bind_vcpu (8) with port = $a, vcpu = 1
    Then the call returns 0
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $a
    Then the guest reads back vcpu = 1

  @spec-10.1
  Scenario: EVTCHNOP_bind_vcpu of an IPI port is -EINVAL
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    When the guest issues EVTCHNOP_bind_vcpu (8) with port = $a, vcpu = 1
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: EVTCHNOP_bind_vcpu of a per-vCPU VIRQ port is -EINVAL
    Given the guest has bound EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 0 as port t
    When the guest issues EVTCHNOP_bind_vcpu (8) with port = $t, vcpu = 1
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: EVTCHNOP_bind_vcpu of a free port is -EINVAL
    When the guest issues EVTCHNOP_bind_vcpu (8) with port = 100, vcpu = 1
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: EVTCHNOP_bind_vcpu to a vCPU the domain does not have is -ENOENT
    When the guest issues EVTCHNOP_bind_vcpu (8) with port = 1, vcpu = 2
    Then the call returns -ENOENT (-2)

  # ---- unmask (9) ----

  @spec-10.1
  Scenario: EVTCHNOP_unmask of a valid port returns 0 and clears its mask bit
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    And the guest masks port a in shared_info
    When the guest issues EVTCHNOP_unmask (9) with port = $a
    Then the call returns 0

  @spec-10.1
  Scenario: EVTCHNOP_unmask of an invalid port is -EINVAL
    When the guest issues EVTCHNOP_unmask (9) with port = 4096
    Then the call returns -EINVAL (-22)

  # ---- reset (10) ----

  @spec-10.1
  Scenario: EVTCHNOP_reset closes every port of the domain
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port a
    When the guest issues EVTCHNOP_reset (10) with dom = 0x7FF0
    Then the call returns 0
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = $a
    Then the guest reads back status = 0
    When the guest issues EVTCHNOP_status (5) with dom = 0x7FF0, port = 1
    Then the guest reads back status = 0

  @spec-10.1
  Scenario: EVTCHNOP_reset of an unknown domain is -ESRCH
    When the guest issues EVTCHNOP_reset (10) with dom = 0x1234
    Then the call returns -ESRCH (-3)

  # ---- FIFO ops without FIFO ----

  @spec-10.1
  Scenario: EVTCHNOP_expand_array without FIFO is -ENOSYS
    When the guest issues EVTCHNOP_expand_array (12) with array_gfn = 0x100
    Then the call returns -ENOSYS (-38)

  @spec-10.1
  Scenario: EVTCHNOP_set_priority on a valid port without FIFO is -ENOSYS
    When the guest issues EVTCHNOP_set_priority (13) with port = 1, priority = 7
    Then the call returns -ENOSYS (-38)

  @spec-10.1
  Scenario: EVTCHNOP_set_priority on an invalid port is -EINVAL
    When the guest issues EVTCHNOP_set_priority (13) with port = 4096, priority = 7
    Then the call returns -EINVAL (-22)

  # ---- the call itself ----

  @spec-10.1
  Scenario: An unknown event_channel_op command is -ENOSYS
    When the guest issues event_channel_op (32) command 14 with a zeroed argument
    Then the call returns -ENOSYS (-38)

  @spec-10.1
  Scenario: An unreadable argument is -EFAULT
    When the guest issues EVTCHNOP_bind_ipi (7) with an unmapped argument
    Then the call returns -EFAULT (-14)
