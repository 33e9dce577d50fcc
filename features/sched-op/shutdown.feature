@sched-op
Feature: A PVH guest shuts itself down with sched_op
  SCHEDOP_shutdown (2) takes {u32 reason}: poweroff 0, reboot 1, suspend 2, crash 3,
  watchdog 4. The value is truncated to u8 and not range-checked. A code recorded earlier with
  SCHEDOP_shutdown_code (5) takes precedence, and only the first recorded code counts (§12.1).
  The toolstack sees the reason.

  Background:
    Given a PVH guest running the agent stub

  @spec-12.1
  Scenario Outline: The shutdown reason <reason> reaches the toolstack
    When the guest calls sched_op (29) with SCHEDOP_shutdown (2) and this sched_shutdown:
      | reason | <code> |
    Then the toolstack sees the domain shut down with reason <reason> (<code>)

    Examples:
      | reason   | code |
      | poweroff | 0    |
      | reboot   | 1    |
      | suspend  | 2    |
      | crash    | 3    |
      | watchdog | 4    |

  @spec-12.1
  Scenario: The reason is truncated to 8 bits
    When the guest calls sched_op (29) with SCHEDOP_shutdown (2) and this sched_shutdown:
      | reason | 0x103 |
    Then the toolstack sees the domain shut down with reason crash (3)

  @spec-12.1
  Scenario: A code recorded with SCHEDOP_shutdown_code takes precedence
    When the guest calls sched_op (29) with SCHEDOP_shutdown_code (5) and this sched_shutdown:
      | reason | 3 |
    Then the call returns 0
    When the guest calls sched_op (29) with SCHEDOP_shutdown (2) and this sched_shutdown:
      | reason | 0 |
    Then the toolstack sees the domain shut down with reason crash (3)

  @spec-12.1
  Scenario: Only the first recorded shutdown code counts
    When the guest calls sched_op (29) with SCHEDOP_shutdown_code (5) and this sched_shutdown:
      | reason | 1 |
    And the guest calls sched_op (29) with SCHEDOP_shutdown_code (5) and this sched_shutdown:
      | reason | 3 |
    And the guest calls sched_op (29) with SCHEDOP_shutdown (2) and this sched_shutdown:
      | reason | 0 |
    Then the toolstack sees the domain shut down with reason reboot (1)

  @spec-12.1
  Scenario: An unreadable shutdown argument is -EFAULT and the domain keeps running
    When the guest calls sched_op (29) with SCHEDOP_shutdown (2) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)
    And the guest is still running
