package org.pvhconf.x86.decode;

import org.pvhconf.x86.isa.Form;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.isa.Operand;

/**
 * One decoded instruction: its {@link Form} and the values of its encoding fields. Filled by the
 * {@link Decoder} and read-only afterwards (the interpreter caches it; the JIT reads it at
 * translation time, so everything here is a translation-time constant).
 *
 * <p>Register numbers follow {@link org.pvhconf.x86.cpu.Reg} (0..15). An 8-bit register operand
 * encoded without REX as 4..7 means AH, CH, DH, BH and is stored as {@link #AH}..{@link #AH}+3.
 */
public final class DecodedInsn {
    /** Byte-register numbers 16..19 are AH, CH, DH, BH (the legacy high bytes). */
    public static final int AH = 16;

    /** Prefix bits. */
    public static final int P_LOCK = 1, P_REP = 2, P_REPNE = 4, P_66 = 8, P_67 = 16, P_REX = 32;

    public Form form;
    /** Length in bytes, 1..15. */
    public int length;
    /** Operand size the semantics use: the form's nominal size, or the effective size. */
    public int opSize;
    /** Effective operand size from 66 / REX.W and the form's size rule. */
    public int effOpSize;
    /** Address size: 64, or 32 with 67. */
    public int addrSize;
    public int prefixes;
    /** The segment of the memory operand ({@link org.pvhconf.x86.cpu.SegReg} ordinal): override or default. */
    public int segment;
    /** True when a segment-override prefix chose {@link #segment}. */
    public boolean segmentOverride;
    /** The ModRM byte, or -1. */
    public int modrm = -1;
    /** ModRM.reg with REX.R (or the opcode register of a +r form); -1 if none. */
    public int reg = -1;
    /** The register of a register r/m operand; -1 when r/m is memory or absent. */
    public int rm = -1;
    /** True when the instruction has a memory operand (ModRM memory or MOFFS). */
    public boolean hasMem;
    /** Memory operand: base register or -1, index register or -1, scale shift 0..3, displacement. */
    public int base = -1, index = -1, scale;
    public long disp;
    /** The displacement is relative to the next instruction (RIP-relative). */
    public boolean ripRelative;
    /** First and second immediates, sign-extended from their encoded size; REL: the displacement. */
    public long imm, imm2;

    public boolean rep() {
        return (prefixes & P_REP) != 0;
    }

    public boolean repne() {
        return (prefixes & P_REPNE) != 0;
    }

    public boolean lock() {
        return (prefixes & P_LOCK) != 0;
    }

    /** Index of the first operand of {@code kind}, or -1. */
    public int operandIndex(OpKind kind) {
        for (int i = 0; i < form.operands.size(); i++) {
            if (form.operands.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(form == null ? "(invalid)" : form.name);
        sb.append(" len=").append(length);
        if (form != null) {
            for (Operand o : form.operands) {
                sb.append(' ').append(o.kind());
            }
        }
        if (reg >= 0) {
            sb.append(" reg=").append(reg);
        }
        if (rm >= 0) {
            sb.append(" rm=").append(rm);
        }
        if (hasMem) {
            sb.append(" mem[").append(ripRelative ? "rip" : base).append('+').append(index).append("<<").append(scale)
                    .append('+').append(Long.toHexString(disp)).append(']');
        }
        return sb.append(" imm=").append(Long.toHexString(imm)).toString();
    }
}
