@vcpu-op
Feature: VCPUOP_is_up and the vCPU id checks common to every vcpu_op
  vcpu_op (24) is unfiltered for PVH (§2.1). Every sub-op first checks the vCPU id: below 0
  or at least MAX_VIRT_CPUS is -EINVAL, a vCPU the domain does not have is -ENOENT. An unknown
  command is -ENOSYS. VCPUOP_is_up answers 1 or 0 (§8.1).

  Background:
    Given a PVH guest with 2 vCPUs running the agent stub

  @spec-8.1
  Scenario: The boot vCPU is up
    When the guest calls vcpu_op (24) through its hypercall page with the arguments (VCPUOP_is_up (3), 0, NULL)
    Then the call returns 1

  @spec-8.1
  Scenario: A secondary vCPU that was never brought up is not up
    When the guest calls vcpu_op (24) through its hypercall page with the arguments (VCPUOP_is_up (3), 1, NULL)
    Then the call returns 0

  @spec-8.1
  Scenario: A vCPU the domain does not have is -ENOENT
    When the guest calls vcpu_op (24) through its hypercall page with the arguments (VCPUOP_is_up (3), 2, NULL)
    Then the call returns -ENOENT (-2)

  @spec-8.1
  Scenario: A negative vCPU id is -EINVAL
    When the guest calls vcpu_op (24) through its hypercall page with the arguments (VCPUOP_is_up (3), 0xFFFFFFFF, NULL)
    Then the call returns -EINVAL (-22)

  @spec-8.1
  Scenario: An unknown vcpu_op command is -ENOSYS
    When the guest calls vcpu_op (24) through its hypercall page with the arguments (0x40, 0, NULL)
    Then the call returns -ENOSYS (-38)
