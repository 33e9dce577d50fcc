package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.mmu.PageWalk;

/**
 * Far JMP and far CALL through a memory pointer (FF /5, FF /3: m16:16, m16:32, m16:64) to a code
 * segment, with the protected-mode checks of SDM Vol. 2 "JMP" and "CALL". Check-then-commit.
 *
 * <p>Call gates, TSS and task-gate selectors are not implemented: they raise #GP(selector), which is
 * also what IA-32e mode does for TSS and task gates.
 */
public final class FarOps {
    private static final int SS = SegReg.SS.ordinal();
    private static final int RSP = 4;

    private FarOps() {
    }

    /** JMP far: {@code ea} is the effective address of the far pointer. */
    public static long farJump(Env env, DecodedInsn d, long ea) {
        transfer(env, d, ea, false);
        return 0;
    }

    /** CALL far: pushes CS and the return offset (slots of the operand size), then jumps. */
    public static long farCall(Env env, DecodedInsn d, long ea) {
        transfer(env, d, ea, true);
        return 0;
    }

    /** JMP far ptr16:16 / ptr16:32 (EA, outside 64-bit mode): the pointer is the instruction's immediates. */
    public static long farJumpDirect(Env env, DecodedInsn d, long arg) {
        transfer(env, d, d.imm & (d.opSize == 16 ? 0xFFFF : 0xFFFFFFFFL), (int) d.imm2 & 0xFFFF, false);
        return 0;
    }

    /** CALL far ptr16:16 / ptr16:32 (9A, outside 64-bit mode). */
    public static long farCallDirect(Env env, DecodedInsn d, long arg) {
        transfer(env, d, d.imm & (d.opSize == 16 ? 0xFFFF : 0xFFFFFFFFL), (int) d.imm2 & 0xFFFF, true);
        return 0;
    }

    /** INTO (outside 64-bit mode): #OF as a trap (next EIP pushed) when OF is set; else nothing. */
    public static long into(Env env, DecodedInsn d, long arg) {
        if ((env.cpu.rflags & org.pvhconf.x86.isa.RFlags.OF) != 0) {
            Delivery.deliver(env, Fault.OF, -1, 0, Delivery.Source.SOFTWARE, env.cpu.rip + d.length);
            env.jump(env.cpu.rip);
        }
        return 0;
    }

    private static void transfer(Env env, DecodedInsn d, long ea, boolean call) {
        int slot = d.opSize;
        long offset = env.read(d.segment, ea, slot);
        int selector = (int) env.read(d.segment, ea + slot / 8, 16);
        transfer(env, d, offset, selector, call);
    }

    private static void transfer(Env env, DecodedInsn d, long offset, int selector, boolean call) {
        Cpu cpu = env.cpu;
        int slot = d.opSize;
        long desc = checkCode(env, selector);
        int ar = Segments.ar(desc);
        int cpl = cpu.cpl();
        boolean longTarget = (ar & Segments.AR_L) != 0 && (cpu.efer & SysOps.EFER_LMA) != 0;
        if (longTarget ? !PageWalk.canonical(offset) : (offset & 0xFFFFFFFFL) > (Segments.limit(desc) & 0xFFFFFFFFL)) {
            throw Fault.gp(0);
        }
        long sp = cpu.gpr[RSP];
        long newSp = sp;
        if (call) {
            int bytes = slot / 8;
            long ret = cpu.rip + d.length;
            newSp = stackWrap(cpu, sp - 2L * bytes);
            env.write(SS, stackWrap(cpu, sp - bytes), slot, cpu.seg[SegReg.CS.ordinal()].selector & 0xFFFF);
            env.write(SS, newSp, slot, ret);
        }
        Segments.commitCode(env, selector & ~3 | cpl, desc);
        cpu.gpr[RSP] = newSp;
        env.jump(longTarget ? offset : offset & (slot == 16 ? 0xFFFF : 0xFFFFFFFFL));
    }

    /** The stack pointer as the stack's address size keeps it (SS.B outside 64-bit mode). */
    private static long stackWrap(Cpu cpu, long sp) {
        if (cpu.is64BitMode()) {
            return sp;
        }
        return (cpu.seg[SS].ar & Segments.AR_DB) != 0 ? sp & 0xFFFFFFFFL : cpu.gpr[RSP] & ~0xFFFFL | sp & 0xFFFF;
    }

    /** The descriptor of a code segment a far JMP/CALL may reach at the current CPL. */
    private static long checkCode(Env env, int selector) {
        int err = selector & 0xFFFC;
        if (err == 0) {
            throw Fault.gp(0);
        }
        long desc = Segments.descriptor(env, selector);
        int ar = Segments.ar(desc);
        if ((ar & Segments.AR_S) == 0 || (ar & Segments.AR_CODE) == 0) {
            throw Fault.gp(err); // system descriptor (gate, TSS) or data segment
        }
        int cpl = env.cpu.cpl();
        int dpl = Segments.dpl(ar);
        boolean conforming = (ar & Segments.AR_CONFORMING) != 0;
        if (conforming ? dpl > cpl : (selector & 3) > cpl || dpl != cpl) {
            throw Fault.gp(err);
        }
        if ((ar & Segments.AR_P) == 0) {
            throw Fault.np(err);
        }
        if ((ar & Segments.AR_L) != 0 && (ar & Segments.AR_DB) != 0) {
            throw Fault.gp(err);
        }
        return desc;
    }
}
