package org.pvhconf.stubs.elf;

/**
 * The {@code XEN_ELFNOTE_*} note types (pvh-abi.md §5.2, {@code public/elfnote.h}), each with the
 * shape of its descriptor. Declared here rather than shared with the hypervisor so that a wrong
 * constant on one side cannot hide the same mistake on the other.
 */
public enum XenNoteType {
    INFO(0, Kind.NONE),
    ENTRY(1, Kind.NUMERIC),
    HYPERCALL_PAGE(2, Kind.NUMERIC),
    VIRT_BASE(3, Kind.NUMERIC),
    PADDR_OFFSET(4, Kind.NUMERIC),
    XEN_VERSION(5, Kind.STRING),
    GUEST_OS(6, Kind.STRING),
    GUEST_VERSION(7, Kind.STRING),
    LOADER(8, Kind.STRING),
    PAE_MODE(9, Kind.STRING),
    FEATURES(10, Kind.STRING),
    BSD_SYMTAB(11, Kind.STRING),
    HV_START_LOW(12, Kind.NUMERIC),
    L1_MFN_VALID(13, Kind.ARRAY),
    SUSPEND_CANCEL(14, Kind.NUMERIC),
    INIT_P2M(15, Kind.NUMERIC),
    MOD_START_PFN(16, Kind.NUMERIC),
    SUPPORTED_FEATURES(17, Kind.ARRAY),
    PHYS32_ENTRY(18, Kind.NUMERIC),
    PHYS32_RELOC(19, Kind.ARRAY);

    /** How the descriptor is read (§5.1). */
    public enum Kind {
        /** No defined descriptor. */
        NONE,
        /** A little-endian unsigned value of 1, 2, 4 or 8 bytes. */
        NUMERIC,
        /** A NUL-terminated string. */
        STRING,
        /** An array of little-endian words. */
        ARRAY
    }

    private final int number;
    private final Kind kind;

    XenNoteType(final int number, final Kind kind) {
        this.number = number;
        this.kind = kind;
    }

    /** The note's n_type. */
    public int number() {
        return number;
    }

    public Kind kind() {
        return kind;
    }

    /** The type with this n_type, or null if Xen defines none. */
    public static XenNoteType of(final int number) {
        for (XenNoteType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        return null;
    }
}
