package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.isa.RFlags;

/**
 * PUSH, POP, PUSHF, POPF, PUSH/POP FS/GS, LEAVE, ENTER. The stack is 64-bit in 64-bit mode; the
 * operand size (64, or 16 with 66) sets the slot. Memory first, then RSP, then the destination.
 */
final class StackSem {
    private static final int RSP = Operands.RSP, RBP = Operands.RBP, SS = Operands.SS;

    private StackSem() {
    }

    static void register(Semantics.Registry r) {
        for (String m : new String[] {"PUSH", "PUSHW", "PUSHQ"}) {
            r.add(m, StackSem::push);
        }
        for (String m : new String[] {"POP", "POPW", "POPQ"}) {
            r.add(m, StackSem::pop);
        }
        r.add("PUSHFW", StackSem::pushf);
        r.add("PUSHFQ", StackSem::pushf);
        r.add("POPFW", StackSem::popf);
        r.add("POPFQ", StackSem::popf);
        r.add("LEAVEW", StackSem::leave);
        r.add("LEAVEQ", StackSem::leave);
        r.add("ENTERW", (d, o) -> o.sys(Sys.ENTER, o.imm(0)));
        r.add("ENTERQ", (d, o) -> o.sys(Sys.ENTER, o.imm(0)));
    }

    static void push(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int v;
        if (d.form.operand(0).kind() == OpKind.FIXED_SREG) {
            v = o.sys(Sys.READ_SEGMENT, o.imm(0));
        } else {
            int ea = Operands.ea(d, o);
            v = Operands.read(d, o, 0, ea);
        }
        int rsp = Operands.push(o, v, size);
        o.setReg(RSP, 64, rsp);
    }

    /**
     * POP: RSP is incremented before the destination is written, so POP RSP loads the popped value,
     * and a memory destination addressed through RSP uses the incremented RSP (SDM "POP").
     */
    static void pop(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int rsp = o.reg(RSP, 64);
        int v = o.load(SS, rsp, size);
        int next = o.alu(Alu.ADD, rsp, o.imm(size / 8));
        if (d.form.operand(0).kind() == OpKind.FIXED_SREG) {
            o.sys(Sys.LOAD_SEGMENT, v);
            o.setReg(RSP, 64, next);
            return;
        }
        if (d.hasMem) {
            int ea = Operands.ea(d, o);
            if (d.base == RSP) {
                ea = o.alu(Alu.ADD, ea, o.imm(size / 8));
            }
            o.store(d.segment, ea, size, v);
            o.setReg(RSP, 64, next);
            return;
        }
        o.setReg(RSP, 64, next);
        o.setReg(d.reg >= 0 && d.rm < 0 ? d.reg : d.rm, size, v);
    }

    /** PUSHF: the image has VM and RF clear. */
    static void pushf(DecodedInsn d, Ops o) {
        int v = o.alu(Alu.AND, o.flags(), o.imm(~(RFlags.VM | RFlags.RF)));
        o.setReg(RSP, 64, Operands.push(o, v, d.opSize));
    }

    static void popf(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int rsp = o.reg(RSP, 64);
        int v = o.load(SS, rsp, size);
        o.sys(Sys.POPF, v);
        o.setReg(RSP, 64, o.alu(Alu.ADD, rsp, o.imm(size / 8)));
    }

    static void leave(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int rbp = o.reg(RBP, 64);
        int v = o.load(SS, rbp, size);
        o.setReg(RSP, 64, o.alu(Alu.ADD, rbp, o.imm(size / 8)));
        o.setReg(RBP, size, v);
    }
}
