@sched-op
Feature: HLT on a secondary vCPU, and SCHEDOP_remote_shutdown
  HLT with RFLAGS.IF = 0 takes that vCPU offline; the domain shuts down only when every vCPU is
  offline (§7.1). SCHEDOP_remote_shutdown (4) looks the domain up by id (DOMID_SELF is not
  translated, so it is -ESRCH) and then needs XSM_DM_PRIV, which an unprivileged guest does not have,
  even over itself: -EPERM (§12.1, §2.3). The first domain the toolstack builds here is domid 1.

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub

  @spec-7.1
  Scenario: HLT with interrupts disabled takes vCPU 1 offline and the domain keeps running
    Given vCPU 0 has brought vCPU 1 up
    When vCPU 1 disables interrupts and executes HLT
    And vCPU 0 calls VCPUOP_is_up (3) on vCPU 1
    Then the call returns 0
    And the guest is still running

  @spec-12.1
  Scenario: SCHEDOP_remote_shutdown of the guest's own domain is -EPERM
    When the guest issues SCHEDOP_remote_shutdown (4) with domain_id = 1, reason = 0
    Then the call returns -EPERM (-1)
    And the guest is still running

  @spec-12.1
  Scenario: SCHEDOP_remote_shutdown names DOMID_SELF, which it does not translate: -ESRCH
    When the guest issues SCHEDOP_remote_shutdown (4) with domain_id = 0x7FF0, reason = 0
    Then the call returns -ESRCH (-3)

  @spec-12.1
  Scenario: SCHEDOP_remote_shutdown of an unknown domain is -ESRCH
    When the guest issues SCHEDOP_remote_shutdown (4) with domain_id = 0x1234, reason = 0
    Then the call returns -ESRCH (-3)
