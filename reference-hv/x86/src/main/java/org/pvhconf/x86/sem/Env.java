package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.mmu.Mmu;
import org.pvhconf.x86.mmu.PageWalk;

/**
 * What system helpers act on (QEMU's {@code env}): the {@link Cpu}, its {@link Mmu}, and the
 * per-instruction control state a helper reports back to its back end. One per CPU, owned by the
 * back end.
 *
 * <p>During an instruction {@code cpu.rip} is still the instruction's own address; the back end
 * moves it on at retire, to {@link #target} if {@link #jumped}.
 */
public final class Env {
    public final Cpu cpu;
    public final Mmu mmu;
    /** Set by a jump: RIP after this instruction is {@link #target}. */
    public boolean jumped;
    public long target;
    /**
     * Set by a helper that stopped part-way through an instruction that will run again from the same
     * RIP (a REP string chunk): the back end must not count it as retired.
     */
    public boolean noRetire;

    public Env(Cpu cpu, Mmu mmu) {
        this.cpu = cpu;
        this.mmu = mmu;
    }

    /** Called by the back end before each instruction. */
    public void begin() {
        jumped = false;
        noRetire = false;
    }

    public void jump(long rip) {
        jumped = true;
        target = rip;
    }

    /** True for an explicit access at CPL 3 (user page rights apply). */
    public boolean user() {
        return cpu.cpl() == 3;
    }

    /** Data accesses are alignment-checked now (CPL 3, CR0.AM, RFLAGS.AC): a cached page must not skip #AC. */
    public boolean alignmentChecked() {
        return user() && (cpu.rflags & RFlags.AC) != 0 && (cpu.cr0 & (1L << 18)) != 0;
    }

    /**
     * The linear address of {@code addr} in segment {@code seg}. In 64-bit mode only FS and GS have a
     * base and no limit is checked (SDM Vol. 3 §3.2.4); a non-canonical address is #SS(0) for the
     * stack segment and #GP(0) otherwise.
     */
    public long linear(int seg, long addr) {
        if (!cpu.is64BitMode()) {
            return legacyLinear(seg, addr, 1);
        }
        long lin = addr;
        if (seg == SegReg.FS.ordinal() || seg == SegReg.GS.ordinal()) {
            lin += cpu.seg[seg].base;
        }
        if (!PageWalk.canonical(lin)) {
            throw seg == SegReg.SS.ordinal() ? Fault.ss(0) : Fault.gp(0);
        }
        return lin;
    }

    public long read(int seg, long addr, int size) {
        long lin = cpu.is64BitMode() ? linear(seg, addr) : legacyLinear(seg, addr, size / 8);
        boolean user = user();
        alignmentCheck(lin, size);
        return mmu.read(lin, size, user);
    }

    public void write(int seg, long addr, int size, long value) {
        long lin = cpu.is64BitMode() ? linear(seg, addr) : legacyLinear(seg, addr, size / 8);
        boolean user = user();
        alignmentCheck(lin, size);
        mmu.write(lin, size, value, user);
    }

    /**
     * Segmentation outside 64-bit mode (SDM Vol. 3 §3.4, §5.3): base + offset, wrapping at 4 GiB;
     * an unusable (null) segment and an access past the limit are #GP(0), or #SS(0) for SS.
     * Expand-down segments are treated as expand-up (not implemented).
     */
    private long legacyLinear(int seg, long addr, int bytes) {
        org.pvhconf.x86.cpu.Segment s = cpu.seg[seg];
        long off = addr & 0xFFFFFFFFL;
        if ((s.ar & (1 << 16)) != 0 || off + bytes - 1 > (s.limit & 0xFFFFFFFFL)) {
            throw seg == SegReg.SS.ordinal() ? Fault.ss(0) : Fault.gp(0);
        }
        return (s.base + off) & 0xFFFFFFFFL;
    }

    /** #AC(0) for a misaligned data access at CPL 3 with CR0.AM and RFLAGS.AC (SDM Vol. 3 §6.15, interrupt 17). */
    private void alignmentCheck(long linear, int size) {
        if ((linear & (size / 8 - 1)) != 0 && alignmentChecked()) {
            throw new Fault(Fault.AC, 0, 0);
        }
    }

    /** An implicit supervisor read (descriptor tables, TSS, IDT). */
    public long readSys(long linear, int size) {
        if (!PageWalk.canonical(linear)) {
            throw Fault.gp(0);
        }
        return mmu.read(linear, size, false);
    }

    public void writeSys(long linear, int size, long value) {
        if (!PageWalk.canonical(linear)) {
            throw Fault.gp(0);
        }
        mmu.write(linear, size, value, false);
    }

    /** The virtual TSC: retired instructions plus the hypervisor's offset; deterministic by construction. */
    public long tsc() {
        return cpu.retiredInstructions() + cpu.tscOffset;
    }

    public long gpr(int r) {
        return cpu.gpr[r];
    }
}
