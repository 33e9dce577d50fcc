@memory-op
Feature: XENMEM_add_to_physmap_batch reports one result per entry
  add_to_physmap_batch writes a result per entry into errs[]; gmfn_range is -EOPNOTSUPP for the
  whole call, and a foreign mapping on x86 4.4 is -EINVAL per entry (§11.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub

  @spec-11.3
  Scenario: A batch of grant-table frames maps each one and reports 0 for each
    Given the guest's extent list holds the gfns (0, 1)
    And the guest's gpfn list holds the gfns (0x2400, 0x2401)
    And the guest's buffer is filled with 0x5555555555555555
    When the guest calls memory_op (12) with XENMEM_add_to_physmap_batch (23) and this xen_add_to_physmap_batch:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_grant_table (1) |
      | size  | 2                           |
      | idxs  | &extents                    |
      | gpfns | &gpfns                      |
      | errs  | &buffer                     |
    Then the call returns 0
    And the guest reads errs[0] as 0
    And the guest reads errs[1] as 0

  @spec-11.3
  Scenario: A foreign batch entry is -EINVAL on x86 4.4
    Given the guest's extent list holds the gfns (0x1800)
    And the guest's gpfn list holds the gfns (0x2400)
    When the guest calls memory_op (12) with XENMEM_add_to_physmap_batch (23) and this xen_add_to_physmap_batch:
      | domid | 0x7FF0                       |
      | space | XENMAPSPACE_gmfn_foreign (4) |
      | size  | 1                            |
      | idxs  | &extents                     |
      | gpfns | &gpfns                       |
      | errs  | &buffer                      |
    Then the call returns 0
    And the guest reads errs[0] as -EINVAL (-22)

  @spec-11.3
  Scenario: gmfn_range in a batch is -EOPNOTSUPP
    When the guest calls memory_op (12) with XENMEM_add_to_physmap_batch (23) and this xen_add_to_physmap_batch:
      | domid | 0x7FF0                     |
      | space | XENMAPSPACE_gmfn_range (3) |
      | size  | 1                          |
    Then the call returns -EOPNOTSUPP (-95)
