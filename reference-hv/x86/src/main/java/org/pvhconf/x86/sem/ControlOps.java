package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.mmu.PageWalk;

/**
 * Control-transfer and stack helpers that change privilege or segment state: INT n, IRET, far
 * RET, SYSCALL/SYSRET, POPF, ENTER, MOV/POP to a segment register. Check-then-commit, like
 * {@link SysOps}.
 */
public final class ControlOps {
    private static final int SS = SegReg.SS.ordinal();
    private static final int RSP = 4;

    private ControlOps() {
    }

    /** INT n, INT3, INT1: a software event delivered with the next RIP (a trap). */
    public static long intn(Env env, DecodedInsn d, long vector) {
        String m = d.form.mnemonic;
        Delivery.Source src = m.equals("INT1") ? Delivery.Source.EXTERNAL : Delivery.Source.SOFTWARE;
        // INT3 and INT n check the gate DPL; INT1 (ICEBP) is delivered like a hardware #DB.
        Delivery.deliver(env, (int) vector & 0xFF, -1, 0, src, env.cpu.rip + d.length);
        env.jump(env.cpu.rip);
        return 0;
    }

    /** IRET in 64-bit mode: always pops RIP, CS, RFLAGS, RSP, SS (slots of the operand size). */
    public static long iret(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        if (!cpu.is64BitMode()) {
            return iretLegacy(env, d);
        }
        if ((cpu.rflags & RFlags.NT) != 0) {
            throw Fault.gp(0); // task return does not exist in IA-32e mode
        }
        int slot = d.opSize;
        int bytes = slot / 8;
        long sp = cpu.gpr[RSP];
        long rip = env.read(SS, sp, slot);
        int cs = (int) env.read(SS, sp + bytes, slot) & 0xFFFF;
        long flags = env.read(SS, sp + 2L * bytes, slot);
        long rsp = env.read(SS, sp + 3L * bytes, slot);
        int ss = (int) env.read(SS, sp + 4L * bytes, slot) & 0xFFFF;
        if (slot == 32) {
            flags &= 0xFFFFFFFFL;
        } else if (slot == 16) {
            flags = cpu.rflags & ~0xFFFFL | flags & 0xFFFF;
        }
        long desc = Segments.checkReturnCode(env, cs);
        int cpl = cpu.cpl();
        int newCpl = cs & 3;
        if ((Segments.ar(desc) & Segments.AR_L) != 0 && !PageWalk.canonical(rip)) {
            throw Fault.gp(0);
        }
        // Commit: SS first (it can still fault), then CS, RIP, RSP, RFLAGS.
        Segments.loadStack(env, ss, newCpl);
        Segments.commitCode(env, cs, desc);
        cpu.rip = rip;
        cpu.gpr[RSP] = rsp;
        cpu.rflags = mergeFlags(cpu.rflags, flags, cpl, true);
        if (newCpl > cpl) {
            Segments.nullInaccessible(cpu);
        }
        env.jump(rip);
        return 0;
    }

    /**
     * IRET from a 32-bit code segment (protected or compatibility mode): pops EIP, CS, EFLAGS and,
     * on a return to an outer level, ESP and SS (SDM "IRET", protected-mode return). Task returns
     * (NT) and returns to virtual-8086 mode are not implemented: #GP(0).
     */
    private static long iretLegacy(Env env, DecodedInsn d) {
        Cpu cpu = env.cpu;
        if ((cpu.rflags & RFlags.NT) != 0) {
            throw Fault.gp(0);
        }
        int slot = d.opSize == 16 ? 16 : 32;
        int bytes = slot / 8;
        long sp = cpu.gpr[RSP] & 0xFFFFFFFFL;
        long eip = env.read(SS, sp, slot);
        int cs = (int) env.read(SS, (sp + bytes) & 0xFFFFFFFFL, slot) & 0xFFFF;
        long flags = env.read(SS, (sp + 2L * bytes) & 0xFFFFFFFFL, slot);
        if (slot == 16) {
            flags = cpu.rflags & ~0xFFFFL | flags;
        }
        if ((flags & RFlags.VM) != 0 && cpu.cpl() == 0) {
            throw Fault.gp(0);
        }
        long desc = Segments.checkReturnCode(env, cs);
        int cpl = cpu.cpl();
        int newCpl = cs & 3;
        long newEsp = (sp + 3L * bytes) & 0xFFFFFFFFL;
        if (newCpl > cpl) {
            long outerEsp = env.read(SS, newEsp, slot);
            int ss = (int) env.read(SS, (newEsp + bytes) & 0xFFFFFFFFL, slot) & 0xFFFF;
            Segments.loadStack(env, ss, newCpl);
            newEsp = outerEsp;
        }
        Segments.commitCode(env, cs, desc);
        cpu.gpr[RSP] = slot == 16 ? cpu.gpr[RSP] & ~0xFFFFL | newEsp & 0xFFFF : newEsp & 0xFFFFFFFFL;
        cpu.rflags = mergeFlags(cpu.rflags, flags, cpl, true);
        if (newCpl > cpl) {
            Segments.nullInaccessible(cpu);
        }
        env.jump(slot == 16 ? eip & 0xFFFF : eip & 0xFFFFFFFFL);
        return 0;
    }

