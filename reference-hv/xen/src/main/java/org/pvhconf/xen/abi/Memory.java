package org.pvhconf.xen.abi;

/** {@code public/memory.h @ RELEASE-4.4.0}: XENMEM sub-ops and structs (§11), E820 types (§6.2). */
public final class Memory {
    private Memory() {
    }

    public static final int XENMEM_increase_reservation = 0;
    public static final int XENMEM_decrease_reservation = 1;
    public static final int XENMEM_maximum_ram_page = 2;
    public static final int XENMEM_current_reservation = 3;
    public static final int XENMEM_maximum_reservation = 4;
    public static final int XENMEM_machphys_mfn_list = 5;
    public static final int XENMEM_populate_physmap = 6;
    public static final int XENMEM_add_to_physmap = 7;
    public static final int XENMEM_memory_map = 9;
    public static final int XENMEM_machine_memory_map = 10;
    public static final int XENMEM_exchange = 11;
    public static final int XENMEM_machphys_mapping = 12;
    public static final int XENMEM_set_memory_map = 13;
    public static final int XENMEM_maximum_gpfn = 14;
    public static final int XENMEM_remove_from_physmap = 15;
    public static final int XENMEM_set_pod_target = 16;
    public static final int XENMEM_get_pod_target = 17;
    public static final int XENMEM_get_sharing_freed_pages = 18;
    public static final int XENMEM_get_sharing_shared_pages = 19;
    public static final int XENMEM_paging_op = 20;
    public static final int XENMEM_access_op = 21;
    public static final int XENMEM_sharing_op = 22;
    public static final int XENMEM_add_to_physmap_batch = 23;
    public static final int XENMEM_claim_pages = 24;

    /** cmd = op | (start_extent << MEMOP_EXTENT_SHIFT) (§11.1). */
    public static final int MEMOP_EXTENT_SHIFT = 6;
    public static final int MEMOP_CMD_MASK = 0x3F;

    public static final int XENMAPSPACE_shared_info = 0;
    public static final int XENMAPSPACE_grant_table = 1;
    public static final int XENMAPSPACE_gmfn = 2;
    public static final int XENMAPSPACE_gmfn_range = 3;
    public static final int XENMAPSPACE_gmfn_foreign = 4;

    /** {@code xen_memory_map} (16): nr_entries u32 @0, buffer handle @8. */
    public static final int MEMORY_MAP_SIZE = 16;
    public static final int MEMORY_MAP_nr_entries = 0, MEMORY_MAP_buffer = 8;
    /** Packed e820 entry (20): addr u64 @0, size u64 @8, type u32 @16. */
    public static final int E820_ENTRY_SIZE = 20;
    public static final int E820_RAM = 1, E820_RESERVED = 2, E820_ACPI = 3, E820_NVS = 4, E820_UNUSABLE = 5;
    /** set_memory_map: at most this many entries (§11.3). */
    public static final int E820MAX = 128;

    /** {@code xen_memory_reservation} (32). */
    public static final int RESERVATION_SIZE = 32;
    public static final int RESERVATION_extent_start = 0, RESERVATION_nr_extents = 8,
            RESERVATION_extent_order = 16, RESERVATION_mem_flags = 20, RESERVATION_domid = 24;

    /** {@code xen_add_to_physmap} (24). */
    public static final int ADD_TO_PHYSMAP_SIZE = 24;
    public static final int ADD_TO_PHYSMAP_domid = 0, ADD_TO_PHYSMAP_size = 2, ADD_TO_PHYSMAP_space = 4,
            ADD_TO_PHYSMAP_idx = 8, ADD_TO_PHYSMAP_gpfn = 16;

    /** {@code xen_remove_from_physmap} (16): domid u16 @0, gpfn @8. */
    public static final int REMOVE_FROM_PHYSMAP_SIZE = 16;

