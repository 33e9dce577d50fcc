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
    private static final int RAX = Operands.RAX, RCX = Operands.RCX, RDX = Operands.RDX, RBX = 3;

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
        r.add("CMPXCHG8B", MoveSem::cmpxchg8b);
        r.add("CMPXCHG16B", MoveSem::cmpxchg16b);
        r.add("XLATB", MoveSem::xlat);
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

    /**
     * CMPXCHG8B m64: compares EDX:EAX with m64; equal: m64 = ECX:EBX and ZF = 1; else EDX:EAX = m64
     * (zero-extending RAX and RDX) and ZF = 0. The memory is written either way (the locked cycle).
     */
    static void cmpxchg8b(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int m = o.load(d.segment, ea, 64);
        int lo32 = o.imm(32);
        int cmp = o.alu(Alu.OR, o.reg(RAX, 32), o.alu(Alu.SHL, o.reg(RDX, 32), lo32));
        int eq = o.alu(Alu.EQ, cmp, m);
        int repl = o.alu(Alu.OR, o.reg(RBX, 32), o.alu(Alu.SHL, o.reg(RCX, 32), lo32));
        o.store(d.segment, ea, 64, o.select(eq, repl, m));
        o.setReg(RAX, 64, o.select(eq, o.reg(RAX, 64), o.ext(m, 32, false)));
        o.setReg(RDX, 64, o.select(eq, o.reg(RDX, 64), o.alu(Alu.SHR, m, lo32)));
        o.setFlags(o.select(eq, o.imm(ZF), o.imm(0)), ZF);
    }

    /** CMPXCHG16B m128: as CMPXCHG8B with RDX:RAX and RCX:RBX; #GP(0) unless 16-byte aligned. */
    static void cmpxchg16b(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        o.raiseIf(o.alu(Alu.AND, ea, o.imm(15)), org.pvhconf.x86.fault.Fault.GP, 0);
        int hiEa = o.alu(Alu.ADD, ea, o.imm(8));
        if (d.addrSize == 32) {
            hiEa = o.ext(hiEa, 32, false);
        }
        int lo = o.load(d.segment, ea, 64);
        int hi = o.load(d.segment, hiEa, 64);
        int eq = o.alu(Alu.AND, o.alu(Alu.EQ, lo, o.reg(RAX, 64)), o.alu(Alu.EQ, hi, o.reg(RDX, 64)));
        o.store(d.segment, ea, 64, o.select(eq, o.reg(RBX, 64), lo));
        o.store(d.segment, hiEa, 64, o.select(eq, o.reg(RCX, 64), hi));
        o.setReg(RAX, 64, o.select(eq, o.reg(RAX, 64), lo));
        o.setReg(RDX, 64, o.select(eq, o.reg(RDX, 64), hi));
        o.setFlags(o.select(eq, o.imm(ZF), o.imm(0)), ZF);
    }

    /** XLATB: AL = [seg: rBX + AL] (AL zero-extended; the sum wraps at the address size). */
    static void xlat(DecodedInsn d, Ops o) {
        int ea = o.alu(Alu.ADD, o.reg(RBX, 64), o.reg(RAX, 8));
        if (d.addrSize == 32) {
            ea = o.ext(ea, 32, false);
        }
        o.setReg(RAX, 8, o.load(d.segment, ea, 8));
    }
}
