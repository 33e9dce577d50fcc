package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.isa.Operand;

/**
 * Reading and writing the operands of a form, and effective addresses, in terms of {@link Ops}:
 * the one place that maps {@link OpKind}s to registers, immediates and memory.
 */
final class Operands {
    static final int RAX = 0, RCX = 1, RDX = 2, RSP = 4, RBP = 5;
    static final int SS = org.pvhconf.x86.cpu.SegReg.SS.ordinal();

    private Operands() {
    }

    /** The size of operand {@code i}: its own, or the instruction's operand size where the form leaves it open. */
    static int size(DecodedInsn d, int i) {
        int s = d.form.operand(i).size();
        return s != 0 ? s : d.opSize;
    }

    /**
     * The effective address (offset in its segment) of the memory operand: base + index*scale + disp,
     * or next RIP + disp; truncated to 32 bits with a 67 prefix. -1 (no handle) without a memory operand.
     */
    static int ea(DecodedInsn d, Ops o) {
        if (!d.hasMem) {
            return -1;
        }
        int a;
        if (d.ripRelative) {
            a = o.alu(Alu.ADD, o.nextRip(), o.imm(d.disp));
        } else {
            a = o.imm(d.disp);
            if (d.base >= 0) {
                a = o.alu(Alu.ADD, o.reg(d.base, 64), a);
            }
            if (d.index >= 0) {
                int idx = o.reg(d.index, 64);
                if (d.scale != 0) {
                    idx = o.alu(Alu.SHL, idx, o.imm(d.scale));
                }
                a = o.alu(Alu.ADD, a, idx);
            }
        }
        return d.addrSize == 32 ? o.ext(a, 32, false) : a;
    }

    private static int immValue(DecodedInsn d, int i) {
        int n = 0;
        for (int k = 0; k < i; k++) {
            OpKind kind = d.form.operand(k).kind();
            if (kind == OpKind.IMM) {
                n++;
            }
        }
        return n;
    }

    /** Reads operand {@code i}; {@code ea} is the handle from {@link #ea} (or -1). */
    static int read(DecodedInsn d, Ops o, int i, int ea) {
        Operand op = d.form.operand(i);
        int size = size(d, i);
        return switch (op.kind()) {
            case RM -> d.rm >= 0 ? o.reg(d.rm, size) : o.load(d.segment, ea, size);
            case MEM, MOFFS -> o.load(d.segment, ea, size);
            case REG -> o.reg(d.reg, size);
            case FIXED -> o.reg(op.fixed(), size);
            case ONE -> o.imm(1);
            case IMM -> o.imm(immValue(d, i) == 0 ? d.imm : d.imm2);
            case REL -> d.opSize == 16 // 66-prefixed branch in 32-bit code: IP wraps at 64 KiB
                    ? o.ext(o.alu(Alu.ADD, o.nextRip(), o.imm(d.imm)), 16, false)
                    : o.alu(Alu.ADD, o.nextRip(), o.imm(d.imm));
            default -> throw new IllegalStateException("operand kind " + op.kind() + " of " + d.form + " is read by its helper");
        };
    }

    /** Writes operand {@code i}. */
    static void write(DecodedInsn d, Ops o, int i, int ea, int value) {
        Operand op = d.form.operand(i);
        int size = size(d, i);
        switch (op.kind()) {
            case RM -> {
                if (d.rm >= 0) {
                    o.setReg(d.rm, size, value);
                } else {
                    o.store(d.segment, ea, size, value);
                }
            }
            case MEM, MOFFS -> o.store(d.segment, ea, size, value);
            case REG -> o.setReg(d.reg, size, value);
            case FIXED -> o.setReg(op.fixed(), size, value);
            default -> throw new IllegalStateException("operand " + i + " of " + d.form + " is not writable");
        }
    }

    /** The EA for MOFFS forms, which carry an absolute address. */
    static int moffs(DecodedInsn d, Ops o) {
        return o.imm(d.disp);
    }

    /** EA of the memory operand whatever its kind (ModRM or MOFFS), or -1. */
    static int address(DecodedInsn d, Ops o) {
        if (!d.hasMem) {
            return -1;
        }
        return d.operandIndex(OpKind.MOFFS) >= 0 ? moffs(d, o) : ea(d, o);
    }

    static int sizeConst(Ops o, int size) {
        return o.imm(size);
    }

    /** Pushes {@code value} ({@code size} bits) and returns the new RSP handle; the caller writes RSP after its other effects. */
    static int push(Ops o, int value, int size) {
        int rsp = o.alu(Alu.SUB, o.reg(RSP, 64), o.imm(size / 8));
        o.store(SS, rsp, size, value);
        return rsp;
    }
}
