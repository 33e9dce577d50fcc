package org.pvhconf.xen.abi;

/** {@code public/elfnote.h}: Xen ELF note types (§5.2). Notes are named "Xen". */
public final class ElfNote {
    private ElfNote() {
    }

    public static final String XEN_NOTE_NAME = "Xen";

    public static final int XEN_ELFNOTE_INFO = 0;
    public static final int XEN_ELFNOTE_ENTRY = 1;
    public static final int XEN_ELFNOTE_HYPERCALL_PAGE = 2;
    public static final int XEN_ELFNOTE_VIRT_BASE = 3;
    public static final int XEN_ELFNOTE_PADDR_OFFSET = 4;
    public static final int XEN_ELFNOTE_XEN_VERSION = 5;
    public static final int XEN_ELFNOTE_GUEST_OS = 6;
    public static final int XEN_ELFNOTE_GUEST_VERSION = 7;
    public static final int XEN_ELFNOTE_LOADER = 8;
    public static final int XEN_ELFNOTE_PAE_MODE = 9;
    public static final int XEN_ELFNOTE_FEATURES = 10;
    public static final int XEN_ELFNOTE_BSD_SYMTAB = 11;
    public static final int XEN_ELFNOTE_HV_START_LOW = 12;
    public static final int XEN_ELFNOTE_L1_MFN_VALID = 13;
    public static final int XEN_ELFNOTE_SUSPEND_CANCEL = 14;
    public static final int XEN_ELFNOTE_INIT_P2M = 15;
    public static final int XEN_ELFNOTE_MOD_START_PFN = 16;
    public static final int XEN_ELFNOTE_SUPPORTED_FEATURES = 17;
    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    public static final int XEN_ELFNOTE_PHYS32_RELOC = 19;

    /** §5.3: a FEATURES token longer than this is cut and the rest parsed as a further token. */
    public static final int FEATURE_TOKEN_MAX = 63;

    /**
     * libelf's {@code ELF_MAX_TOTAL_NOTE_COUNT} (§5.1 names the cap, not its value; 2048 is libelf's).
     */
    public static final int ELF_MAX_TOTAL_NOTE_COUNT = 2048;

    /** §5.2: the note types libelf 4.4 parses, and whether each is a string. */
    public static boolean isString(int type) {
        return type >= XEN_ELFNOTE_XEN_VERSION && type <= XEN_ELFNOTE_BSD_SYMTAB;
    }
}
