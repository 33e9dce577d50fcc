@grant-table
Feature: Grant-table size, frames and version
  grant_table_op(cmd, uop, count). query_size and setup_table take count = 1, otherwise -EINVAL.
  Errors other than a faulting struct go into the struct's status as GNTST codes. setup_table with
  nr_frames above max_nr_grant_frames (32) gives GNTST_general_error; its frame_list receives gmfns,
  which for a translated guest mean something once the frames are mapped with add_to_physmap.
  set_version takes 1 or 2 (else -EINVAL); get_version reports it (§12.3, §11.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub

  @spec-12.3
  Scenario: query_size reports the default maximum of 32 frames
    When the guest calls grant_table_op (20) with GNTTABOP_query_size (6), count 1, and this gnttab_query_size:
      | dom | 0x7FF0 |
    Then the call returns 0
    And the gnttab_query_size the guest got back has status = 0
    And the gnttab_query_size the guest got back has max_nr_frames = 32

  @spec-12.3
  Scenario: query_size of an unknown domain is GNTST_bad_domain in the struct
    When the guest calls grant_table_op (20) with GNTTABOP_query_size (6), count 1, and this gnttab_query_size:
      | dom | 0x1234 |
    Then the call returns 0
    And the gnttab_query_size the guest got back has status = GNTST_bad_domain (-2)

  @spec-12.3
  Scenario: query_size with a count other than 1 is -EINVAL
    When the guest calls grant_table_op (20) with GNTTABOP_query_size (6), count 2, and this gnttab_query_size:
      | dom | 0x7FF0 |
    Then the call returns -EINVAL (-22)

  @spec-12.3
  Scenario: An unreadable gnttab_query_size is -EFAULT
    When the guest calls grant_table_op (20) with GNTTABOP_query_size (6) and an unmapped argument pointer, count 1
    Then the call returns -EFAULT (-14)

  @spec-12.3 @spec-11.3
  Scenario: setup_table lists the gfn at which the guest mapped its grant frame
    When the guest calls memory_op (12) with XENMEM_add_to_physmap (7) and this xen_add_to_physmap:
      | domid | 0x7FF0                      |
      | space | XENMAPSPACE_grant_table (1) |
      | idx   | 0                           |
      | gpfn  | 0x2400                      |
    And the guest calls grant_table_op (20) with GNTTABOP_setup_table (2), count 1, and this gnttab_setup_table:
      | dom        | 0x7FF0  |
      | nr_frames  | 1       |
      | frame_list | &buffer |
    Then the call returns 0
    And the gnttab_setup_table the guest got back has status = 0
    And the guest reads entry 0 of its frame list as 0x2400

  @spec-12.3
  Scenario: setup_table for more than 32 frames is GNTST_general_error
    When the guest calls grant_table_op (20) with GNTTABOP_setup_table (2), count 1, and this gnttab_setup_table:
      | dom        | 0x7FF0  |
      | nr_frames  | 33      |
      | frame_list | &buffer |
    Then the call returns 0
    And the gnttab_setup_table the guest got back has status = GNTST_general_error (-1)

  @spec-12.3
  Scenario: setup_table of an unknown domain is GNTST_bad_domain
    When the guest calls grant_table_op (20) with GNTTABOP_setup_table (2), count 1, and this gnttab_setup_table:
      | dom        | 0x1234  |
      | nr_frames  | 1       |
      | frame_list | &buffer |
    Then the call returns 0
    And the gnttab_setup_table the guest got back has status = GNTST_bad_domain (-2)

  @spec-12.3
  Scenario: setup_table with an unwritable frame_list reports GNTST_bad_virt_addr in the struct
    When the guest calls grant_table_op (20) with GNTTABOP_setup_table (2), count 1, and this gnttab_setup_table:
      | dom        | 0x7FF0   |
      | nr_frames  | 1        |
      | frame_list | unmapped |
    Then the call returns 0
    And the gnttab_setup_table the guest got back has status = GNTST_bad_virt_addr (-5)

  @spec-12.3
  Scenario: setup_table with a count other than 1 is -EINVAL
    When the guest calls grant_table_op (20) with GNTTABOP_setup_table (2), count 2, and this gnttab_setup_table:
      | dom        | 0x7FF0  |
      | nr_frames  | 1       |
      | frame_list | &buffer |
    Then the call returns -EINVAL (-22)

  @spec-12.3
  Scenario: An unreadable gnttab_setup_table is -EFAULT
    When the guest calls grant_table_op (20) with GNTTABOP_setup_table (2) and an unmapped argument pointer, count 1
    Then the call returns -EFAULT (-14)

  @spec-12.3
  Scenario: A fresh domain's grant table is version 1
    When the guest calls grant_table_op (20) with GNTTABOP_get_version (10), count 1, and this gnttab_get_version:
      | dom | 0x7FF0 |
    Then the call returns 0
    And the gnttab_get_version the guest got back has version = 1

  @spec-12.3
  Scenario: set_version to 1 succeeds and reports the version in force
    When the guest calls grant_table_op (20) with GNTTABOP_set_version (8), count 1, and this gnttab_set_version:
      | version | 1 |
    Then the call returns 0
    And the gnttab_set_version the guest got back has version = 1

  @spec-12.3
  Scenario: set_version to 3 is -EINVAL
    When the guest calls grant_table_op (20) with GNTTABOP_set_version (8), count 1, and this gnttab_set_version:
      | version | 3 |
    Then the call returns -EINVAL (-22)

  @spec-12.3
  Scenario: get_version of an unknown domain is -ESRCH
    When the guest calls grant_table_op (20) with GNTTABOP_get_version (10), count 1, and this gnttab_get_version:
      | dom | 0x1234 |
    Then the call returns -ESRCH (-3)

  @spec-12.3
  Scenario: An unreadable gnttab_set_version is -EFAULT
    When the guest calls grant_table_op (20) with GNTTABOP_set_version (8) and an unmapped argument pointer, count 1
    Then the call returns -EFAULT (-14)

  @spec-2.2 @spec-12.3
  Scenario Outline: <op> is not available to a PVH guest
    When the guest calls grant_table_op (20) with <op>, count 1, and this gnttab_query_size:
      | dom | 0x7FF0 |
    Then the call returns -ENOSYS (-38)

    Examples:
      | op                              |
      | GNTTABOP_dump_table (3)         |
      | GNTTABOP_transfer (4)           |
      | GNTTABOP_unmap_and_replace (7)  |
      | GNTTABOP_get_status_frames (9)  |
