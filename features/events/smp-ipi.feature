@events
Feature: Events between the vCPUs of one domain
  One callback vector serves every vCPU, and each vCPU has its own evtchn_upcall_pending and
  evtchn_pending_sel: a port raises the upcall only on its notify vCPU, which is the vCPU named at
  bind time for IPIs and per-vCPU VIRQs (§3.3, §10.1, §10.3). Raising an event kicks a vCPU that
  blocks in HLT or SCHEDOP_block, and SCHEDOP_poll wakes when a polled port becomes pending (§12.1).

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub
    And vCPU 0 has disabled interrupts
    And the guest has set its callback vector to 0xF3
    And vCPU 0 has brought vCPU 1 up

  @spec-3.3
  Scenario: An IPI bound to vCPU 1 sets only vCPU 1's pending flag
    Given vCPU 1 has bound EVTCHNOP_bind_ipi (7) with vcpu = 1 as port to1
    When vCPU 0 issues EVTCHNOP_send (4) with port = $to1
    Then vCPU 1 sees evtchn_upcall_pending = 1
    And vCPU 0 sees evtchn_upcall_pending = 0
    And vCPU 1 sees bit 0 of evtchn_pending_sel set

  @spec-3.3
  Scenario: vCPU 1 waiting in HLT is woken by an IPI from vCPU 0 and both exchange IPIs
    Given vCPU 1 has bound EVTCHNOP_bind_ipi (7) with vcpu = 1 as port to1
    And the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port to0
    When vCPU 0 issues EVTCHNOP_send (4) with port = $to1
    And vCPU 1 waits for an upcall with STI and HLT
    Then vCPU 1 took 1 upcall meanwhile
    When vCPU 1 consumes its events with the 2-level loop
    Then the loop on vCPU 1 handled exactly the ports to1
    When vCPU 1 issues EVTCHNOP_send (4) with port = $to0
    And vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile
    When vCPU 0 consumes its events with the 2-level loop
    Then the loop on vCPU 0 handled exactly the ports to0

  @spec-10.1
  Scenario: EVTCHNOP_bind_vcpu moves an unbound port's notifications to vCPU 1
    Given the guest has bound EVTCHNOP_alloc_unbound (6) with dom = 0x7FF0, remote_dom = 0x7FF0 as port a
    And the guest has bound EVTCHNOP_bind_interdomain (0) with remote_dom = 0x7FF0, remote_port = $a as port b
    When vCPU 0 consumes its events with the 2-level loop
    And the guest issues EVTCHNOP_bind_vcpu (8) with port = $a, vcpu = 1
    Then the call returns 0
    When vCPU 0 issues EVTCHNOP_send (4) with port = $b
    Then vCPU 1 sees evtchn_upcall_pending = 1
    And vCPU 0 sees evtchn_upcall_pending = 0

  @spec-12.1
  Scenario: SCHEDOP_poll on vCPU 1 blocks until vCPU 0 raises the polled port
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port p
    When vCPU 1 starts polling port p without a timeout
    And the toolstack lets the machine run 100000 guest instructions
    And vCPU 0 reads the runstate of vCPU 1
    Then the runstate read is blocked (2)
    When vCPU 0 issues EVTCHNOP_send (4) with port = $p
    Then the poll of vCPU 1 completes
    And the call returns 0
