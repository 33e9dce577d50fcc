package org.pvhconf.xen.abi;

/** {@code public/grant_table.h @ RELEASE-4.4.0} (§12.3). */
public final class GrantTable {
    private GrantTable() {
    }

    public static final int GNTTABOP_map_grant_ref = 0;
    public static final int GNTTABOP_unmap_grant_ref = 1;
    public static final int GNTTABOP_setup_table = 2;
    public static final int GNTTABOP_dump_table = 3;
    public static final int GNTTABOP_transfer = 4;
    public static final int GNTTABOP_copy = 5;
    public static final int GNTTABOP_query_size = 6;
    public static final int GNTTABOP_unmap_and_replace = 7;
    public static final int GNTTABOP_set_version = 8;
    public static final int GNTTABOP_get_status_frames = 9;
    public static final int GNTTABOP_get_version = 10;
    public static final int GNTTABOP_swap_grant_ref = 11;

    /** {@code grant_entry_v1} (8): flags u16 @0, domid u16 @2, frame u32 @4. */
    public static final int GRANT_ENTRY_V1_SIZE = 8;
    public static final int GRANT_ENTRY_flags = 0, GRANT_ENTRY_domid = 2, GRANT_ENTRY_frame = 4;
    /** v1 entries per 4 KiB grant frame. */
    public static final int ENTRIES_PER_FRAME_V1 = 4096 / GRANT_ENTRY_V1_SIZE;
    public static final int GTF_invalid = 0;
    public static final int GTF_permit_access = 1;
    public static final int GTF_accept_transfer = 2;
    public static final int GTF_transitive = 3;
    public static final int GTF_type_mask = 3;
    public static final int GTF_readonly = 1 << 2, GTF_reading = 1 << 3, GTF_writing = 1 << 4;
    public static final int GTF_PWT = 1 << 5, GTF_PCD = 1 << 6, GTF_PAT = 1 << 7;
    public static final int GTF_sub_page = 1 << 8;
    /** GNTTAB_NR_RESERVED_ENTRIES (§12.3). */
    public static final int GNTTAB_NR_RESERVED_ENTRIES = 8;

    /** GNTMAP flags (§12.3). */
    public static final int GNTMAP_device_map = 1 << 0, GNTMAP_host_map = 1 << 1, GNTMAP_readonly = 1 << 2,
            GNTMAP_application_map = 1 << 3, GNTMAP_contains_pte = 1 << 4, GNTMAP_can_fail = 1 << 5;

    /** {@code gnttab_setup_table} (24): dom u16 @0, nr_frames u32 @4, status i16 @8, frame_list @16. */
    public static final int SETUP_TABLE_SIZE = 24;
    public static final int SETUP_TABLE_dom = 0, SETUP_TABLE_nr_frames = 4, SETUP_TABLE_status = 8,
            SETUP_TABLE_frame_list = 16;
    /** {@code gnttab_map_grant_ref} (32). */
    public static final int MAP_GRANT_REF_SIZE = 32;
    public static final int MAP_host_addr = 0, MAP_flags = 8, MAP_ref = 12, MAP_dom = 16, MAP_status = 18,
            MAP_handle = 20, MAP_dev_bus_addr = 24;
    /** {@code gnttab_unmap_grant_ref} (24). */
    public static final int UNMAP_GRANT_REF_SIZE = 24;
    public static final int UNMAP_host_addr = 0, UNMAP_dev_bus_addr = 8, UNMAP_handle = 16, UNMAP_status = 20;
    /** {@code gnttab_copy} (40): source @0 and dest @16 = {ref/gmfn @0, domid u16 @8, offset u16 @10}. */
    public static final int COPY_SIZE = 40;
    public static final int COPY_source = 0, COPY_dest = 16, COPY_PTR_u = 0, COPY_PTR_domid = 8,
            COPY_PTR_offset = 10, COPY_len = 32, COPY_flags = 34, COPY_status = 36;
    public static final int GNTCOPY_source_gref = 1 << 0, GNTCOPY_dest_gref = 1 << 1;
    /** {@code gnttab_swap_grant_ref} (12): ref_a u32 @0, ref_b u32 @4, status i16 @8. */
    public static final int SWAP_GRANT_REF_SIZE = 12;
    public static final int GNTTAB_RESERVED_CONSOLE = 0;
    public static final int GNTTAB_RESERVED_XENSTORE = 1;

    /** {@code gnttab_query_size} (16): dom u16 @0, nr_frames u32 @4, max_nr_frames u32 @8, status i16 @12. */
    public static final int QUERY_SIZE_SIZE = 16;
    public static final int QUERY_SIZE_dom = 0, QUERY_SIZE_nr_frames = 4, QUERY_SIZE_max_nr_frames = 8,
            QUERY_SIZE_status = 12;
    /** {@code gnttab_set_version} (4) / {@code gnttab_get_version} (8: dom u16 @0, version u32 @4). */
    public static final int SET_VERSION_SIZE = 4, GET_VERSION_SIZE = 8;

    public static final int GNTST_okay = 0, GNTST_general_error = -1, GNTST_bad_domain = -2,
            GNTST_bad_gntref = -3, GNTST_bad_handle = -4, GNTST_bad_virt_addr = -5, GNTST_bad_dev_addr = -6,
            GNTST_no_device_space = -7, GNTST_permission_denied = -8, GNTST_bad_page = -9,
            GNTST_bad_copy_arg = -10, GNTST_address_too_big = -11, GNTST_eagain = -12;

    /** Default {@code max_nr_grant_frames} (§12.3). */
    public static final int MAX_NR_GRANT_FRAMES = 32;
    /**
     * Frames a new grant table starts with ({@code INITIAL_NR_GRANT_FRAMES}; not in pvh-abi.md, 4 is the
     * 4.4 value).
     */
    public static final int INITIAL_NR_GRANT_FRAMES = 4;
}
