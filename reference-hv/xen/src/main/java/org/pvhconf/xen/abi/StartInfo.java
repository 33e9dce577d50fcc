package org.pvhconf.xen.abi;

/** {@code struct start_info} for x86_64 (§6.1), sizeof = 1168. */
public final class StartInfo {
    private StartInfo() {
    }

    public static final int SIZE = 1168;
    public static final int magic = 0;            // char[32]
    public static final int MAGIC_LEN = 32;
    public static final int nr_pages = 32;
    public static final int shared_info = 40;
    public static final int flags = 48;           // u32
    public static final int store_mfn = 56;
    public static final int store_evtchn = 64;    // u32
    public static final int console_domU_mfn = 72;
    public static final int console_domU_evtchn = 80; // u32
    public static final int pt_base = 88;
    public static final int nr_pt_frames = 96;
    public static final int mfn_list = 104;
    public static final int mod_start = 112;
    public static final int mod_len = 120;
    public static final int cmd_line = 128;       // int8[MAX_GUEST_CMDLINE]
    public static final int first_p2m_pfn = 1152;
    public static final int nr_p2m_frames = 1160;

    /** The guest type string of a 64-bit guest. */
    public static final String MAGIC_X86_64 = "xen-3.0-x86_64";

    public static final int SIF_PRIVILEGED = 1 << 0;
    public static final int SIF_INITDOMAIN = 1 << 1;
    public static final int SIF_MULTIBOOT_MOD = 1 << 2;
    public static final int SIF_MOD_START_PFN = 1 << 3;
    public static final int SIF_PM_MASK = 0xFF << 8;
}
