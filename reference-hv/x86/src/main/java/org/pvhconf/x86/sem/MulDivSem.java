package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.ARITH;

import org.pvhconf.x86.decode.DecodedInsn;

/** MUL, IMUL (one, two and three operands), DIV, IDIV, and the accumulator sign extensions. */
final class MulDivSem {
    private static final int RAX = Operands.RAX, RDX = Operands.RDX;

    private MulDivSem() {
    }

    static void register(Semantics.Registry r) {
        r.add("MUL", (d, o) -> widening(d, o, false));
        r.add("IMUL", MulDivSem::imul);
        r.add("DIV", (d, o) -> divide(d, o, false));
        r.add("IDIV", (d, o) -> divide(d, o, true));
        for (String m : new String[] {"CBW", "CWDE", "CDQE"}) {
            r.add(m, MulDivSem::extendAccumulator);
        }
        for (String m : new String[] {"CWD", "CDQ", "CQO"}) {
            r.add(m, MulDivSem::extendIntoRdx);
        }
    }

    static void imul(DecodedInsn d, Ops o) {
        if (d.form.operands.size() == 1) {
            widening(d, o, true);
            return;
        }
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        boolean three = d.form.operands.size() == 3;
        int a = Operands.read(d, o, three ? 1 : 0, ea);
        int b = Operands.read(d, o, three ? 2 : 1, ea);
        int sz = o.imm(size);
        int res = o.alu(Alu.MUL, o.ext(a, size, true), o.ext(b, size, true));
        int fl = o.call(Helper.FLAGS_IMUL, sz, a, b);
        o.setReg(d.reg, size, res);
        o.setFlags(fl, ARITH);
    }

    /** MUL / one-operand IMUL: rDX:rAX (AX for bytes) = rAX * r/m. */
    static void widening(DecodedInsn d, Ops o, boolean signed) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int b = Operands.read(d, o, 0, ea);
        int a = o.reg(RAX, size);
        int sz = o.imm(size);
        int lo = signed ? o.alu(Alu.MUL, o.ext(a, size, true), o.ext(b, size, true)) : o.alu(Alu.MUL, a, b);
        int hi = o.call(Helper.MUL_HIGH, sz, a, b, o.imm(signed ? 1 : 0));
        int fl = o.call(signed ? Helper.FLAGS_IMUL : Helper.FLAGS_MUL, sz, a, b);
        if (size == 8) {
            o.setReg(RAX, 16, lo); // AX = AL * r/m8: the 16-bit product is the low 16 bits
        } else {
            o.setReg(RAX, size, lo);
            o.setReg(RDX, size, hi);
        }
        o.setFlags(fl, ARITH);
    }

    /** DIV / IDIV: #DE on a zero divisor or a quotient that does not fit (the helpers raise it). Flags are undefined: kept. */
    static void divide(DecodedInsn d, Ops o, boolean signed) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int divisor = Operands.read(d, o, 0, ea);
        int sz = o.imm(size);
        int hi;
        int lo;
        if (size == 8) {
            int ax = o.reg(RAX, 16);
            hi = o.alu(Alu.SHR, ax, o.imm(8));
            lo = o.alu(Alu.AND, ax, o.imm(0xFF));
        } else {
            hi = o.reg(RDX, size);
            lo = o.reg(RAX, size);
        }
        int q = o.call(signed ? Helper.DIVS : Helper.DIVU, sz, hi, lo, divisor);
        int r = o.call(signed ? Helper.REMS : Helper.REMU, sz, hi, lo, divisor);
        if (size == 8) {
            o.setReg(RAX, 16, o.alu(Alu.OR, o.alu(Alu.SHL, r, o.imm(8)), q));
        } else {
            o.setReg(RAX, size, q);
            o.setReg(RDX, size, r);
        }
    }

    static void extendAccumulator(DecodedInsn d, Ops o) {
        int size = d.opSize;
        o.setReg(RAX, size, o.ext(o.reg(RAX, size / 2), size / 2, true));
    }

    static void extendIntoRdx(DecodedInsn d, Ops o) {
        int size = d.opSize;
        o.setReg(RDX, size, o.alu(Alu.SAR, o.ext(o.reg(RAX, size), size, true), o.imm(63)));
    }
}
