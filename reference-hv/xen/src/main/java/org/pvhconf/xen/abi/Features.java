package org.pvhconf.xen.abi;

/** {@code public/features.h}: XENFEAT bits (§4.1) and the names libelf parses in FEATURES (§5.3). */
public final class Features {
    private Features() {
    }

    public static final int XENFEAT_NR_SUBMAPS = 1;

    public static final int XENFEAT_writable_page_tables = 0;
    public static final int XENFEAT_writable_descriptor_tables = 1;
    public static final int XENFEAT_auto_translated_physmap = 2;
    public static final int XENFEAT_supervisor_mode_kernel = 3;
    public static final int XENFEAT_pae_pgdir_above_4gb = 4;
    public static final int XENFEAT_mmu_pt_update_preserve_ad = 5;
    public static final int XENFEAT_highmem_assist = 6;
    public static final int XENFEAT_gnttab_map_avail_bits = 7;
    public static final int XENFEAT_hvm_callback_vector = 8;
    public static final int XENFEAT_hvm_safe_pvclock = 9;
    public static final int XENFEAT_hvm_pirqs = 10;
    public static final int XENFEAT_dom0 = 11;

    /** The only names libelf 4.4 recognises in a FEATURES note, in bit order (§5.3). */
    public static final String[] ELF_FEATURE_NAMES = {
        "writable_page_tables", "writable_descriptor_tables", "auto_translated_physmap",
        "supervisor_mode_kernel", "pae_pgdir_above_4gb", "hvm_callback_vector", "dom0"};

    /** The bit of a recognised FEATURES name, or -1. */
    public static int elfFeatureBit(String name) {
        switch (name) {
            case "writable_page_tables": return XENFEAT_writable_page_tables;
            case "writable_descriptor_tables": return XENFEAT_writable_descriptor_tables;
            case "auto_translated_physmap": return XENFEAT_auto_translated_physmap;
            case "supervisor_mode_kernel": return XENFEAT_supervisor_mode_kernel;
            case "pae_pgdir_above_4gb": return XENFEAT_pae_pgdir_above_4gb;
            case "hvm_callback_vector": return XENFEAT_hvm_callback_vector;
            case "dom0": return XENFEAT_dom0;
            default: return -1;
        }
    }

    /** The XENFEAT name of a bit, for messages. */
    public static String name(int bit) {
        String[] all = {"writable_page_tables", "writable_descriptor_tables", "auto_translated_physmap",
            "supervisor_mode_kernel", "pae_pgdir_above_4gb", "mmu_pt_update_preserve_ad", "highmem_assist",
            "gnttab_map_avail_bits", "hvm_callback_vector", "hvm_safe_pvclock", "hvm_pirqs", "dom0"};
        return bit >= 0 && bit < all.length ? all[bit] : "bit" + bit;
    }

    /** §5.3: the libxc PVH builder requests exactly these four features of the kernel. */
    public static final String PVH_REQUESTED =
            "writable_descriptor_tables|auto_translated_physmap|supervisor_mode_kernel|hvm_callback_vector";

    /** §4.2: XENVER_get_features submap 0 for a PVHv1 domU: bits {0, 2, 3, 8, 9}. */
    public static final int PVH_DOMU_SUBMAP0 = (1 << XENFEAT_writable_page_tables)
            | (1 << XENFEAT_auto_translated_physmap) | (1 << XENFEAT_supervisor_mode_kernel)
            | (1 << XENFEAT_hvm_callback_vector) | (1 << XENFEAT_hvm_safe_pvclock);
}