    /** RETF / RETF imm16: pops RIP and CS, and RSP and SS on a return to an outer privilege level. */
    public static long retf(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        int slot = d.opSize;
        int bytes = slot / 8;
        long release = d.form.operands.isEmpty() ? 0 : d.imm & 0xFFFF;
        long sp = cpu.gpr[RSP];
        long rip = env.read(SS, sp, slot);
        int cs = (int) env.read(SS, sp + bytes, slot) & 0xFFFF;
        long desc = Segments.checkReturnCode(env, cs);
        int cpl = cpu.cpl();
        int newCpl = cs & 3;
        long newRsp = sp + 2L * bytes + release;
        int ss = -1;
        if (newCpl > cpl) {
            long outerRsp = env.read(SS, newRsp, slot);
            ss = (int) env.read(SS, newRsp + bytes, slot) & 0xFFFF;
            newRsp = outerRsp + release;
        }
        if ((Segments.ar(desc) & Segments.AR_L) != 0 && !PageWalk.canonical(rip)) {
            throw Fault.gp(0);
        }
        if (ss >= 0) {
            Segments.loadStack(env, ss, newCpl);
        }
        Segments.commitCode(env, cs, desc);
        cpu.gpr[RSP] = newRsp;
        if (newCpl > cpl) {
            Segments.nullInaccessible(cpu);
        }
        env.jump(slot == 64 ? rip : rip & 0xFFFFFFFFL);
        return 0;
    }

    /**
     * The RFLAGS that POPF or IRET leaves: IOPL changes only at CPL 0, IF only at CPL &lt;= IOPL,
     * VM and RF never from POPF (IRET may set RF); bit 1 is always 1.
     */
    static long mergeFlags(long old, long popped, int cpl, boolean iret) {
        long changeable = RFlags.ARITH | RFlags.TF | RFlags.DF | RFlags.NT | RFlags.AC | RFlags.ID;
        int iopl = (int) (old >>> 12) & 3;
        if (cpl == 0) {
            changeable |= RFlags.IOPL | (iret ? RFlags.VIF | RFlags.VIP : 0);
        }
        if (cpl <= iopl) {
            changeable |= RFlags.IF;
        }
        if (iret) {
            changeable |= RFlags.RF;
        }
        return old & ~changeable | popped & changeable | RFlags.FIXED_ONE;
    }

    /** POPF: {@code value} is the popped word; the semantics updated RSP after this returns. */
    public static long popf(Env env, DecodedInsn d, long value) {
        long v = d.opSize == 16 ? env.cpu.rflags & ~0xFFFFL | value & 0xFFFF : value;
        env.cpu.rflags = mergeFlags(env.cpu.rflags, v, env.cpu.cpl(), false) & ~RFlags.RF;
        return 0;
    }

    /** SYSCALL (SDM Vol. 2): #UD unless EFER.SCE; flat CS/SS from STAR[47:32]. */
    public static long syscall(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        if ((cpu.efer & SysOps.EFER_SCE) == 0) {
            throw Fault.ud();
        }
        int sel = (int) (cpu.star >>> 32) & 0xFFFC;
        cpu.gpr[1] = cpu.rip + d.length;
        cpu.gpr[11] = cpu.rflags & ~RFlags.RF;
        cpu.seg[SegReg.CS.ordinal()].set(sel, 0, 0xFFFFFFFF, 0xA09B);
        cpu.seg[SS].set(sel + 8, 0, 0xFFFFFFFF, 0xC093);
        cpu.rflags = cpu.rflags & ~cpu.sfmask & ~RFlags.RF | RFlags.FIXED_ONE;
        env.jump(cpu.lstar);
        return 0;
    }

