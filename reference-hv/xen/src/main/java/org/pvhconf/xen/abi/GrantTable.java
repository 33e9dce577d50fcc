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
    public static final int GTF_permit_access = 1;
    public static final int GNTTAB_RESERVED_CONSOLE = 0;
    public static final int GNTTAB_RESERVED_XENSTORE = 1;

    /** {@code gnttab_query_size} (16): dom u16 @0, nr_frames u32 @4, max_nr_frames u32 @8, status i16 @12. */
    public static final int QUERY_SIZE_SIZE = 16;
    public static final int QUERY_SIZE_dom = 0, QUERY_SIZE_nr_frames = 4, QUERY_SIZE_max_nr_frames = 8,
            QUERY_SIZE_status = 12;
    /** {@code gnttab_set_version} (4) / {@code gnttab_get_version} (8: dom u16 @0, version u32 @4). */
    public static final int SET_VERSION_SIZE = 4, GET_VERSION_SIZE = 8;

    public static final int GNTST_okay = 0, GNTST_general_error = -1, GNTST_bad_domain = -2,
            GNTST_permission_denied = -8;

    /** Default {@code max_nr_grant_frames} (§12.3). */
    public static final int MAX_NR_GRANT_FRAMES = 32;
    /**
     * Frames a new grant table starts with ({@code INITIAL_NR_GRANT_FRAMES}; not in pvh-abi.md, 4 is the
     * 4.4 value).
     */
    public static final int INITIAL_NR_GRANT_FRAMES = 4;
}
