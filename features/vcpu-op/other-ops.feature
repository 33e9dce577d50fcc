@vcpu-op
Feature: Runstate, vcpu_info registration, NMIs and physical ids
  VCPUOP_get_runstate_info (4) fills vcpu_runstate_info: state running 0, runnable 1, blocked 2,
  offline 3. VCPUOP_register_runstate_memory_area (5) takes a guest virtual address that Xen keeps
  up to date. VCPUOP_register_vcpu_info (10) moves vcpu_info to {gfn, offset}: an offset above
  4096 − 64, a second registration, or another vCPU that is not down is -EINVAL; on success
  evtchn_upcall_pending and every evtchn_pending_sel bit are set. VCPUOP_send_nmi (11) needs a NULL
  argument and delivers through IDT vector 2. VCPUOP_get_physid (12) is -EINVAL for a vCPU that is not
  pinned to one pCPU, which no vCPU of this reference is (§8.1, §7.1).

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub

  @spec-8.1
  Scenario: The calling vCPU reads its own runstate as running
    When vCPU 0 reads the runstate of vCPU 0
    Then the runstate read is running (0)
    And the runstate read has spent time in running

  @spec-8.1
  Scenario: A vCPU that was never brought up is offline
    When vCPU 0 reads the runstate of vCPU 1
    Then the runstate read is offline (3)

  @spec-8.1
  Scenario: A vCPU that is up and not running is runnable
    Given vCPU 0 has brought vCPU 1 up
    When vCPU 0 reads the runstate of vCPU 1
    Then the runstate read is runnable (1)
    And the runstate read has spent time in running

  @spec-8.1
  Scenario: An unwritable runstate buffer is -EFAULT
    When vCPU 0 calls VCPUOP_get_runstate_info (4) on vCPU 0 with an unmapped argument
    Then the call returns -EFAULT (-14)

  @spec-8.1
  Scenario: A registered runstate area shows the vCPU running
    When vCPU 0 registers its runstate area in a spare page of its own memory
    Then the call returns 0
    And vCPU 0 finds state = 0 in its runstate area
    And vCPU 0 finds state_entry_time in its runstate area not 0

  @spec-8.1
  Scenario: A registered vcpu_time_info area receives the time parameters
    When vCPU 0 calls VCPUOP_register_vcpu_time_memory_area (13) on vCPU 0 with addr = 0
    Then the call returns 0
    When vCPU 0 registers its vcpu_time_info area in a spare page of its own memory
    Then the call returns 0
    And vCPU 0 finds an even version and a non-zero tsc_to_system_mul in that area

  @spec-8.1
  Scenario: register_vcpu_info moves vcpu_info and forces a rescan
    When vCPU 0 registers the vcpu_info of vCPU 0 at offset 128 of a spare page
    Then the call returns 0
    And the vcpu_info at offset 128 of the spare page has evtchn_upcall_pending = 1 and every evtchn_pending_sel bit set

  @spec-8.1
  Scenario: A second register_vcpu_info is -EINVAL
    When vCPU 0 registers the vcpu_info of vCPU 0 at offset 128 of a spare page
    And vCPU 0 registers the vcpu_info of vCPU 0 at offset 256 of a spare page
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: register_vcpu_info with an offset past 4096 − 64 is -EINVAL
    When vCPU 0 registers the vcpu_info of vCPU 0 at offset 4033 of a spare page
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: register_vcpu_info for another vCPU that is up is -EINVAL
    Given vCPU 0 has brought vCPU 1 up
    When vCPU 0 registers the vcpu_info of vCPU 1 at offset 128 of a spare page
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: register_vcpu_info for another vCPU that is down succeeds
    When vCPU 0 registers the vcpu_info of vCPU 1 at offset 128 of a spare page
    Then the call returns 0

  @spec-8.1
  Scenario: VCPUOP_send_nmi to itself arrives through IDT vector 2
    When vCPU 0 sends itself an NMI with VCPUOP_send_nmi (11)
    Then vCPU 0 took an exception through IDT vector 2

  @spec-8.1
  Scenario: VCPUOP_send_nmi with a non-NULL argument is -EINVAL
    When vCPU 0 calls VCPUOP_send_nmi (11) on vCPU 0 with a non-NULL argument
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: VCPUOP_get_physid of a vCPU not pinned to one pCPU is -EINVAL
    When vCPU 0 calls VCPUOP_get_physid (12) on vCPU 0 with phys_id = 0
    Then the call returns -EINVAL (-22)
