@hvm-op
Feature: HVM params for a PVHv1 guest: only HVM_PARAM_CALLBACK_IRQ
  A PVHv1 guest sets its event callback with hvm_op (34) HVMOP_set_param on
  HVM_PARAM_CALLBACK_IRQ (index 0), type 2 (vector) in bits 63:56. get_param returns the raw
  value stored. Every other index is -EINVAL for a PVH target; the checks run in the order:
  copy fault, index >= 32, unknown domid, not an HVM container, PVH and index != 0 (§2.2,
  §3.1, §3.2, §3.4).

  Background:
    Given a PVH guest running the agent stub

  @spec-3.2
  Scenario: The callback vector set with HVMOP_set_param reads back unchanged
    When the guest calls hvm_op (34) with HVMOP_set_param (0) and this xen_hvm_param:
      | domid | 0x7FF0             |
      | index | 0                  |
      | value | 0x02000000000000F3 |
    Then the call returns 0
    When the guest calls hvm_op (34) with HVMOP_get_param (1) and this xen_hvm_param:
      | domid | 0x7FF0 |
      | index | 0      |
    Then the call returns 0
    And the xen_hvm_param the guest got back has value = 0x02000000000000F3

  @spec-3.1
  Scenario: CALLBACK_IRQ reads as 0 before the guest sets it
    When the guest calls hvm_op (34) with HVMOP_get_param (1) and this xen_hvm_param:
      | domid | 0x7FF0 |
      | index | 0      |
    Then the call returns 0
    And the xen_hvm_param the guest got back has value = 0

  @spec-3.4
  Scenario Outline: HVM param <index> is -EINVAL for a PVHv1 guest, for get and for set
    When the guest calls hvm_op (34) with HVMOP_get_param (1) and this xen_hvm_param:
      | domid | 0x7FF0  |
      | index | <index> |
    Then the call returns -EINVAL (-22)
    When the guest calls hvm_op (34) with HVMOP_set_param (0) and this xen_hvm_param:
      | domid | 0x7FF0  |
      | index | <index> |
      | value | 1       |
    Then the call returns -EINVAL (-22)

    Examples:
      | index |
      | 1     |
      | 2     |
      | 17    |
      | 18    |
      | 31    |

  @spec-2.2
  Scenario: An index of 32 or more is -EINVAL before the domain is looked up
    When the guest calls hvm_op (34) with HVMOP_get_param (1) and this xen_hvm_param:
      | domid | 0x1234 |
      | index | 32     |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: An unknown domid is -ESRCH
    When the guest calls hvm_op (34) with HVMOP_get_param (1) and this xen_hvm_param:
      | domid | 0x1234 |
      | index | 0      |
    Then the call returns -ESRCH (-3)

  @spec-2.2
  Scenario: An unreadable xen_hvm_param is -EFAULT
    When the guest calls hvm_op (34) with HVMOP_set_param (0) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)
