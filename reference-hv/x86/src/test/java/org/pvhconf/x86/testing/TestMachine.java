package org.pvhconf.x86.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.interp.Interpreter;

/**
 * A guest for tests: 64 MiB of guest-physical memory (frames made on first use), a p2m that can
 * withhold frames or write access, and a CPU in the PVHv1 entry state of pvh-abi.md §7.1 (long
 * mode, CPL 0, CR0 0x80000011, CR4 0x20, EFER 0x500, GDTR/IDTR limit 0) with an identity map:
 * 4 KiB pages for the first 2 MiB (L4 at 0x1000, L3 0x2000, L2 0x3000, L1 0x4000), 2 MiB pages up to 64 MiB.
 */
public final class TestMachine implements GuestPhysMemory {
    public static final long L4 = 0x1000, L3 = 0x2000, L2 = 0x3000, L1 = 0x4000;
    public static final long MEMORY = 64L << 20;

    private final Map<Long, byte[]> frames = new HashMap<>();
    /** gfns the p2m does not map at all, and gfns it maps read-only. */
    public final Set<Long> unmapped = new HashSet<>(), readOnly = new HashSet<>();
    public final Cpu cpu;

    public TestMachine() {
        this(new Interpreter());
    }

    /** The same machine on another engine (the JIT's differential tests). */
    public TestMachine(Cpu.Engine engine) {
        cpu = new Cpu(this, engine);
        cpu.cr0 = 0x80000011L;
        cpu.cr4 = 0x20;
        cpu.efer = 0x500;
        cpu.rflags = 0x202;
        cpu.segment(SegReg.CS).set(0, 0, 0xFFFFFFFF, 0xA09B);
        for (SegReg s : new SegReg[] {SegReg.SS, SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS}) {
            cpu.segment(s).set(0, 0, 0xFFFFFFFF, 0xC093);
        }
        cpu.segment(SegReg.LDTR).set(0, 0, 0, 0x82);
        cpu.segment(SegReg.TR).set(0, 0, 0xFF, 0x8B);
        cpu.cr3 = L4;
        write64(L4, L3 | 0x67);
        write64(L3, L2 | 0x67);
        write64(L2, L1 | 0x67);
        for (int i = 0; i < 512; i++) {
            write64(L1 + 8L * i, ((long) i << 12) | 0x63); // P RW A D: tests clear A/D where they look at them
        }
        for (int i = 1; i < (int) (MEMORY >> 21); i++) {
            write64(L2 + 8L * i, ((long) i << 21) | 0xE3); // 2 MiB pages: P RW A D PS
        }
        cpu.gpr[4] = 0x80000; // a stack below 512 KiB
    }

    @Override
    public byte[] frame(long gfn, int access) {
        if (gfn < 0 || gfn >= MEMORY >> 12 || unmapped.contains(gfn)) {
            return null;
        }
        if (access == WRITE && readOnly.contains(gfn)) {
            return null;
        }
        return frames.computeIfAbsent(gfn, g -> new byte[4096]);
    }

    private ByteBuffer at(long gpa) {
        return ByteBuffer.wrap(frame(gpa >>> 12, READ)).order(ByteOrder.LITTLE_ENDIAN).position((int) (gpa & 0xFFF));
    }

