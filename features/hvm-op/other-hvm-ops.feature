@hvm-op
Feature: The rest of hvm_op for a PVHv1 guest
  Most HVM operations mean nothing to a PVH domain: they answer -EINVAL, or -ENOSYS when
  unknown. HVMOP_get_time is allowed and gives Xen's system time in ns (§2.2).

  Background:
    Given a PVH guest running the agent stub

  @spec-2.2
  Scenario: HVMOP_get_time writes Xen's system time, which advances
    When the guest calls hvm_op (34) with HVMOP_get_time (10) and a zeroed xen_hvm_get_time
    Then the call returns 0
    And the xen_hvm_get_time the guest got back has now > 0
    When the guest calls hvm_op (34) with HVMOP_get_time (10) and a zeroed xen_hvm_get_time
    Then the xen_hvm_get_time the guest got back has a later now than the previous call gave

  @spec-2.2
  Scenario: HVMOP_get_time to an unwritable buffer is -EFAULT
    When the guest calls hvm_op (34) with HVMOP_get_time (10) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-2.2
  Scenario: HVMOP_flush_tlbs with a NULL argument is -EINVAL, because the domain is not HVM
    When the guest calls hvm_op (34) with HVMOP_flush_tlbs (5) and a NULL argument
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: HVMOP_flush_tlbs with an argument is -ENOSYS
    When the guest calls hvm_op (34) with HVMOP_flush_tlbs (5) and a non-NULL argument
    Then the call returns -ENOSYS (-38)

  @spec-2.2
  Scenario: HVMOP_pagetable_dying is -EINVAL
    When the guest calls hvm_op (34) with HVMOP_pagetable_dying (9) and this xen_hvm_pagetable_dying:
      | domid | 0x7FF0 |
      | gpa   | 0      |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: HVMOP_get_mem_type is -EINVAL
    When the guest calls hvm_op (34) with HVMOP_get_mem_type (15) and this xen_hvm_get_mem_type:
      | domid | 0x7FF0 |
      | pfn   | 0      |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: An unknown hvm_op is -ENOSYS
    When the guest calls hvm_op (34) through its hypercall page with the arguments (0x7F, NULL)
    Then the call returns -ENOSYS (-38)
