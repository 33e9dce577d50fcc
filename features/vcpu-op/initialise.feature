@vcpu-op
Feature: Bringing a secondary vCPU up with VCPUOP_initialise and VCPUOP_up
  For PVHv1, VCPUOP_initialise (0) takes a vcpu_guest_context (5168 bytes) and applies only flags,
  user_regs, debugreg and, the first time, ctrlreg[3] (§8.3). ctrlreg[0,1,2,4-7], ldt_base, ldt_ents,
  the user_regs selectors, kernel_ss, kernel_sp, gs_base_kernel, gdt_ents, fs_base and gs_base_user
  must be zero, otherwise -EINVAL. A second initialise is -EEXIST. VGCF_online marks the vCPU up at once;
  without it VCPUOP_up (1) is needed, and VCPUOP_up on a vCPU never initialised is -EINVAL (§8.1).
  The new vCPU starts with the VMCS defaults of §7.1: CR0 0x80000011, CR4 0x20, EFER 0x501, GDTR and
  IDTR empty, and RIP, RSP, RFLAGS and the other registers from user_regs (RFLAGS bit 1 forced).

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub

  @spec-8.3
  Scenario: vCPU 0 initialises vCPU 1 and brings it up, and vCPU 1 runs the agent
    When vCPU 0 initialises vCPU 1 at the agent's AP entry point
    Then the call returns 0
    When vCPU 0 brings vCPU 1 up with VCPUOP_up
    Then the call returns 0
    And vCPU 1 runs the agent
    When vCPU 0 calls VCPUOP_is_up (3) on vCPU 1
    Then the call returns 1

  @spec-8.3
  Scenario: An initialised vCPU without VGCF_online does not run before VCPUOP_up
    When vCPU 0 initialises vCPU 1 at the agent's AP entry point
    Then vCPU 1 has not run
    When vCPU 0 calls VCPUOP_is_up (3) on vCPU 1
    Then the call returns 0

  @spec-8.3
  Scenario: VGCF_online brings the vCPU up without VCPUOP_up
    When vCPU 0 initialises vCPU 1 at the agent's AP entry point with flags = 0x20
    Then the call returns 0
    And vCPU 1 runs the agent

  @spec-8.3
  Scenario: The secondary vCPU starts with the §7.1 control registers and the registers of user_regs
    Given vCPU 0 has brought vCPU 1 up
    Then vCPU 1 saw CR0 = 0x80000011 at its entry point
    And vCPU 1 saw CR4 = 0x20 at its entry point
    And vCPU 1 saw EFER = 0x501 at its entry point
    And vCPU 1 saw RFLAGS = 0x2 at its entry point
    And vCPU 1 saw RBX = 0x5EC0DA7A00000001 at its entry point
    And vCPU 1 saw the CR3 of vCPU 0 at its entry point

  @spec-8.3
  Scenario: RFLAGS bit 1 is forced on even when user_regs.rflags has it clear
    When vCPU 0 initialises vCPU 1 at the agent's AP entry point with user_regs.rflags = 0, flags = 0x20
    Then vCPU 1 runs the agent
    And vCPU 1 saw RFLAGS = 0x2 at its entry point

  @spec-8.3
  Scenario: A second VCPUOP_initialise of the same vCPU is -EEXIST
    Given vCPU 0 has brought vCPU 1 up
    When vCPU 0 initialises vCPU 1 at the agent's AP entry point
    Then the call returns -EEXIST (-17)

  @spec-8.1
  Scenario: VCPUOP_up on a vCPU that was never initialised is -EINVAL
    When vCPU 0 brings vCPU 1 up with VCPUOP_up
    Then the call returns -EINVAL (-22)

  @spec-8.3
  Scenario Outline: A context with <field> not zero is -EINVAL
    When vCPU 0 initialises vCPU 1 at the agent's AP entry point with <field> = <value>
    Then the call returns -EINVAL (-22)
    When vCPU 0 calls VCPUOP_is_up (3) on vCPU 1
    Then the call returns 0

    Examples:
      | field          | value      |
      | ctrlreg[0]     | 0x80000011 |
      | ctrlreg[4]     | 0x20       |
      | ldt_base       | 0x1000     |
      | gdt_ents       | 3          |
      | kernel_sp      | 0x1000     |
      | fs_base        | 0x1000     |
      | gs_base_kernel | 0x1000     |
      | user_regs.cs   | 0x8        |
      | user_regs.ss   | 0x10       |

  @spec-8.1
  Scenario: VCPUOP_initialise of a vCPU the domain does not have is -ENOENT
    When vCPU 0 initialises vCPU 2 at the agent's AP entry point
    Then the call returns -ENOENT (-2)

  @spec-8.1
  Scenario: VCPUOP_down takes vCPU 1 offline and VCPUOP_up brings it back
    Given vCPU 0 has brought vCPU 1 up
    When vCPU 0 calls VCPUOP_down (2) on vCPU 1
    Then the call returns 0
    When vCPU 0 calls VCPUOP_is_up (3) on vCPU 1
    Then the call returns 0
    When vCPU 0 reads the runstate of vCPU 1
    Then the runstate read is offline (3)
    When vCPU 0 brings vCPU 1 up with VCPUOP_up
    Then the call returns 0
    And vCPU 1 runs the agent
