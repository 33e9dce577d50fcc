package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.Segment;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.fault.ExitRequest;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;

/**
 * Event delivery through 64-bit IDT gates (SDM Vol. 3 §6.14), shared by both back ends.
 *
 * <p>{@link #deliver} reads and checks everything (IDT limit and gate, target CS, TSS stack pointer,
 * the writability of the new stack frame) before it changes any state, so a fault while delivering
 * leaves the CPU as it was and the caller can apply the double-fault rules
 * ({@link #exception}: SDM Vol. 3 table 6-5).
 */
public final class Delivery {
    /** How the event arose: it decides the EXT bit of error codes and the gate-DPL check. */
    public enum Source { EXCEPTION, EXTERNAL, SOFTWARE }

    private Delivery() {
    }

    /**
     * Delivers a fault raised by the instruction at {@code cpu.rip} (RIP pushed = that instruction),
     * escalating to #DF and to a TRIPLE_FAULT exit as the double-fault rules say.
     *
     * @throws ExitRequest TRIPLE_FAULT, or an EPT violation met while delivering
     */
    public static void exception(Env env, Fault f) {
        escalate(env, f.vector, f.errorCode, f.address, Source.EXCEPTION, env.cpu.rip);
    }

    /** Delivers an injected external interrupt before the instruction at {@code cpu.rip}. */
    public static void external(Env env, int vector) {
        escalate(env, vector, -1, 0, Source.EXTERNAL, env.cpu.rip);
    }

    /**
     * Delivers an event with double-fault escalation: a contributory fault while delivering a
     * contributory one, or a contributory or #PF while delivering #PF, becomes #DF; any fault while
     * delivering #DF is a triple fault; otherwise the new fault is delivered in its place.
     */
    public static void escalate(Env env, int vector, int errorCode, long address, Source source, long returnRip) {
        for (;;) {
            try {
                deliver(env, vector, errorCode, address, source, returnRip);
                return;
            } catch (Fault second) {
                if (vector == Fault.DF && source == Source.EXCEPTION) {
                    throw new ExitRequest(VmExit.of(VmExit.Reason.TRIPLE_FAULT));
                }
                boolean firstContributory = source == Source.EXCEPTION && contributory(vector);
                boolean firstPf = source == Source.EXCEPTION && vector == Fault.PF;
                boolean secondBad = contributory(second.vector) || second.vector == Fault.PF;
                if (firstContributory && contributory(second.vector) || firstPf && secondBad) {
                    vector = Fault.DF;
                    errorCode = 0;
                    address = 0;
                } else {
                    vector = second.vector;
                    errorCode = second.errorCode;
                    address = second.address;
                }
                source = Source.EXCEPTION;
                returnRip = env.cpu.rip;
            }
        }
    }

    private static boolean contributory(int v) {
        return v == Fault.DE || v == Fault.TS || v == Fault.NP || v == Fault.SS || v == Fault.GP;
    }

