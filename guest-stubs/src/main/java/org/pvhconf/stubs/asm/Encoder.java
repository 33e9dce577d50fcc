package org.pvhconf.stubs.asm;

/**
 * The x86-64 encoding rules the {@link Assembler}'s mnemonics share: legacy prefix 66, REX, ModRM, SIB
 * and displacement, and the operand checks. Package-private; it writes into the assembler's buffer.
 */
final class Encoder {
    /** opSize value for instructions whose operand size is implied (no 66, no REX.W). */
    static final int IMPLIED = 0;

    private final Assembler owner;
    private final CodeBuffer code;

    Encoder(final Assembler owner, final CodeBuffer code) {
        this.owner = owner;
        this.code = code;
    }

    /** The operand size of an instruction from its r/m operand and its register operand (may be null). */
    static int sizeOf(final Operand rm, final Gpr reg) {
        int rmSize = rm instanceof Gpr g ? g.size() : ((Mem) rm).size();
        if (reg == null) {
            if (rmSize == 0) {
                throw new IllegalArgumentException("operand size unknown: give the memory operand a size (q/d/w/b)");
            }
            return rmSize;
        }
        if (rmSize != 0 && rmSize != reg.size()) {
            throw new IllegalArgumentException("operand sizes differ: " + rm + ", " + reg);
        }
        return reg.size();
    }

    /**
     * Checks that an immediate fits {@code width} bytes, signed or unsigned; a negative width means
     * "signed only" (a qword operation's imm32, which the CPU sign-extends).
     */
    static void checkImm(final long imm, final int width) {
        int bits = 8 * Math.abs(width);
        boolean signed = bits == 64 || (imm >= -(1L << (bits - 1)) && imm < (1L << (bits - 1)));
        boolean unsigned = width > 0 && bits < 64 && imm >= 0 && imm < (1L << bits);
        if (!signed && !unsigned) {
            throw new IllegalArgumentException("immediate 0x" + Long.toHexString(imm) + " does not fit "
                    + Math.abs(width) + (width < 0 ? " signed" : "") + " byte(s)");
        }
    }

    /**
     * An instruction with no ModRM: [66] [REX] opcode(+register number).
     *
     * @param opSize 2 emits 66, 8 emits REX.W, anything else neither
     * @param reg    the register added to the last opcode byte (its bit 3 goes to REX.B), or null
     */
    void opReg(final int opSize, final Gpr reg, final int... opcode) {
        if (opSize == 2) {
            code.put(0x66);
        }
        int b = reg == null ? 0 : reg.number() >> 3;
        boolean needRex = opSize == 8 || b != 0 || (reg != null && reg.requiresRex());
        if (needRex) {
            code.put(0x40 | (opSize == 8 ? 8 : 0) | b);
        }
        for (int i = 0; i < opcode.length - 1; i++) {
            code.put(opcode[i]);
        }
        code.put(opcode[opcode.length - 1] + (reg == null ? 0 : reg.number() & 7));
    }

    /**
     * A ModRM instruction: [66] [REX] opcode ModRM [SIB] [disp].
     *
     * @param opSize   2 emits 66, 8 emits REX.W, anything else neither
     * @param reg      the ModRM.reg value: a register number 0..15 or an opcode extension 0..7
     * @param regGpr   the register in ModRM.reg when it is a GPR (for the byte-register REX rules), else null
     * @param rm       the r/m operand
     * @param immBytes how many immediate bytes follow: a RIP-relative displacement counts from the end
     * @param opcode   the opcode bytes
     */
    void modrm(final int opSize, final int reg, final Gpr regGpr, final Operand rm,
                            final int immBytes, final int... opcode) {
        if (opSize == 2) {
            code.put(0x66);
        }
        int r = reg >> 3 & 1;
        int x = 0;
        int b = 0;
        boolean needRex = opSize == 8 || r != 0 || (regGpr != null && regGpr.requiresRex());
        boolean noRex = regGpr != null && regGpr.forbidsRex();
        if (rm instanceof Gpr g) {
            b = g.number() >> 3;
            needRex |= g.requiresRex();
            noRex |= g.forbidsRex();
        } else {
            Mem m = (Mem) rm;
            b = m.base() == null ? 0 : m.base().number() >> 3;
            x = m.index() == null ? 0 : m.index().number() >> 3;
        }
        needRex |= (x | b) != 0;
        if (needRex && noRex) {
            throw new IllegalArgumentException("AH, CH, DH and BH cannot be used with a REX prefix");
        }
        if (needRex) {
            code.put(0x40 | (opSize == 8 ? 8 : 0) | r << 2 | x << 1 | b);
        }
        for (int op : opcode) {
            code.put(op);
        }
        int regBits = (reg & 7) << 3;
        if (rm instanceof Gpr g) {
            code.put(0xC0 | regBits | (g.number() & 7));
        } else {
            memory(regBits, (Mem) rm, immBytes);
        }
    }

    private void memory(final int regBits, final Mem m, final int immBytes) {
        switch (m.kind()) {
            case RIP -> {
                code.put(0x05 | regBits);
                if (m.label() != null) {
                    code.fixup(CodeBuffer.Kind.REL32, owner.own(m.label()), m.disp(), code.size() + 4 + immBytes);
                } else {
                    code.putLe(m.disp(), 4);
                }
            }
            case ABSOLUTE -> {
                // mod=00 rm=101 means RIP-relative in 64-bit mode, so an absolute disp32 goes through
                // a SIB byte with no index (100) and no base (101).
                code.put(0x04 | regBits);
                code.put(0x25);
                if (m.label() != null) {
                    code.fixup(CodeBuffer.Kind.ABS32S, owner.own(m.label()), m.disp(), code.size() + 4);
                } else {
                    code.putLe(m.disp(), 4);
                }
            }
            case BASED -> based(regBits, m);
        }
    }

    private void based(final int regBits, final Mem m) {
        int ss = Integer.numberOfTrailingZeros(m.scale()) << 6;
        int index = m.index() == null ? 4 : m.index().number() & 7;
        long disp = m.disp();
        if (m.base() == null) {
            code.put(0x04 | regBits);
            code.put(ss | index << 3 | 5);
            code.putLe(disp, 4);
            return;
        }
        int base = m.base().number() & 7;
        // base 101 (RBP/R13) with mod=00 would mean "no base": give it a zero disp8 instead.
        int mod = disp == 0 && base != 5 ? 0 : disp == (byte) disp ? 1 : 2;
        // rm=100 (RSP/R12) selects a SIB byte, so those bases always need one.
        boolean sib = m.index() != null || base == 4;
        code.put(mod << 6 | regBits | (sib ? 4 : base));
        if (sib) {
            code.put(ss | index << 3 | base);
        }
        if (mod == 1) {
            code.put((int) disp);
        } else if (mod == 2) {
            code.putLe(disp, 4);
        }
    }
}
