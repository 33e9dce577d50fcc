package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.ARITH;
import static org.pvhconf.x86.isa.RFlags.CF;

import org.pvhconf.x86.decode.DecodedInsn;

/**
 * ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT in every form and size. The
 * destination is written (a store for memory, which can fault) before the flags.
 */
final class AluSem {
    private AluSem() {
    }

    static void register(Semantics.Registry r) {
        String[] names = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"}; // also the i64 82 /n aliases
        for (int i = 0; i < names.length; i++) {
            int kind = i;
            r.add(names[i], (d, o) -> alu(d, o, kind));
        }
        r.add("TEST", AluSem::test);
        r.add("INC", (d, o) -> incDec(d, o, true));
        r.add("DEC", (d, o) -> incDec(d, o, false));
        r.add("NEG", AluSem::neg);
        r.add("NOT", AluSem::not);
    }

    /** kind: the ALU's opcode-extension number 0..7 (ADD OR ADC SBB AND SUB XOR CMP). */
    static void alu(DecodedInsn d, Ops o, int kind) {
        int size = Operands.size(d, 0);
        int ea = Operands.ea(d, o);
        int a = Operands.read(d, o, 0, ea);
        int b = Operands.read(d, o, 1, ea);
        int sz = o.imm(size);
        int res;
        int fl;
        switch (kind) {
            case 0 -> {
                res = o.alu(Alu.ADD, a, b);
                fl = o.call(Helper.FLAGS_ADD, sz, a, b, res);
            }
            case 2 -> {
                int cin = o.alu(Alu.AND, o.flags(), o.imm(CF));
                res = o.alu(Alu.ADD, o.alu(Alu.ADD, a, b), cin);
                fl = o.call(Helper.FLAGS_ADC, sz, a, b, res, cin);
            }
            case 3 -> {
                int cin = o.alu(Alu.AND, o.flags(), o.imm(CF));
                res = o.alu(Alu.SUB, o.alu(Alu.SUB, a, b), cin);
                fl = o.call(Helper.FLAGS_SBB, sz, a, b, res, cin);
            }
            case 5, 7 -> {
                res = o.alu(Alu.SUB, a, b);
                fl = o.call(Helper.FLAGS_SUB, sz, a, b, res);
            }
            default -> {
                Alu op = kind == 1 ? Alu.OR : kind == 4 ? Alu.AND : Alu.XOR;
                res = o.alu(op, a, b);
                fl = o.call(Helper.FLAGS_LOGIC, sz, res);
            }
        }
        if (kind != 7) {
            Operands.write(d, o, 0, ea, res);
        }
        o.setFlags(fl, ARITH);
    }

    static void test(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int res = o.alu(Alu.AND, Operands.read(d, o, 0, ea), Operands.read(d, o, 1, ea));
        o.setFlags(o.call(Helper.FLAGS_LOGIC, o.imm(Operands.size(d, 0)), res), ARITH);
    }

    static void incDec(DecodedInsn d, Ops o, boolean inc) {
        int ea = Operands.ea(d, o);
        int a = Operands.read(d, o, 0, ea);
        int res = o.alu(inc ? Alu.ADD : Alu.SUB, a, o.imm(1));
        int fl = o.call(inc ? Helper.FLAGS_INC : Helper.FLAGS_DEC, o.imm(Operands.size(d, 0)), a, res, o.flags());
        Operands.write(d, o, 0, ea, res);
        o.setFlags(fl, ARITH);
    }

    static void neg(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int a = Operands.read(d, o, 0, ea);
        int res = o.alu(Alu.SUB, o.imm(0), a);
        int fl = o.call(Helper.FLAGS_NEG, o.imm(Operands.size(d, 0)), a, res);
        Operands.write(d, o, 0, ea, res);
        o.setFlags(fl, ARITH);
    }

    static void not(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int a = Operands.read(d, o, 0, ea);
        Operands.write(d, o, 0, ea, o.alu(Alu.XOR, a, o.imm(-1)));
    }
}
