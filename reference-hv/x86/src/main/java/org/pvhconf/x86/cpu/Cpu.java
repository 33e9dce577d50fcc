package org.pvhconf.x86.cpu;

/**
 * One x86-64 logical processor: its architectural state, and {@link #run} to execute guest code
 * until the next {@link VmExit}.
 *
 * <p>This is the whole surface the hypervisor uses. The hypervisor sets the entry state (as a VMCS
 * guest-state area would), runs, handles the exit, adjusts state and runs again. It never sees how
 * an instruction executes.
 *
 * <p>Interrupts follow VMX event injection: {@link #injectExternalInterrupt} queues one vector that
 * is delivered through the guest's IDT at the start of the next {@link #run}; the hypervisor may only
 * inject while {@link #interruptWindowOpen()}, and otherwise asks for an INTERRUPT_WINDOW exit with
 * {@link #setInterruptWindowExiting}.
 */
public final class Cpu {

    // ---- architectural state (public fields: the CPU's own packages read them on the hot path) ----

    public final long[] gpr = new long[16];
    public long rip;
    public long rflags = 0x2;
    public long cr0 = 0x60000010L, cr2, cr3, cr4, cr8;
    public long efer;
    public final long[] dr = {0, 0, 0, 0, 0xFFFF0FF0L, 0x400, 0xFFFF0FF0L, 0x400};
    public final Segment[] seg = new Segment[SegReg.values().length];
    public long gdtrBase, idtrBase;
    public int gdtrLimit, idtrLimit;
    public long kernelGsBase, star, lstar, cstar, sfmask, pat = 0x0007040600070406L, apicBase = 0xFEE00900L;
    public long tscOffset;
    /** XMM0..15: register n is {@code xmm[2n]} (bits 63:0) and {@code xmm[2n+1]} (bits 127:64). */
    public final long[] xmm = new long[32];
    /** MXCSR, and the x87 control, status and abridged tag words as FXSAVE stores them (there is no x87 unit). */
    public int mxcsr = 0x1F80, fcw = 0x37F, fsw, ftw;
    /** XCR0 (XSETBV/XGETBV): bit 0 x87, bit 1 SSE; x87 is always set. */
    public long xcr0 = 1;
    /** Set for the one instruction after STI or MOV SS / POP SS: no interrupt is taken before it retires. */
    public boolean interruptShadow;

    // ---- execution ----

    private final GuestPhysMemory memory;
    private final Engine engine;
    private long retired;
    private int pendingVector = -1;
    private int pendingException = -1;
    private int pendingErrorCode;
    private boolean interruptWindowExiting;

    /** How instructions are executed: the interpreter, later the JIT. Both share one semantic definition. */
    public interface Engine {
        /** Executes until an exit; must count each retired instruction through {@link Cpu#retire}. */
        VmExit run(Cpu cpu, long budget);

        /** Drops every cached translation (TLB entries, and compiled code for a JIT). */
        void flush(Cpu cpu);

        /** Drops what is cached for one linear page. */
        void flushPage(Cpu cpu, long linear);

        /** Drops every cached translation except those of global pages (MOV CR3 with CR4.PGE). */
        default void flushNonGlobal(Cpu cpu) {
            flush(cpu);
        }
    }

    public Cpu(GuestPhysMemory memory, Engine engine) {
        this.memory = memory;
        this.engine = engine;
        for (int i = 0; i < seg.length; i++) {
            seg[i] = new Segment();
        }
    }

    public GuestPhysMemory memory() {
        return memory;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Runs guest code until an exit. At most {@code budget} instructions retire; when they have,
     * the exit is BUDGET at an instruction boundary.
     */
    public VmExit run(long budget) {
        return engine.run(this, budget);
    }

    /** Instructions retired since this CPU was made. Both engines count the same instructions. */
    public long retiredInstructions() {
        return retired;
    }

    public void retire(long n) {
        retired += n;
    }

    // ---- registers ----

    public long get(Reg r) {
        return gpr[r.ordinal()];
    }

    public void set(Reg r, long value) {
        gpr[r.ordinal()] = value;
    }

    public Segment segment(SegReg s) {
        return seg[s.ordinal()];
    }

    /** Current privilege level: CS.DPL once protected mode is on. */
    public int cpl() {
        return (cr0 & 1) == 0 ? 0 : seg[SegReg.CS.ordinal()].dpl();
    }

    /** True in 64-bit mode (IA-32e with CS.L = 1). */
    public boolean is64BitMode() {
        return (efer & 0x400) != 0 && seg[SegReg.CS.ordinal()].longMode();
    }

    // ---- interrupts (VMX event injection) ----

    /** IF = 1 and no STI/MOV SS shadow: an external interrupt may be injected now. */
    public boolean interruptWindowOpen() {
        return (rflags & 0x200) != 0 && !interruptShadow;
    }

    /** Queues an external interrupt, delivered through the guest IDT at the start of the next run. */
    public void injectExternalInterrupt(int vector) {
        if (!interruptWindowOpen()) {
            throw new IllegalStateException("injection while the interrupt window is closed");
        }
        pendingVector = vector & 0xFF;
    }

    /** The vector queued by {@link #injectExternalInterrupt} and not yet delivered, or -1; taking it clears it. */
    public int takePendingVector() {
        int v = pendingVector;
        pendingVector = -1;
        return v;
    }

    /**
     * Puts back a vector taken by {@link #takePendingVector} whose delivery a VM exit interrupted
     * (an EPT violation on the IDT or the new stack), so that the next {@link #run} delivers it again,
     * as VMX re-injects from the IDT-vectoring information. For engines; the window check does not apply.
     */
    public void requeuePendingVector(int vector) {
        pendingVector = vector & 0xFF;
    }

    public boolean hasPendingInjection() {
        return pendingVector >= 0;
    }

    /**
     * Injects a hardware exception (VMX event injection of type "hardware exception"): it is delivered
     * through the guest's IDT at the start of the next run, before the instruction at RIP, with the
     * usual double-fault escalation. {@code errorCode} is pushed for the vectors that take one
     * (#DF, #TS, #NP, #SS, #GP, #PF, #AC) and ignored for the others. The hypervisor uses it where
     * hardware would fault after an exit, e.g. #GP(0) for an MSR it does not implement.
     */
    public void injectException(int vector, int errorCode) {
        if (vector < 0 || vector > 31) {
            throw new IllegalArgumentException("not an exception vector: " + vector);
        }
        pendingException = vector;
        pendingErrorCode = errorCode;
    }

    /** The exception queued by {@link #injectException}, or -1; taking it clears it. */
    public int takePendingException() {
        int v = pendingException;
        pendingException = -1;
        return v;
    }

    /** The error code that goes with the exception {@link #takePendingException} returned. */
    public int pendingErrorCode() {
        return pendingErrorCode;
    }

    public void setInterruptWindowExiting(boolean on) {
        interruptWindowExiting = on;
    }

    public boolean interruptWindowExiting() {
        return interruptWindowExiting;
    }

    // ---- translation services for the hypervisor (copy-from/to-guest walks the guest's page tables) ----

    /** The TLB (and any compiled code) must forget everything: CR3 load, p2m change. */
    public void flushTlb() {
        engine.flush(this);
    }

    /** A CR3 load: global pages (CR4.PGE) keep their translations. */
    public void flushTlbNonGlobal() {
        engine.flushNonGlobal(this);
    }

    public void flushTlbPage(long linear) {
        engine.flushPage(this, linear);
    }
}
