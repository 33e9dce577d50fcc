@memory-op
Feature: XENMEM_add_to_physmap places Xen's frames and the guest's own frames at a gfn
  Only translated guests may use add_to_physmap, and a PVHv1 guest is one. Space shared_info (0)
  with idx 0 maps the shared-info frame at gpfn; space grant_table (1) with idx below 32 grows the
  grant table to idx+1 frames and maps frame idx; space gmfn (2) moves the guest's own gfn idx to
  gpfn; gmfn_range (3) moves `size` pages with continuation; gmfn_foreign (4) is -ENOSYS (batch
  only). Any other space, or a bad idx, is -EINVAL. Whatever was at gpfn before is unmapped or
  freed first. An unreadable struct is -EFAULT, an unknown domain -ESRCH, another domain -EPERM
  (XSM_TARGET). Success returns 0 (§2.3, §11.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub

  @spec-11.3 @spec-9.2
  Scenario: shared_info can be mapped at a gfn of the guest's choosing
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_shared_info (0) |
      | idx   | 0                           |
      | gpfn  | 0x2400                      |
    Then the call returns 0
    When the guest maps gfn 0x2400 at its mapping window page 0
    Then the guest reads the byte 1 at offset 1 of its mapping window page 0

  @spec-11.3
  Scenario: shared_info with an idx other than 0 is -EINVAL
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_shared_info (0) |
      | idx   | 1                           |
      | gpfn  | 0x2400                      |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario: Mapping over a RAM gfn frees the page that was there
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_shared_info (0) |
      | idx   | 0                           |
      | gpfn  | 0x1800                      |
    Then the call returns 0
    And the guest's current_reservation is 8190

  @spec-11.3 @spec-12.3
  Scenario: A grant-table frame mapped with add_to_physmap shows the builder's seeded entries
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_grant_table (1) |
      | idx   | 0                           |
      | gpfn  | 0x2400                      |
    Then the call returns 0
    When the guest maps gfn 0x2400 at its mapping window page 0
    Then the guest reads the flags of grant entry 0 in window page 0 as GTF_permit_access (1)

  @spec-11.3 @spec-12.3
  Scenario: Mapping grant frame idx grows the table to idx+1 frames
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_grant_table (1) |
      | idx   | 9                           |
      | gpfn  | 0x2400                      |
    Then the call returns 0
    When the guest calls grant_table_op (20) with GNTTABOP_query_size (6), count 1, and this gnttab_query_size:
      | dom | 0x7FF0 |
    Then the call returns 0
    And the gnttab_query_size the guest got back has nr_frames = 10

  @spec-11.3
  Scenario: A grant-table idx at max_nr_grant_frames (32) is -EINVAL
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_grant_table (1) |
      | idx   | 32                          |
      | gpfn  | 0x2400                      |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario: gmfn moves one of the guest's own frames, contents and all
    When the guest maps gfn 0x1800 at its mapping window page 0
    And the guest writes 0x5A5A0000C3C3 at offset 0x100 of its mapping window page 0
    And the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0               |
      | space | XENMAPSPACE_gmfn (2) |
      | idx   | 0x1800               |
      | gpfn  | 0x2400               |
    Then the call returns 0
    And the guest's current_reservation is 8191
    When the guest maps gfn 0x2400 at its mapping window page 1
    Then the guest reads 0x5A5A0000C3C3 at offset 0x100 of its mapping window page 1

  @spec-11.3
  Scenario: gmfn leaves nothing behind at the old gfn
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0               |
      | space | XENMAPSPACE_gmfn (2) |
      | idx   | 0x1800               |
      | gpfn  | 0x2400               |
    And the guest calls memory_op (12) with XENMEM_remove_from_physmap (15) and this xen_remove_from_physmap:
      | domid | 0x7FF0 |
      | gpfn  | 0x1800 |
    Then the call returns -ENOENT (-2)

  @spec-11.3
  Scenario: gmfn naming a gfn with no page is -EINVAL
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0               |
      | space | XENMAPSPACE_gmfn (2) |
      | idx   | 0x2800               |
      | gpfn  | 0x2400               |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario: gmfn_range moves a range of pages
    When the guest maps gfn 0x1801 at its mapping window page 0
    And the guest writes 0x77 at offset 0 of its mapping window page 0
    And the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                     |
      | size  | 2                          |
      | space | XENMAPSPACE_gmfn_range (3) |
      | idx   | 0x1800                     |
      | gpfn  | 0x2400                     |
    Then the call returns 0
    When the guest maps gfn 0x2401 at its mapping window page 1
    Then the guest reads 0x77 at offset 0 of its mapping window page 1

  @spec-11.3 @spec-1.2
  Scenario: A long gmfn_range completes as one call from the guest's point of view
    When the guest maps gfn 0x18C7 at its mapping window page 0
    And the guest writes 0x1234 at offset 8 of its mapping window page 0
    And the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                     |
      | size  | 200                        |
      | space | XENMAPSPACE_gmfn_range (3) |
      | idx   | 0x1800                     |
      | gpfn  | 0x2400                     |
    Then the call returns 0
    And the guest's current_reservation is 8191
    When the guest maps gfn 0x24C7 at its mapping window page 1
    Then the guest reads 0x1234 at offset 8 of its mapping window page 1

  @spec-11.3
  Scenario: gmfn_foreign is -ENOSYS: it exists only in the batch call
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                       |
      | space | XENMAPSPACE_gmfn_foreign (4) |
      | idx   | 0x1800                       |
      | gpfn  | 0x2400                       |
    Then the call returns -ENOSYS (-38)

  @spec-11.3
  Scenario: An unknown space is -EINVAL
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0 |
      | space | 9      |
      | gpfn  | 0x2400 |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario: An unreadable xen_add_to_physmap is -EFAULT
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.3
  Scenario: An unknown domain is -ESRCH
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x1234                      |
      | space | XENMAPSPACE_shared_info (0) |
      | gpfn  | 0x2400                      |
    Then the call returns -ESRCH (-3)

  @spec-11.3 @spec-2.3 @two-domains
  Scenario: Another domain's physmap is -EPERM
    Given two PVH guests A and B running the agent stub
    When guest A calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | $domB                       |
      | space | XENMAPSPACE_shared_info (0) |
      | gpfn  | 0x1800                      |
    Then the call returns -EPERM (-1)