    /** {@code xen_foreign_memory_map} (24): domid u16 @0, map @8. */
    public static final int FOREIGN_MEMORY_MAP_SIZE = 24;

    /** {@code xen_machphys_mapping} (24) and its 4.4 x86_64 values (§11.3). */
    public static final int MACHPHYS_MAPPING_SIZE = 24;
    public static final long MACH2PHYS_VIRT_START = 0xFFFF800000000000L;
    public static final long MACH2PHYS_VIRT_END = 0xFFFF804000000000L;
    public static final long MACHPHYS_MAX_MFN = 0x7FFFFFFFFL;

    /** XENMAPIDX_grant_table_status: OR-ed into idx to select grant-v2 status frames (§11.1). */
    public static final long XENMAPIDX_grant_table_status = 0x80000000L;

    /** XENMEMF (mem_flags, §11.1): address_bits in [7:0], populate_on_demand 1<<16. */
    public static final int XENMEMF_address_bits_mask = 0xFF;
    public static final int XENMEMF_populate_on_demand = 1 << 16;

    /** §11.3: extent orders up to this are allowed without I/O capabilities (multipage_allocation_permitted). */
    public static final int MAX_ORDER_WITHOUT_IO_CAPS = 9;

    /** {@code xen_foreign_memory_map} fields: domid u16 @0, map.nr_entries u32 @8, map.buffer @16. */
    public static final int FOREIGN_MEMORY_MAP_domid = 0, FOREIGN_MEMORY_MAP_nr_entries = 8,
            FOREIGN_MEMORY_MAP_buffer = 16;

    /** {@code xen_machphys_mfn_list} (24): max_extents u32 @0, extent_start @8, out nr_extents u32 @16. */
    public static final int MACHPHYS_MFN_LIST_SIZE = 24;
    public static final int MACHPHYS_MFN_LIST_max_extents = 0, MACHPHYS_MFN_LIST_extent_start = 8,
            MACHPHYS_MFN_LIST_nr_extents = 16;

    /** {@code xen_memory_exchange} (72): in @0, out @32 (reservations), nr_exchanged u64 @64. */
    public static final int MEMORY_EXCHANGE_SIZE = 72;
    public static final int MEMORY_EXCHANGE_in = 0, MEMORY_EXCHANGE_out = 32, MEMORY_EXCHANGE_nr_exchanged = 64;

    /**
     * {@code xen_pod_target} (40): target_pages @0, tot_pages @8, pod_cache_pages @16, pod_entries @24,
     * domid u16 @32. Not in pvh-abi.md; the layout of {@code public/memory.h @ RELEASE-4.4.0}.
     */
    public static final int POD_TARGET_SIZE = 40;
    public static final int POD_TARGET_domid = 32;

    /**
     * {@code xen_add_to_physmap_batch} (32): domid u16 @0, space u16 @2, size u16 @4, foreign_domid u16 @6,
     * idxs handle @8, gpfns handle @16, errs handle @24. Not in pvh-abi.md; the 4.4 layout of
     * {@code public/memory.h} (its foreign_domid sits in the padding).
     */
    public static final int ADD_TO_PHYSMAP_BATCH_SIZE = 32;
    public static final int ADD_TO_PHYSMAP_BATCH_domid = 0, ADD_TO_PHYSMAP_BATCH_space = 2,
            ADD_TO_PHYSMAP_BATCH_size = 4, ADD_TO_PHYSMAP_BATCH_idxs = 8, ADD_TO_PHYSMAP_BATCH_gpfns = 16,
            ADD_TO_PHYSMAP_BATCH_errs = 24;

    /** {@code INVALID_M2P_ENTRY} (~0UL): the gmfn of a frame that is mapped nowhere. Not in pvh-abi.md. */
    public static final long INVALID_M2P_ENTRY = -1L;

    /** §11.3: nr_extents above this returns start_extent. */
    public static final long MAX_NR_EXTENTS = (1L << 26) - 1;
}
