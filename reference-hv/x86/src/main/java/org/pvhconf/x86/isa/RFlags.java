package org.pvhconf.x86.isa;

/** RFLAGS bits (Intel SDM Vol. 1 §3.4.3) and the masks instructions use. */
public final class RFlags {
    public static final long CF = 1L, PF = 1L << 2, AF = 1L << 4, ZF = 1L << 6, SF = 1L << 7,
            TF = 1L << 8, IF = 1L << 9, DF = 1L << 10, OF = 1L << 11, IOPL = 3L << 12, NT = 1L << 14,
            RF = 1L << 16, VM = 1L << 17, AC = 1L << 18, VIF = 1L << 19, VIP = 1L << 20, ID = 1L << 21;

    /** The six status flags that arithmetic writes. */
    public static final long ARITH = CF | PF | AF | ZF | SF | OF;

    /** Bit 1 reads as one; bits 3, 5, 15 and 22..63 read as zero. */
    public static final long FIXED_ONE = 2L;

    /** Every bit software can change with POPF at CPL 0 in 64-bit mode (VM and RF are never set by POPF). */
    public static final long POPF_CPL0 = ARITH | TF | IF | DF | IOPL | NT | AC | ID;

    private RFlags() {
    }
}