    /**
     * Delivers one event through the IDT, or throws the fault that delivery meets (state unchanged).
     *
     * @param errorCode the error code to push, or -1 for none
     * @param address   for #PF the linear address for CR2
     * @param returnRip the RIP to push
     */
    public static void deliver(Env env, int vector, int errorCode, long address, Source source, long returnRip) {
        Cpu cpu = env.cpu;
        int ext = source == Source.SOFTWARE ? 0 : 1;
        int idtErr = vector * 8 + 2 + ext;
        if (vector == Fault.PF) {
            cpu.cr2 = address; // CR2 is loaded as delivery starts, even if delivery then faults
        }
        if ((cpu.efer & SysOps.EFER_LMA) == 0) {
            deliverLegacy(env, vector, errorCode, source, returnRip, idtErr, ext);
            return;
        }
        if (vector * 16L + 15 > (cpu.idtrLimit & 0xFFFF)) {
            throw Fault.gp(idtErr);
        }
        long lo = env.readSys(cpu.idtrBase + vector * 16L, 64);
        long hi = env.readSys(cpu.idtrBase + vector * 16L + 8, 64);
        int type = (int) (lo >>> 40) & 0xF;
        if (type != 0xE && type != 0xF) {
            throw Fault.gp(idtErr);
        }
        int gateDpl = (int) (lo >>> 45) & 3;
        int cpl = cpu.cpl();
        if (source == Source.SOFTWARE && gateDpl < cpl) {
            throw Fault.gp(idtErr);
        }
        if ((lo & (1L << 47)) == 0) {
            throw Fault.np(idtErr);
        }
        int selector = (int) (lo >>> 16) & 0xFFFF;
        long offset = (lo & 0xFFFF) | ((lo >>> 48) & 0xFFFF) << 16 | (hi & 0xFFFFFFFFL) << 32;
        int ist = (int) (lo >>> 32) & 7;

        if ((selector & 0xFFFC) == 0) {
            throw Fault.gp(ext);
        }
        long desc;
        try {
            desc = Segments.descriptor(env, selector);
        } catch (Fault f) {
            throw f.vector == Fault.GP ? Fault.gp((selector & 0xFFFC) | ext) : f;
        }
        int ar = Segments.ar(desc);
        int csErr = (selector & 0xFFFC) | ext;
        if ((ar & Segments.AR_S) == 0 || (ar & Segments.AR_CODE) == 0 || Segments.dpl(ar) > cpl
                || (ar & Segments.AR_L) == 0 || (ar & Segments.AR_DB) != 0) {
            throw Fault.gp(csErr);
        }
        if ((ar & Segments.AR_P) == 0) {
            throw Fault.np(csErr);
        }
        int newCpl = (ar & Segments.AR_CONFORMING) != 0 ? cpl : Segments.dpl(ar);
        boolean privilegeChange = newCpl < cpl;
        long rsp = cpu.gpr[4];
        if (ist != 0) {
            rsp = tssRead(env, 0x24 + 8 * (ist - 1), ext);
        } else if (privilegeChange) {
            rsp = tssRead(env, 4 + 8 * newCpl, ext);
        }
        if (!org.pvhconf.x86.mmu.PageWalk.canonical(rsp)) {
            throw Fault.ss(ext);
        }
        rsp &= ~0xFL; // the 64-bit frame is 16-byte aligned (SDM Vol. 3 §6.14.2)
        boolean hasErr = errorCode >= 0;
        int frameBytes = hasErr ? 48 : 40;
        long newRsp = rsp - frameBytes;
        boolean userStack = newCpl == 3;
        env.mmu.probeWrite(newRsp, frameBytes, userStack);

        // Everything checked: commit.
        Segment ss = cpu.seg[SegReg.SS.ordinal()];
        long rflags = cpu.rflags;
        int csSel = cpu.seg[SegReg.CS.ordinal()].selector;
        long oldRsp = cpu.gpr[4];
        int oldSs = ss.selector;
        long p = rsp;
        p -= 8;
        env.mmu.write(p, 64, oldSs & 0xFFFF, userStack);
        p -= 8;
        env.mmu.write(p, 64, oldRsp, userStack);
        p -= 8;
        env.mmu.write(p, 64, rflags, userStack);
        p -= 8;
        env.mmu.write(p, 64, csSel & 0xFFFF, userStack);
        p -= 8;
        env.mmu.write(p, 64, returnRip, userStack);
        if (hasErr) {
            p -= 8;
            env.mmu.write(p, 64, errorCode & 0xFFFFFFFFL, userStack);
        }
        Segments.commitCode(env, (selector & 0xFFFC) | newCpl, desc);
        if (privilegeChange) {
            // A privilege change loads SS with a null selector whose RPL is the new CPL.
            ss.set(newCpl, 0, 0, Segments.AR_UNUSABLE | Segments.AR_S | Segments.AR_WRITE_OR_READ | newCpl << 5
                    | Segments.AR_DB | Segments.AR_G);
        }
        cpu.gpr[4] = p;
        long clear = RFlags.TF | RFlags.NT | RFlags.RF | RFlags.VM | (type == 0xE ? RFlags.IF : 0);
        cpu.rflags = rflags & ~clear;
        cpu.rip = offset;
        cpu.interruptShadow = false;
    }

