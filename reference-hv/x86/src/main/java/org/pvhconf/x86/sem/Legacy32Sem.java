package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.isa.RFlags;

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
        r.add("PUSHAW", Legacy32Sem::pusha);
        r.add("PUSHAD", Legacy32Sem::pusha);
        r.add("POPAW", Legacy32Sem::popa);
        r.add("POPAD", Legacy32Sem::popa);
        r.add("BOUND", Legacy32Sem::bound);
        r.add("ARPL", Legacy32Sem::arpl);
        r.add("LES", Legacy32Sem::loadFarPointer);
        r.add("LDS", Legacy32Sem::loadFarPointer);
        r.add("DAA", (d, o) -> bcd(o, Helper.DAA, 8, o.imm(0), SZAPC));
        r.add("DAS", (d, o) -> bcd(o, Helper.DAS, 8, o.imm(0), SZAPC));
        r.add("AAA", (d, o) -> bcd(o, Helper.AAA, 16, o.imm(0), RFlags.AF | RFlags.CF));
        r.add("AAS", (d, o) -> bcd(o, Helper.AAS, 16, o.imm(0), RFlags.AF | RFlags.CF));
        r.add("AAM", (d, o) -> bcd(o, Helper.AAM, 16, o.imm(d.imm & 0xFF), SZP));
        r.add("AAD", (d, o) -> bcd(o, Helper.AAD, 16, o.imm(d.imm & 0xFF), SZP));
    }

    private static final long SZP = RFlags.SF | RFlags.ZF | RFlags.PF;
    private static final long SZAPC = SZP | RFlags.AF | RFlags.CF;
    private static final int[] PUSHA_ORDER = {0, 1, 2, 3, 4, 5, 6, 7};

    /**
     * A BCD adjustment on AL (size 8) or AX (16): the helper returns the value in bits 15:0 and the
     * flags it defines from bit 16; undefined flags are kept. AAM/AAD take their base as {@code arg},
     * DAA/DAS/AAA/AAS the flags.
     */
    private static void bcd(Ops o, Helper h, int size, int arg, long defined) {
        boolean takesBase = h == Helper.AAM || h == Helper.AAD;
        int res = o.call(h, o.reg(0, size == 8 ? 8 : 16), takesBase ? arg : o.flags());
        o.setReg(0, size, o.ext(res, size, false));
        o.setFlags(o.alu(Alu.SHR, res, o.imm(16)), defined);
    }

    /** PUSHA/PUSHAD: EAX, ECX, EDX, EBX, the original ESP, EBP, ESI, EDI. */
    static void pusha(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int bytes = size / 8;
        int sp = o.ext(o.reg(RSP, 32), 32, false);
        for (int k = 0; k < 8; k++) {
            int addr = o.ext(o.alu(Alu.SUB, sp, o.imm((long) bytes * (k + 1))), 32, false);
            o.store(SS, addr, size, o.reg(PUSHA_ORDER[k], size));
        }
        o.setReg(RSP, 32, o.alu(Alu.SUB, sp, o.imm(8L * bytes)));
    }

    /** POPA/POPAD: the reverse, skipping the saved ESP. */
    static void popa(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int bytes = size / 8;
        int sp = o.ext(o.reg(RSP, 32), 32, false);
        int[] v = new int[8];
        for (int k = 0; k < 8; k++) {
            v[7 - k] = o.load(SS, o.ext(o.alu(Alu.ADD, sp, o.imm((long) bytes * k)), 32, false), size);
        }
        for (int r = 0; r < 8; r++) {
            if (r != RSP) {
                o.setReg(r, size, v[r]);
            }
        }
        o.setReg(RSP, 32, o.alu(Alu.ADD, sp, o.imm(8L * bytes)));
    }

    /** BOUND r, m: #BR unless lower &lt;= index &lt;= upper (signed; the bounds are two words at m). */
    static void bound(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int ea = Operands.ea(d, o);
        int lower = o.ext(o.load(d.segment, ea, size), size, true);
        int upperAddr = o.ext(o.alu(Alu.ADD, ea, o.imm(size / 8)), 32, false);
        int upper = o.ext(o.load(d.segment, upperAddr, size), size, true);
        int index = o.ext(o.reg(d.reg, size), size, true);
        int flip = o.imm(Long.MIN_VALUE); // signed compare as unsigned with the sign bit flipped
        int below = o.alu(Alu.LTU, o.alu(Alu.XOR, index, flip), o.alu(Alu.XOR, lower, flip));
        int above = o.alu(Alu.LTU, o.alu(Alu.XOR, upper, flip), o.alu(Alu.XOR, index, flip));
        o.raiseIf(o.alu(Alu.OR, below, above), org.pvhconf.x86.fault.Fault.BR, -1);
    }

    /** ARPL r/m16, r16: raises the RPL of the destination selector to the source's; ZF says whether it did. */
    static void arpl(DecodedInsn d, Ops o) {
        int ea = Operands.ea(d, o);
        int dst = Operands.read(d, o, 0, ea);
        int src = Operands.read(d, o, 1, ea);
        int three = o.imm(3);
        int lower = o.alu(Alu.LTU, o.alu(Alu.AND, dst, three), o.alu(Alu.AND, src, three));
        int raised = o.alu(Alu.OR, o.alu(Alu.AND, dst, o.imm(~3L)), o.alu(Alu.AND, src, three));
        Operands.write(d, o, 0, ea, o.select(lower, raised, dst));
        o.setFlags(o.select(lower, o.imm(RFlags.ZF), o.imm(0)), RFlags.ZF);
    }

    /** LES/LDS r, m16:16/m16:32: the selector is loaded (with its checks) before the register. */
    static void loadFarPointer(DecodedInsn d, Ops o) {
        int size = d.opSize;
        int ea = Operands.ea(d, o);
        int offset = o.load(d.segment, ea, size);
        int selAddr = o.ext(o.alu(Alu.ADD, ea, o.imm(size / 8)), 32, false);
        int selector = o.load(d.segment, selAddr, 16);
        o.sys(Sys.LOAD_SEGMENT, selector);
        o.setReg(d.reg, size, offset);
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
