package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.ZF;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.Forms;

/**
 * Near branches: Jcc, JMP, CALL, RET, LOOP/LOOPE/LOOPNE, JRCXZ; far returns and IRET through their
 * helpers. A non-canonical target is #GP(0) on the branch itself (before its push or RSP update).
 */
final class BranchSem {
    private static final int RSP = Operands.RSP, RCX = Operands.RCX, SS = Operands.SS;

    private BranchSem() {
    }

    static void register(Semantics.Registry r) {
        for (int cc = 0; cc < 16; cc++) {
            int c = cc;
            r.add("J" + Forms.CC[cc], (d, o) -> {
                int taken = o.call(Helper.COND, o.imm(c), o.flags());
                branch(o, o.select(taken, Operands.read(d, o, 0, -1), o.nextRip()));
            });
        }
        r.add("JMP", (d, o) -> {
            int ea = Operands.ea(d, o);
            branch(o, Operands.read(d, o, 0, ea));
        });
        r.add("CALL", BranchSem::call);
        r.add("RET", BranchSem::ret);
        r.add("LOOP", (d, o) -> loop(d, o, 0));
        r.add("LOOPE", (d, o) -> loop(d, o, 1));
        r.add("LOOPNE", (d, o) -> loop(d, o, 2));
        r.add("JRCXZ", (d, o) -> {
            int zero = o.alu(Alu.EQ, o.reg(RCX, d.addrSize), o.imm(0));
            branch(o, o.select(zero, Operands.read(d, o, 0, -1), o.nextRip()));
        });
        for (String m : new String[] {"RETFW", "RETFD", "RETFQ"}) {
            r.add(m, (d, o) -> o.sys(Sys.RETF, o.imm(0)));
        }
        for (String m : new String[] {"IRETW", "IRETD", "IRETQ"}) {
            r.add(m, (d, o) -> o.sys(Sys.IRET, o.imm(0)));
        }
    }

    private static void checkTarget(Ops o, int target) {
        o.raiseIf(o.call(Helper.NON_CANONICAL, target), Fault.GP, 0);
    }

    private static void branch(Ops o, int target) {
        checkTarget(o, target);
        o.jump(target);
    }

    static void call(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int target = Operands.read(d, o, 0, ea);
        checkTarget(o, target);
        int rsp = Operands.push(o, o.nextRip(), 64);
        o.setReg(RSP, 64, rsp);
        o.jump(target);
    }

    /** RET / RET imm16: pops RIP, then releases imm16 more bytes. */
    static void ret(DecodedInsn d, Ops o) {
        int rsp = o.reg(RSP, 64);
        int target = o.load(SS, rsp, 64);
        checkTarget(o, target);
        long release = 8 + (d.form.operands.isEmpty() ? 0 : d.imm & 0xFFFF);
        o.setReg(RSP, 64, o.alu(Alu.ADD, rsp, o.imm(release)));
        o.jump(target);
    }

    /** LOOP (kind 0), LOOPE (1), LOOPNE (2): the counter is RCX or ECX by address size. */
    static void loop(DecodedInsn d, Ops o, int kind) {
        int size = d.addrSize;
        int count = o.ext(o.alu(Alu.SUB, o.reg(RCX, size), o.imm(1)), size, false);
        int go = o.alu(Alu.NE, count, o.imm(0));
        if (kind != 0) {
            int zf = o.alu(Alu.NE, o.alu(Alu.AND, o.flags(), o.imm(ZF)), o.imm(0));
            go = o.alu(Alu.AND, go, kind == 1 ? zf : o.alu(Alu.XOR, zf, o.imm(1)));
        }
        int target = o.select(go, Operands.read(d, o, 0, -1), o.nextRip());
        checkTarget(o, target);
        o.setReg(RCX, size, count);
        o.jump(target);
    }
}
