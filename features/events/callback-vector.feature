@events
Feature: The callback vector delivers the event upcall through the guest's own IDT
  A PVHv1 guest sets HVM_PARAM_CALLBACK_IRQ to type 2 (vector) with the vector in bits 7:0 (§3.2).
  When an event becomes deliverable to a vCPU, Xen sets that vCPU's evtchn_upcall_pending and, on
  every VM entry while the flag stays set, injects the vector as an external interrupt through the
  guest's native IDT, but only while RFLAGS.IF = 1 and outside an STI or MOV SS shadow. Injecting
  does not clear the flag, so the vector comes again until the guest clears it; there is no EOI.
  evtchn_upcall_mask is not consulted. One vector serves the whole domain; each vCPU has its own
  pending flag (§3.3). Ports 1 and 2 are the toolstack's xenstore and console ports (§6.2), so the
  guest's first port is 3 (§10.1).

  Background:
    Given a PVH guest running the agent stub
    And vCPU 0 has disabled interrupts
    And the guest has set its callback vector to 0xF3
    And the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port ipi

  @spec-3.3
  Scenario: No upcall is injected while RFLAGS.IF is 0
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 spins 3000 turns with RFLAGS.IF as it is
    Then vCPU 0 took 0 upcalls meanwhile
    And vCPU 0 sees evtchn_upcall_pending = 1

  @spec-3.3
  Scenario: The upcall pending while IF was 0 arrives once the guest enables interrupts
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 1 upcall meanwhile
    And the last interrupt vCPU 0 took came through IDT vector 0xF3

  @spec-3.3
  Scenario: A blocked vCPU is woken by the upcall that arrives while it waits in HLT
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile

  @spec-3.3
  Scenario: The vector is injected again while evtchn_upcall_pending stays set
    Given the interrupt handler of vCPU 0 leaves evtchn_upcall_pending set for 2 upcalls
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 3 upcalls meanwhile

  @spec-3.3
  Scenario: Once the handler clears evtchn_upcall_pending no further upcall comes
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 0 upcalls meanwhile

  @spec-3.3
  Scenario: evtchn_upcall_mask set to 1 does not hold the upcall back
    When the guest sets evtchn_upcall_mask of vCPU 0 to 1
    And the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 1 upcall meanwhile

  @spec-3.3
  Scenario: With evtchn_upcall_mask set to 1, HLT is still woken by the upcall
    When the guest sets evtchn_upcall_mask of vCPU 0 to 1
    And the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile

  @spec-10.3
  Scenario: A masked port raises no upcall, and EVTCHNOP_unmask delivers it
    When the guest masks port ipi in shared_info
    And the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 0 upcalls meanwhile
    And port ipi is pending in shared_info
    When the guest issues EVTCHNOP_unmask (9) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 1 upcall meanwhile

  @spec-10.3
  Scenario: Sending on a port that is already pending raises nothing new
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 consumes its events with the 2-level loop
    And the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 1 upcall meanwhile
    When the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 waits up to 3000 turns for an upcall with interrupts enabled
    Then vCPU 0 took 0 upcalls meanwhile

  @spec-10.3
  Scenario: The conventional consumer loop finds exactly the ports raised, lowest first
    Given the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port second
    When the guest issues EVTCHNOP_send (4) with port = $second
    And the guest issues EVTCHNOP_send (4) with port = $ipi
    And vCPU 0 consumes its events with the 2-level loop
    Then the loop on vCPU 0 handled exactly the ports ipi and second
    And port ipi is not pending in shared_info
    And vCPU 0 sees evtchn_upcall_pending = 0
