package org.pvhconf.stubs.asm;

/**
 * A general-purpose register of any width: {@link Reg64}, {@link Reg32}, {@link Reg16} or {@link Reg8}.
 * Instruction methods that accept a {@code Gpr} take their operand size from it and reject operands
 * of different widths.
 */
public sealed interface Gpr extends Operand permits Reg64, Reg32, Reg16, Reg8 {

    /** The register number as encoded in ModRM/SIB plus the REX extension bit: 0..15. */
    int number();

    /** The operand size in bytes: 1, 2, 4 or 8. */
    int size();

    /** True for SPL, BPL, SIL and DIL, which exist only when a REX prefix is present. */
    default boolean requiresRex() {
        return false;
    }

    /** True for AH, CH, DH and BH, which cannot be encoded when a REX prefix is present. */
    default boolean forbidsRex() {
        return false;
    }
}
