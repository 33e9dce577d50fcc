package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.Segment;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.ExitRequest;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.mmu.PageWalk;

/**
 * System-instruction helpers: VM exits, control and debug registers, MSRs, descriptor-table
 * registers, TLB maintenance, interrupt flag. Each is check-then-commit: it raises or exits before
 * changing any state. Signature {@code long name(Env, DecodedInsn, long arg)} ({@link Sys}).
 */
public final class SysOps {
    static final long CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 16, CR0_NE = 32, CR0_WP = 1 << 16,
            CR0_AM = 1 << 18, CR0_NW = 1L << 29, CR0_CD = 1L << 30, CR0_PG = 1L << 31;
    static final long CR4_PAE = 1 << 5, CR4_TSD = 1 << 2, CR4_DE = 1 << 3, CR4_UMIP = 1 << 11, CR4_OSXSAVE = 1 << 18;
    /** CR4 bits this CPU implements: VME..OSXMMEXCPT, UMIP, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP. */
    static final long CR4_VALID = 0x7FF | 1 << 11 | 1 << 16 | 1 << 17 | 1 << 18 | 1 << 20 | 1 << 21;
    static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;

    /** MSR indices handled inside the CPU. */
    public static final int MSR_TSC = 0x10, MSR_APIC_BASE = 0x1B, MSR_PAT = 0x277, MSR_EFER = 0xC0000080,
            MSR_STAR = 0xC0000081, MSR_LSTAR = 0xC0000082, MSR_CSTAR = 0xC0000083, MSR_SFMASK = 0xC0000084,
            MSR_FS_BASE = 0xC0000100, MSR_GS_BASE = 0xC0000101, MSR_KERNEL_GS_BASE = 0xC0000102;

    private SysOps() {
    }

    static void requireCpl0(Env env) {
        if (env.cpu.cpl() != 0) {
            throw Fault.gp(0);
        }
    }

    private static ExitRequest exit(VmExit.Reason reason, DecodedInsn d, long qualification) {
        return new ExitRequest(VmExit.instruction(reason, d.length, qualification));
    }

    // ---- instructions that exit to the hypervisor ----

    public static long cpuid(Env env, DecodedInsn d, long arg) {
        throw exit(VmExit.Reason.CPUID, d, 0);
    }

    /** VMCALL and VMMCALL exit at any CPL: the hypervisor checks the privilege (§1.2). */
    public static long vmcall(Env env, DecodedInsn d, long arg) {
        throw exit(VmExit.Reason.VMCALL, d, 0);
    }

    public static long hlt(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        throw exit(VmExit.Reason.HLT, d, 0);
    }

    /** IN/OUT: {@code arg} is the port. CPL above IOPL is #GP(0): this CPU has no TSS I/O bitmap. */
    public static long io(Env env, DecodedInsn d, long arg) {
        checkIoPrivilege(env);
        boolean in = d.form.mnemonic.equals("IN");
        int size = d.form.mnemonic.equals("IN") ? d.form.operand(0).size() : d.form.operand(1).size();
        throw new ExitRequest(VmExit.io(d.length, (int) arg & 0xFFFF, size / 8, in));
    }

    /** INS/OUTS exit as IO with {@link #IO_STRING} (and {@link #IO_REP}) in the qualification. */
    public static long ioString(Env env, DecodedInsn d, long arg) {
        checkIoPrivilege(env);
        boolean in = d.form.mnemonic.startsWith("INS");
        long q = (env.cpu.gpr[2] & 0xFFFF) | IO_STRING | (d.rep() || d.repne() ? IO_REP : 0);
        throw new ExitRequest(new VmExit(VmExit.Reason.IO, q, 0, d.length, d.opSize / 8, in));
    }

    /** Qualification bits of a string IO exit, above the 16-bit port. */
    public static final long IO_STRING = 1L << 32, IO_REP = 1L << 33;

    private static void checkIoPrivilege(Env env) {
        int iopl = (int) (env.cpu.rflags >>> 12) & 3;
        if (env.cpu.cpl() > iopl) {
            throw Fault.gp(0);
        }
    }

