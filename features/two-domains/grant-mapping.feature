@two-domains @grant-table
Feature: One guest maps a page another guest granted it
  Guest A grants a page by writing a v1 entry {GTF_permit_access [| GTF_readonly], B's domid, the
  page's gpfn} into a grant frame it mapped with add_to_physmap. Guest B, a translated mapper,
  calls map_grant_ref with host_addr = a guest-physical address: Xen puts A's frame into B's p2m at
  that gfn. flags must be exactly GNTMAP_host_map, optionally with GNTMAP_readonly. A writable
  mapping of a read-only grant, or an entry that names another grantee, is refused
  (GNTST_general_error in 4.4); a ref beyond A's table is GNTST_bad_gntref, an unknown domain
  GNTST_bad_domain, flags without host_map or device_map GNTST_bad_gntref. While mapped the entry
  carries GTF_reading (and GTF_writing for a writable mapping); unmap clears them (§12.3).

  Background:
    Given two PVH guests A and B running the agent stub
    And guest A has mapped its grant frame 0 at gfn 0x1F00 and at its mapping window page 0
    And guest A maps gfn 0x1800 at its mapping window page 1
    And guest A writes 0xA5A5A5A5 at offset 0x10 of its mapping window page 1

  @spec-12.3
  Scenario: B maps A's grant at a guest-physical address and reads what A wrote
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    Then the call returns 0
    And the gnttab_map_grant_ref the guest got back has status = 0
    When guest B maps gfn 0x2400 at its mapping window page 0
    Then guest B reads 0xA5A5A5A5 at offset 0x10 of its mapping window page 0

  @spec-12.3
  Scenario: A write through B's writable mapping lands in A's page
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    And guest B maps gfn 0x2400 at its mapping window page 0
    And guest B writes 0xB0B0 at offset 0x18 of its mapping window page 0
    Then guest A reads 0xB0B0 at offset 0x18 of its mapping window page 1

  @spec-12.3
  Scenario: While B maps the grant, A sees GTF_reading and GTF_writing; unmap clears them
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    And guest B keeps handle of the gnttab_map_grant_ref as $handle
    Then guest A reads the flags of grant entry 8 in window page 0 as GTF_permit_access (1) | GTF_reading (8) | GTF_writing (16)
    When guest B calls grant_table_op (20) with GNTTABOP_unmap_grant_ref (1), count 1, and this gnttab_unmap_grant_ref:
      | host_addr | 0x2400000 |
      | handle    | $handle   |
    Then the call returns 0
    And the gnttab_unmap_grant_ref the guest got back has status = 0
    And guest A reads the flags of grant entry 8 in window page 0 as GTF_permit_access (1)

  @spec-12.3
  Scenario: A read-only grant maps read-only and is readable, with GTF_reading only
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1) | GTF_readonly (4), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000                                 |
      | flags     | GNTMAP_host_map (2) \| GNTMAP_readonly (4) |
      | ref       | 8                                         |
      | dom       | $domA                                     |
    Then the gnttab_map_grant_ref the guest got back has status = 0
    And guest A reads the flags of grant entry 8 in window page 0 as GTF_permit_access (1) | GTF_readonly (4) | GTF_reading (8)
    When guest B maps gfn 0x2400 at its mapping window page 0
    Then guest B reads 0xA5A5A5A5 at offset 0x10 of its mapping window page 0

  @spec-12.3
  Scenario: A writable mapping of a read-only grant is refused
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1) | GTF_readonly (4), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    Then the call returns 0
    And the gnttab_map_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: A write through a read-only grant mapping faults with #GP and never reaches the granter's page
    Xen 4.4's nested page-fault handler injects #GP(0) for a write to a read-only grant mapping
    (derived from hvm_hap_nested_page_fault; the domain keeps running).
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1) | GTF_readonly (4), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000                                 |
      | flags     | GNTMAP_host_map (2) \| GNTMAP_readonly (4) |
      | ref       | 8                                         |
      | dom       | $domA                                     |
    And guest B maps gfn 0x2400 at its mapping window page 0
    And guest B writes 0xBAD at offset 0x10 of its mapping window page 0
    Then the write faults in the guest with exception 13 (#GP) and error code 0
    And guest B is still running
    And guest A reads 0xA5A5A5A5 at offset 0x10 of its mapping window page 1

  @spec-12.3
  Scenario: An entry that names another grantee is refused
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domA, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: An entry that is not GTF_permit_access is refused
    When guest A writes grant entry 8 in window page 0: flags 0, domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: A translated mapper may not ask for anything but host_map and readonly
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000                                |
      | flags     | GNTMAP_host_map (2) \| GNTMAP_can_fail (32) |
      | ref       | 8                                        |
      | dom       | $domA                                    |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: A device mapping is refused for a translated mapper
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000                                  |
      | flags     | GNTMAP_host_map (2) \| GNTMAP_device_map (1) |
      | ref       | 8                                          |
      | dom       | $domA                                      |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: Cache attributes in the grant entry are refused
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1) | GTF_PCD (64), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: A ref beyond the granter's table is GNTST_bad_gntref
    When guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 0x100000             |
      | dom       | $domA                |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_bad_gntref (-3)

  @spec-12.3
  Scenario: An unknown granter is GNTST_bad_domain
    When guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | 0x1234               |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_bad_domain (-2)

  @spec-12.3
  Scenario: A map without host_map or device_map is GNTST_bad_gntref
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_readonly (4)  |
      | ref       | 8                    |
      | dom       | $domA                |
    Then the gnttab_map_grant_ref the guest got back has status = GNTST_bad_gntref (-3)

  @spec-12.3
  Scenario: Unmapping a handle that was never given out is GNTST_bad_handle
    When guest B calls grant_table_op (20) with GNTTABOP_unmap_grant_ref (1), count 1, and this gnttab_unmap_grant_ref:
      | host_addr | 0x2400000 |
      | handle    | 77        |
    Then the call returns 0
    And the gnttab_unmap_grant_ref the guest got back has status = GNTST_bad_handle (-4)

  @spec-12.3
  Scenario: Unmapping at a host_addr where the grant is not mapped is GNTST_general_error
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    And guest B keeps handle of the gnttab_map_grant_ref as $handle
    And guest B calls grant_table_op (20) with GNTTABOP_unmap_grant_ref (1), count 1, and this gnttab_unmap_grant_ref:
      | host_addr | 0x2500000 |
      | handle    | $handle   |
    Then the gnttab_unmap_grant_ref the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: B copies from A's granted page into its own gmfn
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1) | GTF_readonly (4), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref    | 8                        |
      | source.domid  | $domA                    |
      | source.offset | 0x10                     |
      | dest.ref      | 0x1800                   |
      | dest.domid    | 0x7FF0                   |
      | dest.offset   | 0x20                     |
      | len           | 8                        |
      | flags         | GNTCOPY_source_gref (1)  |
    Then the call returns 0
    And the gnttab_copy the guest got back has status = 0
    When guest B maps gfn 0x1800 at its mapping window page 0
    Then guest B reads 0xA5A5A5A5 at offset 0x20 of its mapping window page 0

  @spec-12.3
  Scenario: Copying into a read-only grant is refused
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1) | GTF_readonly (4), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref   | 0x1800                 |
      | source.domid | 0x7FF0                 |
      | dest.ref     | 8                      |
      | dest.domid   | $domA                  |
      | len          | 8                      |
      | flags        | GNTCOPY_dest_gref (2)  |
    Then the gnttab_copy the guest got back has status = GNTST_general_error (-1)
    And guest A reads 0xA5A5A5A5 at offset 0x10 of its mapping window page 1

  @spec-12.3
  Scenario: Copying from a grant that names another grantee is refused
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domA, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref   | 8                        |
      | source.domid | $domA                    |
      | dest.ref     | 0x1800                   |
      | dest.domid   | 0x7FF0                   |
      | len          | 8                        |
      | flags        | GNTCOPY_source_gref (1)  |
    Then the gnttab_copy the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: A mapped ref cannot be swapped: GNTST_eagain
    When guest A writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid $domB, frame 0x1800
    And guest B calls grant_table_op (20) with GNTTABOP_map_grant_ref (0), count 1, and this gnttab_map_grant_ref:
      | host_addr | 0x2400000            |
      | flags     | GNTMAP_host_map (2)  |
      | ref       | 8                    |
      | dom       | $domA                |
    And guest A calls grant_table_op (20) with GNTTABOP_swap_grant_ref (11), count 1, and this gnttab_swap_grant_ref:
      | ref_a | 8 |
      | ref_b | 9 |
    Then the gnttab_swap_grant_ref the guest got back has status = GNTST_eagain (-12)

  @spec-12.3
  Scenario: Another domain's grant-table version is -EPERM
    When guest A calls grant_table_op (20) with GNTTABOP_get_version (10), count 1, and this gnttab_get_version:
      | dom | $domB |
    Then the call returns -EPERM (-1)

  @spec-12.3
  Scenario: Another domain's grant-table size is GNTST_permission_denied
    When guest A calls grant_table_op (20) with GNTTABOP_query_size (6), count 1, and this gnttab_query_size:
      | dom | $domB |
    Then the call returns 0
    And the gnttab_query_size the guest got back has status = GNTST_permission_denied (-8)
