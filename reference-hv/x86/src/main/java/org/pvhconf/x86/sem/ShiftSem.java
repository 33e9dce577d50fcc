package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.ARITH;

import org.pvhconf.x86.decode.DecodedInsn;

/**
 * Group-2 shifts and rotates and SHLD/SHRD. The count is masked to 5 bits (6 for 64-bit operands);
 * a masked count of 0 leaves every flag unchanged (the flag helpers return the old RFLAGS), while
 * the destination is still written, as hardware does (a 32-bit register still zero-extends).
 */
final class ShiftSem {
    private ShiftSem() {
    }

    static void register(Semantics.Registry r) {
        for (String m : new String[] {"ROL", "ROR", "RCL", "RCR", "SHL", "SAL", "SHR", "SAR"}) {
            r.add(m, (d, o) -> shift(d, o, m));
        }
        r.add("SHLD", (d, o) -> doubleShift(d, o, true));
        r.add("SHRD", (d, o) -> doubleShift(d, o, false));
    }

    private static int maskedCount(DecodedInsn d, Ops o, int countOperand, int size, int ea) {
        int raw = Operands.read(d, o, countOperand, ea);
        return o.alu(Alu.AND, raw, o.imm(size == 64 ? 63 : 31));
    }

    static void shift(DecodedInsn d, Ops o, String m) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int a = Operands.read(d, o, 0, ea);
        int cnt = maskedCount(d, o, 1, size, ea);
        int sz = o.imm(size);
        int old = o.flags();
        int res;
        int fl;
        long mask = ARITH;
        switch (m) {
            case "ROL" -> {
                res = o.call(Helper.ROL, sz, a, cnt);
                fl = o.call(Helper.FLAGS_ROL, sz, cnt, res, old);
            }
            case "ROR" -> {
                res = o.call(Helper.ROR, sz, a, cnt);
                fl = o.call(Helper.FLAGS_ROR, sz, cnt, res, old);
            }
            case "RCL" -> {
                res = o.call(Helper.RCL, sz, a, cnt, old);
                fl = o.call(Helper.FLAGS_RCL, sz, a, cnt, old);
            }
            case "RCR" -> {
                res = o.call(Helper.RCR, sz, a, cnt, old);
                fl = o.call(Helper.FLAGS_RCR, sz, a, cnt, old);
            }
            case "SHR" -> {
                res = o.alu(Alu.SHR, o.ext(a, size, false), cnt);
                fl = o.call(Helper.FLAGS_SHR, sz, a, cnt, res, old);
            }
            case "SAR" -> {
                res = o.alu(Alu.SAR, o.ext(a, size, true), cnt);
                fl = o.call(Helper.FLAGS_SAR, sz, a, cnt, res, old);
            }
            default -> { // SHL, SAL
                res = o.alu(Alu.SHL, a, cnt);
                fl = o.call(Helper.FLAGS_SHL, sz, a, cnt, res, old);
            }
        }
        Operands.write(d, o, 0, ea, res);
        o.setFlags(fl, mask);
    }

    static void doubleShift(DecodedInsn d, Ops o, boolean left) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int dst = Operands.read(d, o, 0, ea);
        int src = Operands.read(d, o, 1, ea);
        int cnt = maskedCount(d, o, 2, size, ea);
        int sz = o.imm(size);
        int res = o.call(left ? Helper.SHLD : Helper.SHRD, sz, dst, src, cnt);
        int fl = o.call(left ? Helper.FLAGS_SHLD : Helper.FLAGS_SHRD, sz, dst, cnt, res, o.flags());
        Operands.write(d, o, 0, ea, res);
        o.setFlags(fl, ARITH);
    }
}
