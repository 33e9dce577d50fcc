@time
Feature: VCPUOP timers deliver VIRQ_TIMER, and there is no default tick
  A PVHv1 guest has no emulated timers and no default periodic tick (§7.1). VCPUOP_set_singleshot_timer
  (8) takes {timeout_abs_ns, flags} and works only on the calling vCPU (-EINVAL otherwise); with
  VCPU_SSHOTTMR_future (1) a deadline already passed is -ETIME (62). VCPUOP_set_periodic_timer (6)
  refuses a period below 1 ms or above 2^62 − 1 with -EINVAL. Both fire VIRQ_TIMER (0), a per-vCPU VIRQ
  (§8.1, §10.2). A deadline already passed without the flag fires at once.

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub
    And vCPU 0 has disabled interrupts
    And the guest has set its callback vector to 0xF3
    And the guest has bound EVTCHNOP_bind_virq (1) with virq = 0, vcpu = 0 as port timer

  @spec-8.1
  Scenario: A singleshot timer wakes the vCPU blocked in HLT with VIRQ_TIMER
    When vCPU 0 sets its singleshot timer 50000 ns after now with flags 0
    Then the call returns 0
    When vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile
    When vCPU 0 consumes its events with the 2-level loop
    Then the loop on vCPU 0 handled exactly the ports timer

  @spec-12.1
  Scenario: SCHEDOP_block sleeps until VIRQ_TIMER kicks the vCPU, and clears evtchn_upcall_mask
    When the guest sets evtchn_upcall_mask of vCPU 0 to 1
    And vCPU 0 sets its singleshot timer 50000 ns after now with flags 0
    And vCPU 0 enables interrupts, blocks with SCHEDOP_block (1) and disables interrupts again
    Then the call returns 0
    And vCPU 0 took 1 upcall meanwhile
    And vCPU 0 sees evtchn_upcall_mask = 0

  @spec-8.1
  Scenario: A deadline already passed with VCPU_SSHOTTMR_future is -ETIME
    When vCPU 0 sets its singleshot timer 1000 ns before now with flags 1
    Then the call returns -ETIME (-62)

  @spec-8.1
  Scenario: A deadline already passed without VCPU_SSHOTTMR_future fires at once
    When vCPU 0 sets its singleshot timer 1000 ns before now with flags 0
    Then the call returns 0
    And port timer is pending in shared_info

  @spec-8.1
  Scenario: A stopped singleshot timer does not fire
    When vCPU 0 sets its singleshot timer 50000 ns after now with flags 0
    And vCPU 0 calls VCPUOP_stop_singleshot_timer (9) on vCPU 0
    Then the call returns 0
    When vCPU 0 polls port timer with a timeout 200000 ns from now
    Then the poll returned no earlier than its timeout
    And port timer is not pending in shared_info

  @spec-8.1
  Scenario: The singleshot timer of another vCPU is -EINVAL
    When vCPU 0 calls VCPUOP_set_singleshot_timer (8) on vCPU 1 with timeout_abs_ns = 1, flags = 0
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: Stopping the singleshot timer of another vCPU is -EINVAL
    When vCPU 0 calls VCPUOP_stop_singleshot_timer (9) on vCPU 1
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: A periodic timer of 1 ms ticks again and again
    When vCPU 0 calls VCPUOP_set_periodic_timer (6) on vCPU 0 with period_ns = 1000000
    Then the call returns 0
    When vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile
    When vCPU 0 consumes its events with the 2-level loop
    And vCPU 0 waits for an upcall with STI and HLT
    Then vCPU 0 took 1 upcall meanwhile
    When vCPU 0 consumes its events with the 2-level loop
    Then the loop on vCPU 0 handled exactly the ports timer

  @spec-8.1
  Scenario: A stopped periodic timer ticks no more
    When vCPU 0 calls VCPUOP_set_periodic_timer (6) on vCPU 0 with period_ns = 1000000
    And vCPU 0 calls VCPUOP_stop_periodic_timer (7) on vCPU 0
    Then the call returns 0
    When vCPU 0 polls port timer with a timeout 3000000 ns from now
    Then the poll returned no earlier than its timeout
    And port timer is not pending in shared_info

  @spec-8.1
  Scenario Outline: A periodic timer of <period> ns is -EINVAL
    When vCPU 0 calls VCPUOP_set_periodic_timer (6) on vCPU 0 with period_ns = <period>
    Then the call returns -EINVAL (-22)

    Examples:
      | period             |
      | 0                  |
      | 999999             |
      | 0x4000000000000000 |

  @spec-8.1
  Scenario: An unreadable periodic timer argument is -EFAULT
    When vCPU 0 calls VCPUOP_set_periodic_timer (6) on vCPU 0 with an unmapped argument
    Then the call returns -EFAULT (-14)

  @spec-7.1
  Scenario: Without a timer set, no VIRQ_TIMER arrives
    When vCPU 0 polls port timer with a timeout 20000000 ns from now
    Then the call returns 0
    And the poll returned no earlier than its timeout
    And port timer is not pending in shared_info
