@vcpu-op
Feature: Two vCPUs come up, exchange IPIs through event channels, and one goes down again
  The SMP life cycle a PVH kernel goes through: vCPU 0 brings vCPU 1 up with VCPUOP_initialise
  and VCPUOP_up (§8.3), both bind IPIs (§10.1) and take them as upcalls on the domain's one callback
  vector (§3.3), and vCPU 1 then takes itself offline with VCPUOP_down (§8.1).

  @spec-8.3
  Scenario: vCPU 0 and vCPU 1 exchange IPIs, then vCPU 1 goes down
    Given a PVH guest with 2 vCPUs running the agent stub
    And vCPU 0 has disabled interrupts
    And the guest has set its callback vector to 0xF3
    And vCPU 0 has brought vCPU 1 up
    And vCPU 1 has bound EVTCHNOP_bind_ipi (7) with vcpu = 1 as port to1
    And the guest has bound EVTCHNOP_bind_ipi (7) with vcpu = 0 as port to0
    When vCPU 0 issues EVTCHNOP_send (4) with port = $to1
    And vCPU 1 waits for an upcall with STI and HLT
    Then vCPU 1 took 1 upcall meanwhile
    And the last interrupt vCPU 1 took came through IDT vector 0xF3
    When vCPU 1 issues EVTCHNOP_send (4) with port = $to0
    And vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile
    When vCPU 1 takes itself offline with VCPUOP_down (2)
    And vCPU 0 calls VCPUOP_is_up (3) on vCPU 1
    Then the call returns 0
    When vCPU 0 reads the runstate of vCPU 1
    Then the runstate read is offline (3)
    And the runstate read has spent time in running
