package org.pvhconf.xen.abi;

/** MMUEXT commands and {@code struct mmuext_op} ({@code public/xen.h}, §12.4). */
public final class Mmuext {
    private Mmuext() {
    }

    public static final int MMUEXT_PIN_L1_TABLE = 0;
    public static final int MMUEXT_PIN_L2_TABLE = 1;
    public static final int MMUEXT_PIN_L3_TABLE = 2;
    public static final int MMUEXT_PIN_L4_TABLE = 3;
    public static final int MMUEXT_UNPIN_TABLE = 4;
    public static final int MMUEXT_NEW_BASEPTR = 5;
    public static final int MMUEXT_TLB_FLUSH_LOCAL = 6;
    public static final int MMUEXT_INVLPG_LOCAL = 7;
    public static final int MMUEXT_TLB_FLUSH_MULTI = 8;
    public static final int MMUEXT_INVLPG_MULTI = 9;
    public static final int MMUEXT_TLB_FLUSH_ALL = 10;
    public static final int MMUEXT_INVLPG_ALL = 11;
    public static final int MMUEXT_FLUSH_CACHE = 12;
    public static final int MMUEXT_SET_LDT = 13;
    public static final int MMUEXT_NEW_USER_BASEPTR = 15;
    public static final int MMUEXT_CLEAR_PAGE = 16;
    public static final int MMUEXT_COPY_PAGE = 17;
    public static final int MMUEXT_FLUSH_CACHE_GLOBAL = 18;
    public static final int MMUEXT_MARK_SUPER = 19;
    public static final int MMUEXT_UNMARK_SUPER = 20;

    /** {@code struct mmuext_op} (24): cmd u32 @0, arg1 @8, arg2 @16. */
    public static final int MMUEXT_OP_SIZE = 24;
    public static final int MMUEXT_OP_cmd = 0, MMUEXT_OP_arg1 = 8, MMUEXT_OP_arg2 = 16;
}
