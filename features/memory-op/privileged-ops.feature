@memory-op
Feature: claim_pages and the PoD target check their argument before privilege
  claim_pages: -EFAULT for an unreadable argument; -EINVAL unless extent_start is NULL, extent_order
  is 0 and mem_flags is 0; -EINVAL if domid names no existing domain (DOMID_SELF is not translated);
  only then -EPERM for a domU. set_pod_target and get_pod_target: -EFAULT or -ESRCH first, then
  -EPERM (§11.3).

  Background:
    Given a PVH guest running the agent stub

  @spec-11.3
  Scenario: claim_pages on the guest's own domid is -EPERM
    When the guest calls memory_op (12) with XENMEM_claim_pages (24) and this xen_memory_reservation:
      | nr_extents | 16 |
      | domid      | 1  |
    Then the call returns -EPERM (-1)

  @spec-11.3
  Scenario: claim_pages with DOMID_SELF is -EINVAL, because DOMID_SELF is not translated
    When the guest calls memory_op (12) with XENMEM_claim_pages (24) and this xen_memory_reservation:
      | nr_extents | 16     |
      | domid      | 0x7FF0 |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario Outline: claim_pages with <field> set is -EINVAL
    When the guest calls memory_op (12) with XENMEM_claim_pages (24) and this xen_memory_reservation:
      | <field> | <value> |
      | domid   | 1       |
    Then the call returns -EINVAL (-22)

    Examples:
      | field        | value    |
      | extent_start | &extents |
      | extent_order | 1        |
      | mem_flags    | 1        |

  @spec-11.3
  Scenario: An unreadable claim is -EFAULT
    When the guest calls memory_op (12) with XENMEM_claim_pages (24) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.3
  Scenario Outline: <op> on the guest itself is -EPERM
    When the guest calls memory_op (12) with <op> and this xen_pod_target:
      | domid | 0x7FF0 |
    Then the call returns -EPERM (-1)

    Examples:
      | op                         |
      | XENMEM_set_pod_target (16) |
      | XENMEM_get_pod_target (17) |

  @spec-11.3
  Scenario: get_pod_target of an unknown domain is -ESRCH
    When the guest calls memory_op (12) with XENMEM_get_pod_target (17) and this xen_pod_target:
      | domid | 0x1234 |
    Then the call returns -ESRCH (-3)

  @spec-11.3
  Scenario: An unreadable xen_pod_target is -EFAULT
    When the guest calls memory_op (12) with XENMEM_set_pod_target (16) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)
