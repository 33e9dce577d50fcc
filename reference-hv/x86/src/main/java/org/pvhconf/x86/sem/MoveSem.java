package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.AF;
import static org.pvhconf.x86.isa.RFlags.ARITH;
import static org.pvhconf.x86.isa.RFlags.CF;
import static org.pvhconf.x86.isa.RFlags.DF;
import static org.pvhconf.x86.isa.RFlags.PF;
import static org.pvhconf.x86.isa.RFlags.SF;
import static org.pvhconf.x86.isa.RFlags.ZF;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.isa.Forms;

/** MOV and its extensions, LEA, XCHG, XADD, CMPXCHG, CMOVcc, SETcc, flag moves, no-ops. */
final class MoveSem {
    private static final int RAX = Operands.RAX;

    private MoveSem() {
    }

    static void register(Semantics.Registry r) {
        r.add("MOV", MoveSem::mov);
        r.add("MOVZX", (d, o) -> extend(d, o, false));
        r.add("MOVSX", (d, o) -> extend(d, o, true));
        r.add("MOVSXD", (d, o) -> extend(d, o, true));
        r.add("LEA", (d, o) -> o.setReg(d.reg, d.opSize, Operands.ea(d, o)));
        r.add("XCHG", MoveSem::xchg);
        r.add("XADD", MoveSem::xadd);
        r.add("CMPXCHG", MoveSem::cmpxchg);
        for (int cc = 0; cc < 16; cc++) {
            int c = cc;
            r.add("CMOV" + Forms.CC[cc], (d, o) -> cmov(d, o, c));
            r.add("SET" + Forms.CC[cc], (d, o) -> {
                int ea = Operands.ea(d, o);
                Operands.write(d, o, 0, ea, o.call(Helper.COND, o.imm(c), o.flags()));
            });
        }
        r.add("LAHF", (d, o) -> o.setReg(DecodedInsn.AH, 8, o.flags()));
        r.add("SAHF", (d, o) -> o.setFlags(o.reg(DecodedInsn.AH, 8), SF | ZF | AF | PF | CF));
        r.add("CLC", (d, o) -> o.setFlags(o.imm(0), CF));
        r.add("STC", (d, o) -> o.setFlags(o.imm(CF), CF));
        r.add("CMC", (d, o) -> o.setFlags(o.alu(Alu.XOR, o.flags(), o.imm(CF)), CF));
        r.add("CLD", (d, o) -> o.setFlags(o.imm(0), DF));
        r.add("STD", (d, o) -> o.setFlags(o.imm(DF), DF));
        Sem nothing = (d, o) -> { };
        for (String m : new String[] {"NOP", "PAUSE", "RESERVEDNOP", "LFENCE", "MFENCE", "SFENCE"}) {
            r.add(m, nothing);
        }
    }

    static void mov(DecodedInsn d, Ops o) {
        int ea = Operands.address(d, o);
        Operands.write(d, o, 0, ea, Operands.read(d, o, 1, ea));
    }

    static void extend(DecodedInsn d, Ops o, boolean signed) {
        int ea = Operands.ea(d, o);
        int srcSize = Operands.size(d, 1);
        int v = Operands.read(d, o, 1, ea);
        o.setReg(d.reg, d.opSize, o.ext(v, srcSize, signed));
    }

    /** XCHG: with memory, the store precedes the register write (and is locked on hardware). */
    static void xchg(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int a = Operands.read(d, o, 0, ea);
        int b = Operands.read(d, o, 1, ea);
        Operands.write(d, o, 0, ea, b);
        Operands.write(d, o, 1, ea, a);
    }

    /** XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (so XADD r, r leaves the sum). */
    static void xadd(DecodedInsn d, Ops o) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int dst = Operands.read(d, o, 0, ea);
        int src = Operands.read(d, o, 1, ea);
        int sum = o.alu(Alu.ADD, dst, src);
        int fl = o.call(Helper.FLAGS_ADD, o.imm(size), dst, src, sum);
        if (d.hasMem) {
            Operands.write(d, o, 0, ea, sum);
            Operands.write(d, o, 1, ea, dst);
        } else {
            Operands.write(d, o, 1, ea, dst);
            Operands.write(d, o, 0, ea, sum);
        }
        o.setFlags(fl, ARITH);
    }

    /**
     * CMPXCHG: flags of CMP accumulator, DEST. A memory destination is always written (the old value
     * on a mismatch, as the locked store cycle does); a register destination only on a match, so a
     * 32-bit mismatch leaves its upper half alone (as the host CPU does: HostDifferentialTest). The
     * accumulator is written only on a mismatch, so a 32-bit match leaves RAX[63:32] alone; it is
     * written before a register destination, which may be the accumulator itself.
     */
    static void cmpxchg(DecodedInsn d, Ops o) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int dst = Operands.read(d, o, 0, ea);
        int src = Operands.read(d, o, 1, ea);
        int acc = o.reg(RAX, size);
        int fl = o.call(Helper.FLAGS_SUB, o.imm(size), acc, dst, o.alu(Alu.SUB, acc, dst));
        int eq = o.alu(Alu.EQ, acc, dst);
        int newDst = o.select(eq, src, dst);
        if (d.hasMem) {
            Operands.write(d, o, 0, ea, newDst);
        }
        if (size == 32) {
            o.setReg(RAX, 64, o.select(eq, o.reg(RAX, 64), dst));
        } else {
            o.setReg(RAX, size, o.select(eq, acc, dst));
        }
        if (!d.hasMem && size == 32) {
            o.setReg(d.rm, 64, o.select(eq, o.ext(src, 32, false), o.reg(d.rm, 64)));
        } else if (!d.hasMem) {
            Operands.write(d, o, 0, ea, newDst);
        }
        o.setFlags(fl, ARITH);
    }

    /** CMOVcc: the source is read (and may fault) either way; a 32-bit destination is zero-extended either way. */
    static void cmov(DecodedInsn d, Ops o, int cc) {
        int size = d.opSize;
        int ea = Operands.ea(d, o);
        int src = Operands.read(d, o, 1, ea);
        int c = o.call(Helper.COND, o.imm(cc), o.flags());
        o.setReg(d.reg, size, o.select(c, src, o.reg(d.reg, size)));
    }
}
