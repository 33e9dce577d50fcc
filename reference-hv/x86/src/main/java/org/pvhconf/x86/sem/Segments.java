package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.Segment;
import org.pvhconf.x86.fault.Fault;

/**
 * Descriptor-table reads and segment-register loads in IA-32e mode (SDM Vol. 3 §3.4, §5.5-5.8 and
 * the MOV/POP/IRET/RET pseudo-code of Vol. 2). Each load checks everything first and then commits,
 * so a fault leaves the segment register as it was.
 */
public final class Segments {
    /** Access-rights bits in the VMCS layout of {@link Segment#ar}. */
    static final int AR_ACCESSED = 1, AR_WRITE_OR_READ = 2, AR_CONFORMING = 4, AR_CODE = 8, AR_S = 0x10,
            AR_P = 0x80, AR_L = 1 << 13, AR_DB = 1 << 14, AR_G = 1 << 15, AR_UNUSABLE = 1 << 16;

    private Segments() {
    }

    /** The 8-byte descriptor for {@code selector} from the GDT or LDT; #GP(selector) beyond the limit. */
    static long descriptor(Env env, int selector) {
        return env.readSys(descriptorAddress(env, selector), 64);
    }

    static long descriptorAddress(Env env, int selector) {
        Cpu cpu = env.cpu;
        int index = selector & 0xFFF8;
        long base;
        long limit;
        if ((selector & 4) != 0) {
            Segment ldt = cpu.seg[SegReg.LDTR.ordinal()];
            if ((ldt.ar & AR_UNUSABLE) != 0 || (ldt.selector & 0xFFFC) == 0) {
                throw Fault.gp(selector & 0xFFFC);
            }
            base = ldt.base;
            limit = ldt.limit & 0xFFFFFFFFL;
        } else {
            base = cpu.gdtrBase;
            limit = cpu.gdtrLimit & 0xFFFF;
        }
        if (index + 7 > limit) {
            throw Fault.gp(selector & 0xFFFC);
        }
        return base + index;
    }

    /** The VMCS-layout access rights of a descriptor. */
    static int ar(long desc) {
        return (int) ((desc >>> 40) & 0xFF) | (int) ((desc >>> 52) & 0xF) << 12;
    }

    static long base(long desc) {
        return ((desc >>> 16) & 0xFFFFFF) | ((desc >>> 56) & 0xFF) << 24;
    }

    static int limit(long desc) {
        long l = (desc & 0xFFFF) | ((desc >>> 48) & 0xF) << 16;
        return (int) ((desc & (1L << 55)) != 0 ? (l << 12) | 0xFFF : l);
    }

    static int dpl(int ar) {
        return (ar >>> 5) & 3;
    }

    /** Sets the accessed bit in the descriptor in memory, as the CPU does on a load. */
    static void markAccessed(Env env, int selector, long desc) {
        if ((desc & (1L << 40)) == 0) {
            env.writeSys(descriptorAddress(env, selector) + 5, 8, ((desc >>> 40) & 0xFF) | 1);
        }
    }

    /** MOV/POP to DS, ES, FS, GS. A null selector leaves an unusable segment (FS/GS keep their base). */
    public static void loadData(Env env, int seg, int selector) {
        Cpu cpu = env.cpu;
        Segment s = cpu.seg[seg];
        if ((selector & 0xFFFC) == 0) {
            s.selector = selector;
            s.ar = AR_UNUSABLE;
            return;
        }
        long desc = descriptor(env, selector);
        int ar = ar(desc);
        int err = selector & 0xFFFC;
        boolean code = (ar & AR_CODE) != 0;
        if ((ar & AR_S) == 0 || code && (ar & AR_WRITE_OR_READ) == 0) {
            throw Fault.gp(err);
        }
        if (!code || (ar & AR_CONFORMING) == 0) {
            if (dpl(ar) < Math.max(cpu.cpl(), selector & 3)) {
                throw Fault.gp(err);
            }
        }
        if ((ar & AR_P) == 0) {
            throw Fault.np(err);
        }
        markAccessed(env, selector, desc);
        long base = base(desc);
        if (seg == SegReg.FS.ordinal() || seg == SegReg.GS.ordinal()) {
            base &= 0xFFFFFFFFL;
        }
        s.set(selector, base, limit(desc), ar | AR_ACCESSED);
    }