    // ---- time ----

    public static long rdtsc(Env env, DecodedInsn d, long arg) {
        if ((env.cpu.cr4 & CR4_TSD) != 0 && env.cpu.cpl() != 0) {
            throw Fault.gp(0);
        }
        long tsc = env.tsc();
        env.cpu.gpr[0] = tsc & 0xFFFFFFFFL;
        env.cpu.gpr[2] = tsc >>> 32;
        if (d.form.mnemonic.equals("RDTSCP")) {
            env.cpu.gpr[1] = 0; // IA32_TSC_AUX is not implemented: it reads as 0
        }
        return 0;
    }

    // ---- MSRs ----

    public static long rdmsr(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        Cpu cpu = env.cpu;
        int msr = (int) cpu.gpr[1];
        long v;
        switch (msr) {
            case MSR_TSC -> v = env.tsc();
            case MSR_APIC_BASE -> v = cpu.apicBase;
            case MSR_PAT -> v = cpu.pat;
            case MSR_EFER -> v = cpu.efer;
            case MSR_STAR -> v = cpu.star;
            case MSR_LSTAR -> v = cpu.lstar;
            case MSR_CSTAR -> v = cpu.cstar;
            case MSR_SFMASK -> v = cpu.sfmask;
            case MSR_FS_BASE -> v = cpu.seg[SegReg.FS.ordinal()].base;
            case MSR_GS_BASE -> v = cpu.seg[SegReg.GS.ordinal()].base;
            case MSR_KERNEL_GS_BASE -> v = cpu.kernelGsBase;
            default -> throw exit(VmExit.Reason.RDMSR, d, msr & 0xFFFFFFFFL);
        }
        cpu.gpr[0] = v & 0xFFFFFFFFL;
        cpu.gpr[2] = v >>> 32;
        return 0;
    }

    public static long wrmsr(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        Cpu cpu = env.cpu;
        int msr = (int) cpu.gpr[1];
        long v = (cpu.gpr[0] & 0xFFFFFFFFL) | cpu.gpr[2] << 32;
        switch (msr) {
            case MSR_TSC -> cpu.tscOffset = v - cpu.retiredInstructions();
            case MSR_APIC_BASE -> cpu.apicBase = v;
            case MSR_PAT -> {
                for (int i = 0; i < 8; i++) {
                    int t = (int) (v >>> (8 * i)) & 0xFF;
                    if (t == 2 || t == 3 || t > 7) {
                        throw Fault.gp(0);
                    }
                }
                cpu.pat = v;
            }
            case MSR_EFER -> writeEfer(env, v);
            case MSR_STAR -> cpu.star = v;
            case MSR_LSTAR -> cpu.lstar = canonical(v);
            case MSR_CSTAR -> cpu.cstar = canonical(v);
            case MSR_SFMASK -> cpu.sfmask = v & 0xFFFFFFFFL;
            case MSR_FS_BASE -> cpu.seg[SegReg.FS.ordinal()].base = canonical(v);
            case MSR_GS_BASE -> cpu.seg[SegReg.GS.ordinal()].base = canonical(v);
            case MSR_KERNEL_GS_BASE -> cpu.kernelGsBase = canonical(v);
            default -> throw exit(VmExit.Reason.WRMSR, d, msr & 0xFFFFFFFFL);
        }
        return 0;
    }

    private static long canonical(long v) {
        if (!PageWalk.canonical(v)) {
            throw Fault.gp(0);
        }
        return v;
    }

