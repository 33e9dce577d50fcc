@memory-op
Feature: XENMEM_remove_from_physmap unmaps a gfn
  remove_from_physmap returns 0, or -ENOENT if the gpfn is not backed by a page. An unreadable
  struct is -EFAULT and an unknown domain -ESRCH (§11.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub

  @spec-11.3
  Scenario: A mapped grant frame is removed, and a second removal finds nothing
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_grant_table (1) |
      | idx   | 0                           |
      | gpfn  | 0x2400                      |
    And the guest calls memory_op (12) with XENMEM_remove_from_physmap (15) and this xen_remove_from_physmap:
      | domid | 0x7FF0 |
      | gpfn  | 0x2400 |
    Then the call returns 0
    When the guest calls memory_op (12) with XENMEM_remove_from_physmap (15) and this xen_remove_from_physmap:
      | domid | 0x7FF0 |
      | gpfn  | 0x2400 |
    Then the call returns -ENOENT (-2)

  @spec-11.3
  Scenario: A gfn with no page is -ENOENT
    When the guest calls memory_op (12) with XENMEM_remove_from_physmap (15) and this xen_remove_from_physmap:
      | domid | 0x7FF0 |
      | gpfn  | 0x2800 |
    Then the call returns -ENOENT (-2)

  @spec-11.3
  Scenario: An unreadable xen_remove_from_physmap is -EFAULT
    When the guest calls memory_op (12) with XENMEM_remove_from_physmap (15) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.3
  Scenario: An unknown domain is -ESRCH
    When the guest calls memory_op (12) with XENMEM_remove_from_physmap (15) and this xen_remove_from_physmap:
      | domid | 0x1234 |
      | gpfn  | 0x1800 |
    Then the call returns -ESRCH (-3)
