package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.ARITH;
import static org.pvhconf.x86.isa.RFlags.CF;
import static org.pvhconf.x86.isa.RFlags.ZF;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.isa.OpKind;

/** BT, BTS, BTR, BTC, BSF, BSR, BSWAP. */
final class BitSem {
    private BitSem() {
    }

    static void register(Semantics.Registry r) {
        for (String m : new String[] {"BT", "BTS", "BTR", "BTC"}) {
            r.add(m, (d, o) -> bitTest(d, o, m));
        }
        r.add("BSF", (d, o) -> bitScan(d, o, Helper.BSF));
        r.add("BSR", (d, o) -> bitScan(d, o, Helper.BSR));
        r.add("POPCNT", BitSem::popcnt);
        r.add("LZCNT", (d, o) -> count(d, o, Helper.LZCNT));
        r.add("TZCNT", (d, o) -> count(d, o, Helper.TZCNT));
        r.add("BSWAP", (d, o) -> o.setReg(d.reg, d.opSize, o.call(Helper.BSWAP, o.imm(d.opSize), o.reg(d.reg, d.opSize))));
    }

    /**
     * With a register bit offset and a memory operand the offset is signed and selects the operand-sized
     * word at ea + (offset SAR log2(size)) * size/8 (SDM "BT": bit string addressing); otherwise
     * the offset is taken modulo the operand size. CF gets the bit; OF, SF, AF, PF are undefined
     * (kept), ZF is kept.
     */
    static void bitTest(DecodedInsn d, Ops o, String m) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int off = Operands.read(d, o, 1, ea);
        int addr = ea;
        if (d.hasMem && d.form.operand(1).kind() == OpKind.REG) {
            int log = Integer.numberOfTrailingZeros(size);
            int words = o.alu(Alu.SAR, o.ext(off, size, true), o.imm(log));
            addr = o.alu(Alu.ADD, ea, o.alu(Alu.SHL, words, o.imm(Integer.numberOfTrailingZeros(size / 8))));
            if (d.addrSize == 32) {
                addr = o.ext(addr, 32, false);
            }
        }
        int bit = o.alu(Alu.AND, off, o.imm(size - 1));
        int val = d.hasMem ? o.load(d.segment, addr, size) : o.reg(d.rm, size);
        int cf = o.alu(Alu.AND, o.alu(Alu.SHR, val, bit), o.imm(1));
        if (!m.equals("BT")) {
            int one = o.alu(Alu.SHL, o.imm(1), bit);
            int res = switch (m) {
                case "BTS" -> o.alu(Alu.OR, val, one);
                case "BTR" -> o.alu(Alu.AND, val, o.alu(Alu.XOR, one, o.imm(-1)));
                default -> o.alu(Alu.XOR, val, one);
            };
            if (d.hasMem) {
                o.store(d.segment, addr, size, res);
            } else {
                o.setReg(d.rm, size, res);
            }
        }
        o.setFlags(cf, CF);
    }

    /** BSF/BSR: ZF = (source == 0), and then the destination is left entirely unchanged. */
    static void bitScan(DecodedInsn d, Ops o, Helper scan) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int src = Operands.read(d, o, 1, ea);
        int zero = o.alu(Alu.EQ, o.ext(src, size, false), o.imm(0));
        int idx = o.call(scan, o.imm(size), src);
        if (size == 16) {
            o.setReg(d.reg, 16, o.select(zero, o.reg(d.reg, 16), idx));
        } else {
            o.setReg(d.reg, 64, o.select(zero, o.reg(d.reg, 64), idx));
        }
        o.setFlags(o.select(zero, o.imm(ZF), o.imm(0)), ZF);
    }

    /** POPCNT: ZF = (source == 0); OF, SF, AF, CF, PF cleared (SDM "POPCNT"). */
    static void popcnt(DecodedInsn d, Ops o) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int src = Operands.read(d, o, 1, ea);
        int zero = o.alu(Alu.EQ, src, o.imm(0));
        o.setReg(d.reg, size, o.call(Helper.POPCNT, src));
        o.setFlags(o.select(zero, o.imm(ZF), o.imm(0)), ARITH);
    }

    /** LZCNT/TZCNT: CF = (source == 0), ZF = (result == 0); OF, SF, AF, PF undefined (kept). */
    static void count(DecodedInsn d, Ops o, Helper h) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int src = Operands.read(d, o, 1, ea);
        int res = o.call(h, o.imm(size), src);
        int cf = o.select(o.alu(Alu.EQ, src, o.imm(0)), o.imm(CF), o.imm(0));
        int zf = o.select(o.alu(Alu.EQ, res, o.imm(0)), o.imm(ZF), o.imm(0));
        o.setReg(d.reg, size, res);
        o.setFlags(o.alu(Alu.OR, cf, zf), CF | ZF);
    }
}