    private static void writeEfer(Env env, long v) {
        Cpu cpu = env.cpu;
        if ((v & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)) != 0) {
            throw Fault.gp(0);
        }
        if ((cpu.cr0 & CR0_PG) != 0 && ((v ^ cpu.efer) & EFER_LME) != 0) {
            throw Fault.gp(0); // LME may not change while paging is on
        }
        long nv = v & ~EFER_LMA | cpu.efer & EFER_LMA; // LMA is the processor's, not software's
        boolean flush = ((nv ^ cpu.efer) & EFER_NXE) != 0;
        cpu.efer = nv;
        if (flush) {
            cpu.flushTlb();
        }
    }

    // ---- control and debug registers ----

    /** MOV r64, CRn (n in ModRM.reg): returns the value for the register operand. */
    public static long readCr(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        Cpu cpu = env.cpu;
        return switch (d.reg) {
            case 0 -> cpu.cr0;
            case 2 -> cpu.cr2;
            case 3 -> cpu.cr3;
            case 4 -> cpu.cr4;
            case 8 -> cpu.cr8 & 0xF;
            default -> throw Fault.ud();
        };
    }

    /** MOV CRn, r64 with the reserved-bit and long-mode consistency checks (SDM Vol. 3 §2.5). */
    public static long writeCr(Env env, DecodedInsn d, long v) {
        requireCpl0(env);
        Cpu cpu = env.cpu;
        switch (d.reg) {
            case 0 -> {
                if ((v >>> 32) != 0 || (v & CR0_PG) != 0 && (v & CR0_PE) == 0 || (v & CR0_NW) != 0 && (v & CR0_CD) == 0) {
                    throw Fault.gp(0);
                }
                if ((cpu.efer & EFER_LMA) != 0 && ((v & CR0_PG) == 0 || (v & CR0_PE) == 0)) {
                    throw Fault.gp(0); // leaving long mode by clearing PG or PE is #GP here (§7.1: hvm_set_cr0)
                }
                if ((v & CR0_PG) != 0 && (cpu.cr0 & CR0_PG) == 0 && (cpu.efer & EFER_LME) != 0 && (cpu.cr4 & CR4_PAE) == 0) {
                    throw Fault.gp(0);
                }
                long old = cpu.cr0;
                cpu.cr0 = v | CR0_ET;
                if ((v & CR0_PG) != 0 && (cpu.efer & EFER_LME) != 0) {
                    cpu.efer |= EFER_LMA;
                }
                if (((old ^ cpu.cr0) & (CR0_PG | CR0_WP | CR0_PE)) != 0) {
                    cpu.flushTlb();
                }
            }
            case 2 -> cpu.cr2 = v;
            case 3 -> {
                if ((v & ~((1L << PageWalk.MAXPHYADDR) - 1) & ~(1L << 63)) != 0) {
                    throw Fault.gp(0);
                }
                cpu.cr3 = v & ~(1L << 63);
                cpu.flushTlbNonGlobal();
            }
            case 4 -> {
                if ((v & ~CR4_VALID) != 0 || (cpu.efer & EFER_LMA) != 0 && (v & CR4_PAE) == 0) {
                    throw Fault.gp(0);
                }
                cpu.cr4 = v;
                cpu.flushTlb();
            }
            case 8 -> {
                if ((v & ~0xFL) != 0) {
                    throw Fault.gp(0);
                }
                cpu.cr8 = v;
            }
            default -> throw Fault.ud();
        }
        return 0;
    }

    private static int drIndex(Env env, DecodedInsn d) {
        int n = d.reg;
        if (n > 7) {
            throw Fault.ud();
        }
        if (n == 4 || n == 5) {
            if ((env.cpu.cr4 & CR4_DE) != 0) {
                throw Fault.ud();
            }
            n += 2; // DR4/DR5 alias DR6/DR7 when CR4.DE = 0
        }
        requireCpl0(env);
        return n;
    }

    public static long readDr(Env env, DecodedInsn d, long arg) {
        return env.cpu.dr[drIndex(env, d)];
    }

    public static long writeDr(Env env, DecodedInsn d, long v) {
        int n = drIndex(env, d);
        if (n >= 6 && (v >>> 32) != 0) {
            throw Fault.gp(0);
        }
        env.cpu.dr[n] = n == 6 ? v | 0xFFFF0FF0L : n == 7 ? v | 0x400 : v;
        return 0;
    }

    public static long clts(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        env.cpu.cr0 &= ~CR0_TS;
        return 0;
    }

    public static long smsw(Env env, DecodedInsn d, long arg) {
        umip(env);
        return env.cpu.cr0;
    }

    /** LMSW sets PE, MP, EM, TS from the operand but cannot clear PE. */
    public static long lmsw(Env env, DecodedInsn d, long v) {
        requireCpl0(env);
        long bits = CR0_PE | CR0_MP | CR0_EM | CR0_TS;
        env.cpu.cr0 = env.cpu.cr0 & ~(bits & ~CR0_PE) | v & bits;
        return 0;
    }

    /** XCR0 bits this CPU implements: x87 and SSE state (SDM Vol. 1 §13.3). */
    public static final long XCR0_X87 = 1, XCR0_SSE = 2, XCR0_VALID = XCR0_X87 | XCR0_SSE;

    public static long xgetbv(Env env, DecodedInsn d, long arg) {
        if ((env.cpu.cr4 & CR4_OSXSAVE) == 0) {
            throw Fault.ud();
        }
        if ((int) env.cpu.gpr[1] != 0) {
            throw Fault.gp(0);
        }
        env.cpu.gpr[0] = env.cpu.xcr0 & 0xFFFFFFFFL;
        env.cpu.gpr[2] = env.cpu.xcr0 >>> 32;
        return 0;
    }

    /**
     * XSETBV: XCR0 = EDX:EAX. #UD without CR4.OSXSAVE; #GP(0) at CPL &gt; 0, for ECX != 0, for a
     * bit this CPU lacks or x87 (bit 0) clear (SDM Vol. 2 "XSETBV").
     */
    public static long xsetbv(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        if ((cpu.cr4 & CR4_OSXSAVE) == 0) {
            throw Fault.ud();
        }
        requireCpl0(env);
        long v = cpu.gpr[0] & 0xFFFFFFFFL | cpu.gpr[2] << 32;
        if ((int) cpu.gpr[1] != 0 || (v & ~XCR0_VALID) != 0 || (v & XCR0_X87) == 0) {
            throw Fault.gp(0);
        }
        cpu.xcr0 = v;
        return 0;
    }

    /** WBINVD, INVD: privileged no-ops (there are no caches to write back). */
    public static long privilegedNop(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        return 0;
    }

    /** INVLPG m: {@code ea} is the effective address; a non-canonical one is a no-op on hardware too. */
    public static long invlpg(Env env, DecodedInsn d, long ea) {
        requireCpl0(env);
        long linear = ea + (d.segment >= 4 && d.segment <= 5 ? env.cpu.seg[d.segment].base : 0);
        env.cpu.flushTlbPage(linear); // through the Cpu, so a JIT can drop code for the page too
        return 0;
    }

    public static long swapgs(Env env, DecodedInsn d, long arg) {
        requireCpl0(env);
        Segment gs = env.cpu.seg[SegReg.GS.ordinal()];
        long t = gs.base;
        gs.base = env.cpu.kernelGsBase;
        env.cpu.kernelGsBase = t;
        return 0;
    }

    // ---- descriptor-table registers: arg is the effective address of the m16&64 operand ----

    private static void umip(Env env) {
        if ((env.cpu.cr4 & CR4_UMIP) != 0 && env.cpu.cpl() != 0) {
            throw Fault.gp(0);
        }
    }

    public static long lgdt(Env env, DecodedInsn d, long ea) {
        return loadTableRegister(env, d, ea, true);
    }

    public static long lidt(Env env, DecodedInsn d, long ea) {
        return loadTableRegister(env, d, ea, false);
    }

    private static long loadTableRegister(Env env, DecodedInsn d, long ea, boolean gdt) {
        requireCpl0(env);
        int limit = (int) env.read(d.segment, ea, 16);
        long base = env.read(d.segment, ea + 2, 64);
        if (!PageWalk.canonical(base)) {
            throw Fault.gp(0);
        }
        if (gdt) {
            env.cpu.gdtrBase = base;
            env.cpu.gdtrLimit = limit;
        } else {
            env.cpu.idtrBase = base;
            env.cpu.idtrLimit = limit;
        }
        return 0;
    }

    public static long sgdt(Env env, DecodedInsn d, long ea) {
        return storeTableRegister(env, d, ea, env.cpu.gdtrLimit, env.cpu.gdtrBase);
    }

    public static long sidt(Env env, DecodedInsn d, long ea) {
        return storeTableRegister(env, d, ea, env.cpu.idtrLimit, env.cpu.idtrBase);
    }

    private static long storeTableRegister(Env env, DecodedInsn d, long ea, int limit, long base) {
        umip(env);
        env.mmu.probeWrite(env.linear(d.segment, ea), 10, env.user());
        env.write(d.segment, ea, 16, limit);
        env.write(d.segment, ea + 2, 64, base);
        return 0;
    }

    public static long sldt(Env env, DecodedInsn d, long arg) {
        umip(env);
        return env.cpu.seg[SegReg.LDTR.ordinal()].selector & 0xFFFF;
    }

    public static long str(Env env, DecodedInsn d, long arg) {
        umip(env);
        return env.cpu.seg[SegReg.TR.ordinal()].selector & 0xFFFF;
    }

    /** LLDT: a null selector leaves LDTR unusable; else a present LDT descriptor (type 2) in the GDT. */
    public static long lldt(Env env, DecodedInsn d, long sel) {
        requireCpl0(env);
        int selector = (int) sel & 0xFFFF;
        Segment ldtr = env.cpu.seg[SegReg.LDTR.ordinal()];
        if ((selector & 0xFFFC) == 0) {
            ldtr.set(selector, 0, 0, Segments.AR_UNUSABLE);
            return 0;
        }
        long[] desc = systemDescriptor(env, selector, 2);
        ldtr.set(selector, desc[0], desc[1] == 0 ? 0 : (int) desc[1], Segments.ar(desc[2]));
        return 0;
    }

    /** LTR: an available 64-bit TSS (type 9) in the GDT, which becomes busy (type 11). */
    public static long ltr(Env env, DecodedInsn d, long sel) {
        requireCpl0(env);
        int selector = (int) sel & 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            throw Fault.gp(0);
        }
        long[] desc = systemDescriptor(env, selector, 9);
        long addr = Segments.descriptorAddress(env, selector);
        env.writeSys(addr + 5, 8, ((desc[2] >>> 40) & 0xFF) | 2); // busy
        env.cpu.seg[SegReg.TR.ordinal()].set(selector, desc[0], (int) desc[1], Segments.ar(desc[2]) | 2);
        return 0;
    }

    /** Reads and checks a 16-byte system descriptor: {base, limit, low quadword}. */
    private static long[] systemDescriptor(Env env, int selector, int type) {
        int err = selector & 0xFFFC;
        if ((selector & 4) != 0) {
            throw Fault.gp(err);
        }
        long addr = Segments.descriptorAddress(env, selector);
        if ((selector & 0xFFF8) + 15 > (env.cpu.gdtrLimit & 0xFFFF)) {
            throw Fault.gp(err);
        }
        long lo = env.readSys(addr, 64);
        long hi = env.readSys(addr + 8, 64);
        int ar = Segments.ar(lo);
        if ((ar & Segments.AR_S) != 0 || (ar & 0xF) != type || ((hi >>> 40) & 0x1F) != 0) {
            throw Fault.gp(err);
        }
        if ((ar & Segments.AR_P) == 0) {
            throw Fault.np(err);
        }
        long base = Segments.base(lo) | (hi & 0xFFFFFFFFL) << 32;
        if (!PageWalk.canonical(base)) {
            throw Fault.gp(err);
        }
        return new long[] {base, Segments.limit(lo) & 0xFFFFFFFFL, lo};
    }

    // ---- interrupt flag ----

    public static long cli(Env env, DecodedInsn d, long arg) {
        checkIoPrivilege(env);
        env.cpu.rflags &= ~RFlags.IF;
        return 0;
    }

    /** STI: IF = 1; if it was 0, interrupts stay blocked until after the next instruction. */
    public static long sti(Env env, DecodedInsn d, long arg) {
        checkIoPrivilege(env);
        if ((env.cpu.rflags & RFlags.IF) == 0) {
            env.cpu.interruptShadow = true;
        }
        env.cpu.rflags |= RFlags.IF;
        return 0;
    }
}