    /** SYSRET to 64-bit (REX.W) or compatibility mode at CPL 3; #GP(0) for a non-canonical RCX. */
    public static long sysret(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        if ((cpu.efer & SysOps.EFER_SCE) == 0) {
            throw Fault.ud();
        }
        SysOps.requireCpl0(env);
        boolean to64 = d.opSize == 64;
        long rip = to64 ? cpu.gpr[1] : cpu.gpr[1] & 0xFFFFFFFFL;
        if (!PageWalk.canonical(rip)) {
            throw Fault.gp(0);
        }
        int base = (int) (cpu.star >>> 48) & 0xFFFF;
        int cs = (to64 ? base + 16 : base) | 3;
        cpu.seg[SegReg.CS.ordinal()].set(cs, 0, 0xFFFFFFFF, to64 ? 0xA0FB : 0xC0FB);
        cpu.seg[SS].set((base + 8) | 3, 0, 0xFFFFFFFF, 0xC0F3);
        cpu.rflags = cpu.gpr[11] & 0x3C7FD7L | RFlags.FIXED_ONE;
        env.jump(rip);
        return 0;
    }

    /** MOV Sreg, r/m16 (and POP Sreg with the popped value): {@code value} is the selector. */
    public static long loadSegment(Env env, DecodedInsn d, long value) {
        int seg = segmentOperand(d);
        int selector = (int) value & 0xFFFF;
        if (seg == SegReg.CS.ordinal() || seg > SegReg.GS.ordinal()) {
            throw Fault.ud();
        }
        if (seg == SS) {
            Segments.loadStack(env, selector, env.cpu.cpl());
            env.cpu.interruptShadow = true; // MOV SS blocks interrupts for one instruction
        } else {
            Segments.loadData(env, seg, selector);
        }
        return 0;
    }

    /** MOV r/m, Sreg: the selector of ModRM.reg; #UD for 6 and 7. */
    public static long readSegment(Env env, DecodedInsn d, long arg) {
        int seg = segmentOperand(d);
        if (seg > SegReg.GS.ordinal()) {
            throw Fault.ud();
        }
        return env.cpu.seg[seg].selector & 0xFFFF;
    }

    /** The segment register a form names: FS/GS of PUSH/POP FS/GS, else ModRM.reg. */
    private static int segmentOperand(DecodedInsn d) {
        int i = d.operandIndex(org.pvhconf.x86.isa.OpKind.FIXED_SREG);
        return i >= 0 ? d.form.operand(i).fixed() : d.reg & 7;
    }

    /** ENTER imm16, imm8 (64-bit stack): frame pointer chain of nesting level {@code imm8 mod 32}. */
    public static long enter(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        int size = d.opSize;
        int bytes = size / 8;
        long alloc = d.imm & 0xFFFF;
        int level = (int) d.imm2 & 31;
        long rsp = cpu.gpr[RSP];
        long rbp = cpu.gpr[5];
        // Read the chain first (reads can fault), then check and write the new frame.
        long[] chain = new long[Math.max(level - 1, 0)];
        for (int i = 1; i < level; i++) {
            chain[i - 1] = env.read(SS, rbp - (long) i * bytes, size);
        }
        long frameTemp = rsp - bytes;
        long total = (long) bytes * (1 + Math.max(level - 1, 0) + (level > 0 ? 1 : 0));
        env.mmu.probeWrite(env.linear(SS, rsp - total), (int) total, env.user());
        long p = rsp - bytes;
        env.write(SS, p, size, rbp);
        if (level > 0) {
            for (long v : chain) {
                p -= bytes;
                env.write(SS, p, size, v);
            }
            p -= bytes;
            env.write(SS, p, size, frameTemp);
        }
        if (size == 16) {
            cpu.gpr[5] = cpu.gpr[5] & ~0xFFFFL | frameTemp & 0xFFFF;
        } else {
            cpu.gpr[5] = frameTemp;
        }
        cpu.gpr[RSP] = p - alloc;
        return 0;
    }
}
