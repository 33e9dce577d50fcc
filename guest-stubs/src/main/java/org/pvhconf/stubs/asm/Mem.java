package org.pvhconf.stubs.asm;

/**
 * A memory operand. Three addressing forms exist in long mode, and this type names them:
 * <ul>
 *   <li>{@link Kind#BASED}: {@code [base + index*scale + disp32]}, base and index optional
 *       (with no base the SIB form "no base, disp32" is used);</li>
 *   <li>{@link Kind#ABSOLUTE}: {@code [disp32]} through SIB with neither base nor index, so the
 *       address is the sign-extended disp32: it reaches the low and the top 2 GiB only;</li>
 *   <li>{@link Kind#RIP}: {@code [rip + disp32]}, relative to the end of the instruction.</li>
 * </ul>
 * ABSOLUTE and RIP operands may name a {@link Label} (plus an addend) instead of a number; the
 * assembler resolves it when it finishes.
 *
 * <p>{@code size} is the access width in bytes, or 0 when the register operand gives it. Forms with
 * no register operand (an immediate store, INC/DEC, shifts of memory) need it: use {@link #q()},
 * {@link #d()}, {@link #w()} or {@link #b()}, as GNU as needs a suffix or {@code qword ptr}.
 *
 * @param kind  the addressing form
 * @param base  the base register, or null
 * @param index the index register (never RSP), or null
 * @param scale 1, 2, 4 or 8
 * @param disp  the displacement; for ABSOLUTE without a label, the address; added to the label otherwise
 * @param label the label for ABSOLUTE or RIP operands, or null
 * @param size  0 (unspecified), 1, 2, 4 or 8
 */
public record Mem(Kind kind, Reg64 base, Reg64 index, int scale, long disp, Label label, int size)
        implements Operand {

    /** The addressing forms. */
    public enum Kind { BASED, ABSOLUTE, RIP }

    public Mem {
        if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
            throw new IllegalArgumentException("scale must be 1, 2, 4 or 8: " + scale);
        }
        if (index == Reg64.RSP) {
            throw new IllegalArgumentException("RSP cannot be an index register");
        }
        if (kind != Kind.BASED && (base != null || index != null)) {
            throw new IllegalArgumentException(kind + " operands have no registers");
        }
        if (kind == Kind.BASED && label != null) {
            throw new IllegalArgumentException("a based operand cannot name a label");
        }
        if (label == null && disp != (int) disp) {
            throw new IllegalArgumentException("displacement does not fit a sign-extended disp32: 0x"
                    + Long.toHexString(disp));
        }
        if (size != 0 && size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("size must be 0, 1, 2, 4 or 8: " + size);
        }
    }

    // ---- factories (import statically) ----

    /** {@code [base + index*scale + disp]}; base or index may be null. */
    public static Mem mem(final Reg64 base, final Reg64 index, final int scale, final long disp) {
        return new Mem(Kind.BASED, base, index, scale, disp, null, 0);
    }

    /** {@code [base + disp]}. */
    public static Mem mem(final Reg64 base, final long disp) {
        return mem(base, null, 1, disp);
    }

    /** {@code [base]}. */
    public static Mem mem(final Reg64 base) {
        return mem(base, null, 1, 0);
    }

    /** {@code [addr]} with addr as a sign-extended disp32 (no base, no index). */
    public static Mem abs(final long addr) {
        return new Mem(Kind.ABSOLUTE, null, null, 1, addr, null, 0);
    }

    /** {@code [label]} as a sign-extended disp32; the label's address must lie in the low or top 2 GiB. */
    public static Mem abs(final Label label) {
        return abs(label, 0);
    }

    /** {@code [label + addend]} as a sign-extended disp32. */
    public static Mem abs(final Label label, final long addend) {
        return new Mem(Kind.ABSOLUTE, null, null, 1, addend, label, 0);
    }

    /** {@code [rip + label - end of instruction]}. */
    public static Mem rip(final Label label) {
        return rip(label, 0);
    }

    /** {@code [rip + (label + addend) - end of instruction]}. */
    public static Mem rip(final Label label, final long addend) {
        return new Mem(Kind.RIP, null, null, 1, addend, label, 0);
    }

    // ---- access width ----

    /** This operand as a qword (8-byte) access. */
    public Mem q() {
        return sized(8);
    }

    /** This operand as a dword (4-byte) access. */
    public Mem d() {
        return sized(4);
    }

    /** This operand as a word (2-byte) access. */
    public Mem w() {
        return sized(2);
    }

    /** This operand as a byte access. */
    public Mem b() {
        return sized(1);
    }

    private Mem sized(final int newSize) {
        return new Mem(kind, base, index, scale, disp, label, newSize);
    }
}
