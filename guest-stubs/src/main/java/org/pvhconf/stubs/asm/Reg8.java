package org.pvhconf.stubs.asm;

/**
 * 8-bit general-purpose registers. Numbers 4..7 mean SPL..DIL when a REX prefix is present and
 * AH..BH when it is not, so those two groups cannot be mixed in one instruction.
 */
public enum Reg8 implements Gpr {
    AL(0), CL(1), DL(2), BL(3), SPL(4), BPL(5), SIL(6), DIL(7),
    R8B(8), R9B(9), R10B(10), R11B(11), R12B(12), R13B(13), R14B(14), R15B(15),
    AH(4), CH(5), DH(6), BH(7);

    private final int number;

    Reg8(final int number) {
        this.number = number;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public boolean requiresRex() {
        return this == SPL || this == BPL || this == SIL || this == DIL;
    }

    @Override
    public boolean forbidsRex() {
        return this == AH || this == CH || this == DH || this == BH;
    }
}
