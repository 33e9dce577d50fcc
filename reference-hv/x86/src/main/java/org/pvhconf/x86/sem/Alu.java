package org.pvhconf.x86.sem;

/** The two-operand operations of {@link Ops#alu}: all on 64-bit two's-complement values. */
public enum Alu {
    ADD, SUB, AND, OR, XOR,
    /** Shifts by {@code b & 63}. */
    SHL, SHR, SAR,
    /** The low 64 bits of the product. */
    MUL,
    /** 1 if equal, else 0. */
    EQ,
    /** 1 if not equal, else 0. */
    NE,
    /** 1 if a &lt; b unsigned, else 0. */
    LTU;

    /** The value of {@code a op b}: the one definition both back ends follow. */
    public long apply(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case AND -> a & b;
            case OR -> a | b;
            case XOR -> a ^ b;
            case SHL -> a << b;
            case SHR -> a >>> b;
            case SAR -> a >> b;
            case MUL -> a * b;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LTU -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
        };
    }
}
