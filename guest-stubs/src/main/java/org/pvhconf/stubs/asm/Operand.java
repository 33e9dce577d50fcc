package org.pvhconf.stubs.asm;

/** An r/m operand: a general-purpose register ({@link Gpr}) or a memory reference ({@link Mem}). */
public sealed interface Operand permits Gpr, Mem {
}