    /**
     * Loads SS for privilege level {@code cpl}. A null selector is allowed in 64-bit mode below CPL 3
     * when its RPL is the CPL (SDM "MOV": "if SS is loaded with a null selector in 64-bit mode...").
     */
    public static void loadStack(Env env, int selector, int cpl) {
        Segment s = env.cpu.seg[SegReg.SS.ordinal()];
        int err = selector & 0xFFFC;
        if (err == 0) {
            if (cpl == 3 || (selector & 3) != cpl || !env.cpu.is64BitMode()) {
                throw Fault.gp(0);
            }
            s.set(selector, 0, 0, AR_UNUSABLE | AR_S | AR_WRITE_OR_READ | cpl << 5 | AR_DB | AR_G);
            return;
        }
        long desc = descriptor(env, selector);
        int ar = ar(desc);
        if ((selector & 3) != cpl || dpl(ar) != cpl || (ar & AR_S) == 0 || (ar & AR_CODE) != 0
                || (ar & AR_WRITE_OR_READ) == 0) {
            throw Fault.gp(err);
        }
        if ((ar & AR_P) == 0) {
            throw Fault.ss(err);
        }
        markAccessed(env, selector, desc);
        s.set(selector, base(desc), limit(desc), ar | AR_ACCESSED);
    }

    /**
     * Checks a code-segment selector for a far return or IRET to privilege {@code selector & 3}
     * and returns its descriptor (SDM "RET" / "IRET" protected-mode return checks).
     */
    static long checkReturnCode(Env env, int selector) {
        int err = selector & 0xFFFC;
        if (err == 0) {
            throw Fault.gp(0);
        }
        int rpl = selector & 3;
        if (rpl < env.cpu.cpl()) {
            throw Fault.gp(err);
        }
        long desc = descriptor(env, selector);
        int ar = ar(desc);
        if ((ar & AR_S) == 0 || (ar & AR_CODE) == 0) {
            throw Fault.gp(err);
        }
        boolean conforming = (ar & AR_CONFORMING) != 0;
        if (conforming ? dpl(ar) > rpl : dpl(ar) != rpl) {
            throw Fault.gp(err);
        }
        if ((ar & AR_P) == 0) {
            throw Fault.np(err);
        }
        if ((ar & AR_L) != 0 && (ar & AR_DB) != 0) {
            throw Fault.gp(err); // L = 1 with D = 1 is reserved
        }
        return desc;
    }

    /** Commits CS from a checked descriptor at privilege {@code rpl}. */
    static void commitCode(Env env, int selector, long desc) {
        markAccessed(env, selector, desc);
        env.cpu.seg[SegReg.CS.ordinal()].set(selector, base(desc), limit(desc), ar(desc) | AR_ACCESSED);
    }

    /** After a return to an outer level: data segments the new CPL may not use become null (SDM "RET"). */
    static void nullInaccessible(Cpu cpu) {
        int cpl = cpu.cpl();
        for (SegReg r : new SegReg[] {SegReg.ES, SegReg.DS, SegReg.FS, SegReg.GS}) {
            Segment s = cpu.seg[r.ordinal()];
            boolean conformingCode = (s.ar & AR_CODE) != 0 && (s.ar & AR_CONFORMING) != 0;
            if ((s.ar & AR_UNUSABLE) == 0 && !conformingCode && s.dpl() < cpl) {
                s.selector = 0;
                s.ar = AR_UNUSABLE;
            }
        }
    }
}
