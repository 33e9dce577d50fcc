package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;

/**
 * The near branches of 32-bit code segments (protected and compatibility mode): CALL, JMP r/m and
 * RET with 32-bit (or, with 66, 16-bit) return addresses and EIP wrapping at 4 GiB; the push/pop
 * aliases of the stack forms; direct far JMP/CALL; INTO. CS-limit checks on branch targets are not
 * made (flat code segments, as PVH entry uses).
 */
final class Legacy32Sem {
    private static final int RSP = Operands.RSP, SS = Operands.SS;

    private Legacy32Sem() {
    }

    static void register(Semantics.Registry r) {
        r.add("PUSHD", StackSem::push);
        r.add("POPD", StackSem::pop);
        r.add("PUSHFD", StackSem::pushf);
        r.add("POPFD", StackSem::popf);
        r.add("LEAVED", StackSem::leave);
        r.add("ENTERD", (d, o) -> o.sys(Sys.ENTER, o.imm(0)));
        r.form("CALL_REL32_32", Legacy32Sem::call);
        r.form("CALL_RM16_32", Legacy32Sem::call);
        r.form("CALL_RM32_32", Legacy32Sem::call);
        r.form("JMP_RM16_32", Legacy32Sem::jmp);
        r.form("JMP_RM32_32", Legacy32Sem::jmp);
        r.form("RET_32", Legacy32Sem::ret);
        r.form("RET_IMM16_32", Legacy32Sem::ret);
        for (String f : new String[] {"JMPF_IMM16_IMM16", "JMPF_IMM32_IMM16"}) {
            r.form(f, (d, o) -> o.sys(Sys.FAR_JUMP_DIRECT, o.imm(0)));
        }
        for (String f : new String[] {"CALLF_IMM16_IMM16", "CALLF_IMM32_IMM16"}) {
            r.form(f, (d, o) -> o.sys(Sys.FAR_CALL_DIRECT, o.imm(0)));
        }
        r.add("INTO", (d, o) -> o.sys(Sys.INTO, o.imm(0)));
    }

    /** The branch target wrapped to the operand size (EIP, or IP with 66). */
    private static int target(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        return o.ext(Operands.read(d, o, 0, ea), d.opSize, false);
    }

    static void call(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int t = target(d, o);
        int ret = o.ext(o.nextRip(), size, false);
        int rsp = Operands.push(o, ret, size);
        o.setReg(RSP, 32, rsp);
        o.jump(t);
    }

    static void jmp(DecodedInsn d, Ops o) {
        o.jump(target(d, o));
    }

    static void ret(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int rsp = o.ext(o.reg(RSP, 32), 32, false);
        int t = o.load(SS, rsp, size);
        long release = size / 8 + (d.form.operands.isEmpty() ? 0 : d.imm & 0xFFFF);
        o.setReg(RSP, 32, o.alu(Alu.ADD, rsp, o.imm(release)));
        o.jump(t);
    }
}
