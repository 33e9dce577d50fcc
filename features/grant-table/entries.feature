@grant-table
Feature: Grant entries, the builder's seeds, swap and copy within one guest
  A v1 grant entry is {flags u16, domid u16, frame u32}; the frame is a gpfn for a translated
  granter. The builder seeds entry 0 (console) and entry 1 (xenstore) with GTF_permit_access, the
  backend domain (dom0) and the ring's gpfn (§6.2). swap_grant_ref exchanges two entries, with
  GNTST_bad_gntref for a ref beyond the table. copy moves bytes between gmfns of DOMID_SELF or
  granted refs, with a status per op: bytes beyond the page are GNTST_bad_copy_arg, a gmfn of
  another domain GNTST_permission_denied (§12.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub
    And the guest has mapped its grant frame 0 at gfn 0x2400 and at its mapping window page 0

  @spec-6.2
  Scenario: Entry 0 grants the console page to dom0
    Then the guest reads the flags of grant entry 0 in window page 0 as GTF_permit_access (1)
    And the guest reads grant entry 0 in window page 0 as domid 0 and the frame of its start_info.console.domU.mfn

  @spec-6.2
  Scenario: Entry 1 grants the xenstore page to dom0
    Then the guest reads the flags of grant entry 1 in window page 0 as GTF_permit_access (1)
    And the guest reads grant entry 1 in window page 0 as domid 0 and the frame of its start_info.store_mfn

  @spec-12.3
  Scenario: swap_grant_ref exchanges two entries
    When the guest writes grant entry 8 in window page 0: flags GTF_permit_access (1), domid 5, frame 0x1800
    And the guest writes grant entry 9 in window page 0: flags GTF_permit_access (1) | GTF_readonly (4), domid 6, frame 0x1801
    And the guest calls grant_table_op (20) with GNTTABOP_swap_grant_ref (11), count 1, and this gnttab_swap_grant_ref:
      | ref_a | 8 |
      | ref_b | 9 |
    Then the call returns 0
    And the gnttab_swap_grant_ref the guest got back has status = 0
    And the guest reads the flags of grant entry 8 in window page 0 as GTF_permit_access (1) | GTF_readonly (4)
    And the guest reads the flags of grant entry 9 in window page 0 as GTF_permit_access (1)

  @spec-12.3
  Scenario: swap_grant_ref of a ref beyond the table is GNTST_bad_gntref
    When the guest calls grant_table_op (20) with GNTTABOP_swap_grant_ref (11), count 1, and this gnttab_swap_grant_ref:
      | ref_a | 8       |
      | ref_b | 0x10000 |
    Then the call returns 0
    And the gnttab_swap_grant_ref the guest got back has status = GNTST_bad_gntref (-3)

  @spec-12.3
  Scenario: copy between two of the guest's own gmfns
    When the guest maps gfn 0x1800 at its mapping window page 1
    And the guest writes 0xC0FFEE at offset 0x40 of its mapping window page 1
    And the guest calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref    | 0x1800 |
      | source.domid  | 0x7FF0 |
      | source.offset | 0x40   |
      | dest.ref      | 0x1801 |
      | dest.domid    | 0x7FF0 |
      | dest.offset   | 0x80   |
      | len           | 8      |
    Then the call returns 0
    And the gnttab_copy the guest got back has status = 0
    When the guest maps gfn 0x1801 at its mapping window page 2
    Then the guest reads 0xC0FFEE at offset 0x80 of its mapping window page 2

  @spec-12.3
  Scenario: copy beyond the end of the page is GNTST_bad_copy_arg
    When the guest calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref    | 0x1800 |
      | source.domid  | 0x7FF0 |
      | source.offset | 0xFFC  |
      | dest.ref      | 0x1801 |
      | dest.domid    | 0x7FF0 |
      | len           | 8      |
    Then the call returns 0
    And the gnttab_copy the guest got back has status = GNTST_bad_copy_arg (-10)

  @spec-12.3
  Scenario: copy by gmfn naming another domain is GNTST_permission_denied
    When the guest calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref   | 0x1800 |
      | source.domid | 0      |
      | dest.ref     | 0x1801 |
      | dest.domid   | 0x7FF0 |
      | len          | 8      |
    Then the call returns 0
    And the gnttab_copy the guest got back has status = GNTST_permission_denied (-8)

  @spec-12.3
  Scenario: copy from a gmfn with no page is GNTST_bad_page
    When the guest calls grant_table_op (20) with GNTTABOP_copy (5), count 1, and this gnttab_copy:
      | source.ref   | 0x2800 |
      | source.domid | 0x7FF0 |
      | dest.ref     | 0x1801 |
      | dest.domid   | 0x7FF0 |
      | len          | 8      |
    Then the call returns 0
    And the gnttab_copy the guest got back has status = GNTST_bad_page (-9)

  @spec-12.3
  Scenario: An unreadable gnttab_copy is -EFAULT
    When the guest calls grant_table_op (20) with GNTTABOP_copy (5) and an unmapped argument pointer, count 1
    Then the call returns -EFAULT (-14)