    public void write(long gpa, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            frame((gpa + i) >>> 12, READ)[(int) ((gpa + i) & 0xFFF)] = bytes[i];
        }
    }

    public void write64(long gpa, long v) {
        at(gpa).putLong(v);
    }

    public long read64(long gpa) {
        return at(gpa).getLong();
    }

    public int read8(long gpa) {
        return frame(gpa >>> 12, READ)[(int) (gpa & 0xFFF)] & 0xFF;
    }

    /** Places {@code code} at {@code rip} and points the CPU at it. */
    public TestMachine load(long rip, byte[] code) {
        write(rip, code);
        cpu.rip = rip;
        return this;
    }

    public VmExit run(long budget) {
        return cpu.run(budget);
    }

    // ---- descriptor tables for exception tests ----

    public static final long GDT = 0x6000, IDT = 0x7000, TSS = 0x8000, HANDLERS = 0x9000;
    public static final int KERNEL_CS = 0x08, KERNEL_DS = 0x10, USER_CS = 0x1B, USER_DS = 0x23, TSS_SEL = 0x28;

    /**
     * Loads a GDT (null, kernel code/data, user code/data, a 64-bit TSS) and an IDT whose vector v
     * gate (interrupt gate, DPL 3 for vectors 3 and 0x80, else 0) points at HANDLERS + 16 v, where a
     * HLT stands. GDTR/IDTR are set directly (as LGDT/LIDT would).
     */
    public TestMachine withDescriptorTables() {
        write64(GDT + 0x08, 0x00AF9B000000FFFFL);
        write64(GDT + 0x10, 0x00CF93000000FFFFL);
        write64(GDT + 0x18, 0x00AFFB000000FFFFL);
        write64(GDT + 0x20, 0x00CFF3000000FFFFL);
        long tssLimit = 0x67;
        write64(GDT + 0x28, tssLimit | (TSS & 0xFFFFFF) << 16 | 0x89L << 40 | ((TSS >>> 24) & 0xFF) << 56);
        write64(GDT + 0x30, TSS >>> 32);
        cpu.gdtrBase = GDT;
        cpu.gdtrLimit = 0x37;
        for (int v = 0; v < 256; v++) {
            setGate(v, HANDLERS + 16L * v, 0xE, v == 3 || v == 0x80 ? 3 : 0, 0);
            write(HANDLERS + 16L * v, new byte[] {(byte) 0xF4});
        }
        cpu.idtrBase = IDT;
        cpu.idtrLimit = 0xFFF;
        cpu.segment(SegReg.CS).set(KERNEL_CS, 0, 0xFFFFFFFF, 0xA09B);
        cpu.segment(SegReg.SS).set(KERNEL_DS, 0, 0xFFFFFFFF, 0xC093);
        cpu.segment(SegReg.TR).set(TSS_SEL, TSS, (int) tssLimit, 0x8B);
        return this;
    }

    public void setGate(int vector, long target, int type, int dpl, int ist) {
        long lo = (target & 0xFFFF) | (long) KERNEL_CS << 16 | (long) ist << 32 | (long) type << 40 | (long) dpl << 45
                | 1L << 47 | ((target >>> 16) & 0xFFFF) << 48;
        write64(IDT + 16L * vector, lo);
        write64(IDT + 16L * vector + 8, target >>> 32);
    }

    /** Drops to CPL 3 at {@code rip} with user segments and the given stack. */
    public void enterUser(long rip, long rsp) {
        cpu.segment(SegReg.CS).set(USER_CS, 0, 0xFFFFFFFF, 0xA0FB);
        cpu.segment(SegReg.SS).set(USER_DS, 0, 0xFFFFFFFF, 0xC0F3);
        cpu.rip = rip;
        cpu.gpr[4] = rsp;
    }

    /** Sets the 4 KiB PTE of {@code linear} (below 2 MiB; the upper levels allow U/S and R/W) and flushes the TLB. */
    public void setPte(long linear, long pte) {
        write64(L1 + 8 * (linear >>> 12), pte);
        cpu.flushTlb();
    }

    public long pte(long linear) {
        return read64(L1 + 8 * (linear >>> 12));
    }

    // ---- 32-bit protected mode (the PVHv2 entry state, pvh-abi.md) ----

    public static final int CODE32 = 0x08, DATA32 = 0x10, USER_CODE32 = 0x1B, USER_DATA32 = 0x23, TSS32 = 0x28;

    /**
     * Puts the CPU in 32-bit protected mode with paging off, as a PVHv2 entry does: CR0 = PE|ET,
     * CR4 = 0, EFER = 0, flat 32-bit CS/DS/ES/SS/FS/GS, a GDT with 32-bit kernel and user code and
     * data and a 32-bit TSS (SS0 = DATA32), and an IDT of 32-bit interrupt gates whose vector v
     * (DPL 3 for 3 and 0x80) points at HANDLERS + 16 v, where a HLT stands.
     */
    public TestMachine withProtectedMode32() {
        cpu.cr0 = 0x11;
        cpu.cr4 = 0;
        cpu.efer = 0;
        cpu.flushTlb();
        write64(GDT + 0x08, 0x00CF9B000000FFFFL);
        write64(GDT + 0x10, 0x00CF93000000FFFFL);
        write64(GDT + 0x18, 0x00CFFB000000FFFFL);
        write64(GDT + 0x20, 0x00CFF3000000FFFFL);
        write64(GDT + 0x28, 0x67 | (TSS & 0xFFFFFF) << 16 | 0x89L << 40 | ((TSS >>> 24) & 0xFF) << 56);
        cpu.gdtrBase = GDT;
        cpu.gdtrLimit = 0x2F;
        write(TSS + 8, new byte[] {DATA32, 0});
        for (int v = 0; v < 256; v++) {
            setGate32(v, HANDLERS + 16L * v, 0xE, v == 3 || v == 0x80 ? 3 : 0);
            write(HANDLERS + 16L * v, new byte[] {(byte) 0xF4});
        }
        cpu.idtrBase = IDT;
        cpu.idtrLimit = 0x7FF;
        cpu.segment(SegReg.CS).set(CODE32, 0, 0xFFFFFFFF, 0xC09B);
        for (SegReg s : new SegReg[] {SegReg.SS, SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS}) {
            cpu.segment(s).set(DATA32, 0, 0xFFFFFFFF, 0xC093);
        }
        cpu.segment(SegReg.TR).set(TSS32, TSS, 0x67, 0x8B);
        return this;
    }

    /** A 32-bit gate (type 0xE interrupt, 0xF trap) to CODE32:target. */
    public void setGate32(int vector, long target, int type, int dpl) {
        long g = (target & 0xFFFF) | (long) CODE32 << 16 | (long) type << 40 | (long) dpl << 45 | 1L << 47
                | ((target >>> 16) & 0xFFFF) << 48;
        write64(IDT + 8L * vector, g);
    }
}