    /**
     * Delivery in legacy protected mode through a 32-bit interrupt or trap gate (8-byte IDT entries,
     * SDM Vol. 3 §6.12.1): a privilege change loads SS:ESP from the 32-bit TSS (SS0:ESP0 at 8:4 + 8n)
     * and pushes the old SS and ESP; then EFLAGS, CS, EIP and the error code, 4 bytes each, with no
     * alignment. Task gates and 16-bit gates are not implemented (#GP with the IDT error code).
     */
    private static void deliverLegacy(Env env, int vector, int errorCode, Source source, long returnRip, int idtErr,
                                      int ext) {
        Cpu cpu = env.cpu;
        if (vector * 8L + 7 > (cpu.idtrLimit & 0xFFFF)) {
            throw Fault.gp(idtErr);
        }
        long gate = env.readSys((cpu.idtrBase + vector * 8L) & 0xFFFFFFFFL, 64);
        int type = (int) (gate >>> 40) & 0x1F;
        if (type != 0xE && type != 0xF) {
            throw Fault.gp(idtErr);
        }
        int cpl = cpu.cpl();
        if (source == Source.SOFTWARE && ((int) (gate >>> 45) & 3) < cpl) {
            throw Fault.gp(idtErr);
        }
        if ((gate & (1L << 47)) == 0) {
            throw Fault.np(idtErr);
        }
        int selector = (int) (gate >>> 16) & 0xFFFF;
        long offset = (gate & 0xFFFF) | ((gate >>> 48) & 0xFFFF) << 16;
        if ((selector & 0xFFFC) == 0) {
            throw Fault.gp(ext);
        }
        int csErr = (selector & 0xFFFC) | ext;
        long desc;
        try {
            desc = Segments.descriptor(env, selector);
        } catch (Fault f) {
            throw f.vector == Fault.GP ? Fault.gp(csErr) : f;
        }
        int ar = Segments.ar(desc);
        if ((ar & Segments.AR_S) == 0 || (ar & Segments.AR_CODE) == 0 || Segments.dpl(ar) > cpl) {
            throw Fault.gp(csErr);
        }
        if ((ar & Segments.AR_P) == 0) {
            throw Fault.np(csErr);
        }
        int newCpl = (ar & Segments.AR_CONFORMING) != 0 ? cpl : Segments.dpl(ar);
        boolean outer = newCpl < cpl;
        Segment ss = cpu.seg[SegReg.SS.ordinal()];
        Segment savedSs = new Segment().set(ss.selector, ss.base, ss.limit, ss.ar);
        long esp = cpu.gpr[4] & 0xFFFFFFFFL;
        long stackBase = ss.base;
        if (outer) {
            Segment tr = cpu.seg[SegReg.TR.ordinal()];
            if (10L + 8 * newCpl > (tr.limit & 0xFFFFFFFFL)) {
                throw Fault.ts((tr.selector & 0xFFFC) | ext);
            }
            long newEsp = env.readSys((tr.base + 4 + 8L * newCpl) & 0xFFFFFFFFL, 32);
            int newSs = (int) env.readSys((tr.base + 8 + 8L * newCpl) & 0xFFFFFFFFL, 16);
            try {
                Segments.loadStack(env, newSs, newCpl); // checked and loaded; undone below if the pushes fault
            } catch (Fault f) {
                throw Fault.ts((newSs & 0xFFFC) | ext);
            }
            esp = newEsp;
            stackBase = ss.base;
        }
        boolean hasErr = errorCode >= 0;
        int frameBytes = (outer ? 20 : 12) + (hasErr ? 4 : 0);
        long top = esp - frameBytes;
        boolean userStack = newCpl == 3;
        try {
            env.mmu.probeWrite((stackBase + (top & 0xFFFFFFFFL)) & 0xFFFFFFFFL, frameBytes, userStack);
        } catch (Fault f) {
            ss.copyFrom(savedSs);
            throw f;
        }
        long p = esp;
        if (outer) {
            p -= 4;
            env.mmu.write((stackBase + (p & 0xFFFFFFFFL)) & 0xFFFFFFFFL, 32, savedSs.selector & 0xFFFF, userStack);
            p -= 4;
            env.mmu.write((stackBase + (p & 0xFFFFFFFFL)) & 0xFFFFFFFFL, 32, cpu.gpr[4] & 0xFFFFFFFFL, userStack);
        }
        long[] frame = {cpu.rflags & 0xFFFFFFFFL, cpu.seg[SegReg.CS.ordinal()].selector & 0xFFFF, returnRip & 0xFFFFFFFFL,
            errorCode & 0xFFFFFFFFL};
        for (int i = 0; i < (hasErr ? 4 : 3); i++) {
            p -= 4;
            env.mmu.write((stackBase + (p & 0xFFFFFFFFL)) & 0xFFFFFFFFL, 32, frame[i], userStack);
        }
        Segments.commitCode(env, (selector & 0xFFFC) | newCpl, desc);
        cpu.gpr[4] = p & 0xFFFFFFFFL;
        long clear = RFlags.TF | RFlags.NT | RFlags.RF | RFlags.VM | (type == 0xE ? RFlags.IF : 0);
        cpu.rflags &= ~clear;
        cpu.rip = offset;
        cpu.interruptShadow = false;
    }

    /** A 64-bit field of the TSS; #TS(TR selector) beyond its limit. */
    private static long tssRead(Env env, int offset, int ext) {
        Segment tr = env.cpu.seg[SegReg.TR.ordinal()];
        if (offset + 7L > (tr.limit & 0xFFFFFFFFL)) {
            throw Fault.ts((tr.selector & 0xFFFC) | ext);
        }
        return env.readSys(tr.base + offset, 64);
    }
}
