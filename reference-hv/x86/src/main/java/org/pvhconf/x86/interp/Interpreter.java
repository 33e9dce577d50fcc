package org.pvhconf.x86.interp;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.Segment;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.decode.Decoder;
import org.pvhconf.x86.fault.ExitRequest;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.mmu.Mmu;
import org.pvhconf.x86.sem.Delivery;
import org.pvhconf.x86.sem.Env;
import org.pvhconf.x86.sem.Semantics;

/**
 * The interpreting back end: fetch through the MMU, decode, evaluate the form's semantic definition
 * with {@link InterpOps}, retire. One Interpreter serves one {@link Cpu} (it keeps that CPU's TLB).
 *
 * <h2>Run loop contract</h2>
 * <ul>
 *   <li>A vector injected with {@link Cpu#injectExternalInterrupt} is delivered through the IDT first.</li>
 *   <li>Before each instruction: INTERRUPT_WINDOW if exiting on it was requested and the window is open;
 *       BUDGET once {@code budget} instructions have retired in this run.</li>
 *   <li>A faulting instruction does not retire; its exception is delivered (with #DF / triple-fault
 *       escalation) and the loop goes on at the handler.</li>
 *   <li>An instruction exit (VMCALL, CPUID, RDMSR, WRMSR, IO, HLT) does not retire either: RIP stays
 *       at the instruction for the hypervisor to emulate and skip; the STI/MOV SS shadow it ran in
 *       is over (the hypervisor completes the instruction, as KVM's skip does). An EPT violation
 *       leaves the instruction, and its shadow, to run again.</li>
 *   <li>An instruction that began with RFLAGS.TF set is followed by a single-step #DB trap (DR6.BS).</li>
 *   <li>So that {@code run} always returns, BUDGET also ends a run in which 1024 steps in a row retired
 *       nothing (an exception storm whose handler never runs, or a REP string instruction of more
 *       than 1024 chunks): the only case where fewer than {@code budget} instructions retire.</li>
 * </ul>
 */
public final class Interpreter implements Cpu.Engine {
    /** Consecutive steps without a retirement after which {@link #run} gives up (see the class comment). */
    public static final int STALL_LIMIT = 1024;

    /**
     * Decoded-instruction cache, direct-mapped on the linear address and keyed by the guest frame
     * (the frame array the p2m gave: its guest-physical page), the offset in it and the mode. An entry
     * keeps the instruction's bytes and is used only while the frame still holds them, so a write to
     * the code page (self-modifying code, a loader) needs no invalidation hook. Fetch permissions
     * are still checked through the TLB at every instruction; instructions that may cross a page
     * are not cached.
     */
    private static final int CACHE_SIZE = 4096;
    private final DecodedInsn[] cachedInsn = new DecodedInsn[CACHE_SIZE];
    private final byte[][] cachedFrame = new byte[CACHE_SIZE][];
    private final int[] cachedOffset = new int[CACHE_SIZE];
    private final int[] cachedMode = new int[CACHE_SIZE];
    private final byte[][] cachedBytes = new byte[CACHE_SIZE][15];

    private Cpu bound;
    private Env env;
    private InterpOps ops;

    private void bind(Cpu cpu) {
        if (bound != cpu) {
            bound = cpu;
            env = new Env(cpu, new Mmu(cpu));
            ops = new InterpOps(env);
        }
    }

    public Interpreter() {
    }

    /**
     * An interpreter bound to an existing {@link Env} (its CPU and MMU): another engine that interprets
     * its cold code with this one shares the TLB and its write watch.
     */
    public Interpreter(Env env) {
        bound = env.cpu;
        this.env = env;
        ops = new InterpOps(env);
    }

    @Override
    public VmExit run(Cpu cpu, long budget) {
        VmExit injected = deliverPending(cpu);
        if (injected != null) {
            return injected;
        }
        long done = 0;
        int stalls = 0;
        for (;;) {
            if (cpu.interruptWindowExiting() && cpu.interruptWindowOpen()) {
                return VmExit.of(VmExit.Reason.INTERRUPT_WINDOW);
            }
            if (done >= budget || stalls >= STALL_LIMIT) {
                return VmExit.of(VmExit.Reason.BUDGET);
            }
            try {
                if (step(cpu) == RETIRED) {
                    done++;
                    stalls = 0;
                } else {
                    stalls++;
                }
            } catch (ExitRequest e) {
                return e.exit;
            }
        }
    }

    /** {@link #step} retired the instruction. */
    public static final int RETIRED = 0;
    /** {@link #step} retired nothing: a fault was delivered, or a REP string chunk will run again. */
    public static final int STALLED = 1;

    /**
     * Delivers the exception queued by {@link Cpu#injectException}, then the vector queued by
     * {@link Cpu#injectExternalInterrupt}, as the start of {@link #run} does; returns the VM exit that
     * delivery met (the event is then queued again), or null.
     */
    public VmExit deliverPending(Cpu cpu) {
        bind(cpu);
        int exception = cpu.takePendingException();
        if (exception >= 0) {
            try {
                Delivery.exception(env, new Fault(exception,
                        Fault.pushesErrorCode(exception) ? cpu.pendingErrorCode() : -1, cpu.cr2));
            } catch (ExitRequest e) {
                if (e.exit.reason() == VmExit.Reason.EPT_VIOLATION) {
                    cpu.injectException(exception, cpu.pendingErrorCode()); // delivered again once mapped
                }
                return e.exit;
            }
        }
        int vector = cpu.takePendingVector();
        if (vector >= 0) {
            try {
                Delivery.external(env, vector);
            } catch (ExitRequest e) {
                if (e.exit.reason() == VmExit.Reason.EPT_VIOLATION) {
                    cpu.requeuePendingVector(vector);
                }
                return e.exit;
            }
        }
        return null;
    }

    /**
     * One step of the run loop: executes the instruction at RIP (or delivers its fault). Returns
     * {@link #RETIRED} or {@link #STALLED}; an instruction exit is thrown as {@link ExitRequest}. For
     * engines that interpret part of the code (the JIT's cold code and the instructions it leaves to helpers).
     */
    public int step(Cpu cpu) {
        bind(cpu);
        long rip = cpu.rip;
        boolean shadow = cpu.interruptShadow;
        cpu.interruptShadow = false;
        try {
            boolean singleStep = (cpu.rflags & RFlags.TF) != 0;
            boolean m64 = cpu.is64BitMode();
            DecodedInsn d = fetchAndDecode(cpu, rip, m64);
            env.begin();
            ops.begin(d);
            Semantics.of(d.form).emit(d, ops);
            long next = env.jumped ? env.target : rip + d.length;
            cpu.rip = m64 ? next : next & 0xFFFFFFFFL;
            if (env.noRetire) {
                return STALLED;
            }
            cpu.retire(1);
            if (singleStep && !d.form.mnemonic.startsWith("INT")) {
                singleStepTrap(cpu);
            }
            return RETIRED;
        } catch (Fault f) {
            Delivery.exception(env, f); // an exit here (EPT violation on the IDT or stack) is returned as is
            return STALLED;
        } catch (ExitRequest e) {
            if (e.exit.reason() == VmExit.Reason.EPT_VIOLATION) {
                cpu.interruptShadow = shadow;
            }
            throw e;
        }
    }

    /**
     * The single-step trap (SDM Vol. 3 §17.3.1.4): TF was set when the instruction began, so #DB
     * follows it with DR6.BS set and the next RIP pushed. Software interrupts are exempt (their
     * delivery clears TF). Part of the run-loop contract: the JIT must do the same at retirement.
     */
    private void singleStepTrap(Cpu cpu) {
        cpu.dr[6] |= 1 << 14;
        Delivery.escalate(env, Fault.DB, -1, 0, Delivery.Source.EXCEPTION, cpu.rip);
    }

    /**
     * Fetches and decodes at RIP: in 64-bit mode at the linear RIP; in a 32-bit code segment at
     * CS.base + EIP (32-bit wrap). 16-bit code segments are not implemented: #UD.
     */
    private DecodedInsn fetchAndDecode(Cpu cpu, long rip, boolean m64) {
        boolean user = cpu.cpl() == 3;
        Mmu mmu = env.mmu;
        long linear;
        if (m64) {
            linear = rip;
        } else {
            Segment cs = cpu.seg[SegReg.CS.ordinal()];
            if ((cs.ar & (1 << 14)) == 0) {
                throw Fault.ud();
            }
            linear = (cs.base + rip) & 0xFFFFFFFFL;
        }
        int mode = m64 ? 64 : 32;
        int off = (int) (linear & 0xFFF);
        if (off > 4096 - 15) {
            return decodeAt(mmu, linear, user, mode); // may cross into the next page: not cached
        }
        byte[] frame = mmu.frame(linear, org.pvhconf.x86.cpu.GuestPhysMemory.FETCH, user);
        int slot = (int) (linear ^ (linear >>> 12)) & (CACHE_SIZE - 1);
        DecodedInsn d = cachedInsn[slot];
        if (d != null && cachedFrame[slot] == frame && cachedOffset[slot] == off && cachedMode[slot] == mode
                && sameBytes(frame, off, cachedBytes[slot], d.length)) {
            return d;
        }
        d = decodeAt(mmu, linear, user, mode);
        cachedInsn[slot] = d;
        cachedFrame[slot] = frame;
        cachedOffset[slot] = off;
        cachedMode[slot] = mode;
        System.arraycopy(frame, off, cachedBytes[slot], 0, d.length);
        return d;
    }

    private static DecodedInsn decodeAt(Mmu mmu, long linear, boolean user, int mode) {
        if (mode == 64) {
            return Decoder.decode(i -> mmu.fetch(linear + i, user));
        }
        return Decoder.decode(i -> mmu.fetch((linear + i) & 0xFFFFFFFFL, user), 32);
    }

    private static boolean sameBytes(byte[] frame, int off, byte[] saved, int n) {
        for (int i = 0; i < n; i++) {
            if (frame[off + i] != saved[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void flush(Cpu cpu) {
        bind(cpu);
        env.mmu.flush();
    }

    @Override
    public void flushNonGlobal(Cpu cpu) {
        bind(cpu);
        env.mmu.flushNonGlobal();
    }

    @Override
    public void flushPage(Cpu cpu, long linear) {
        bind(cpu);
        env.mmu.flushPage(linear);
    }
}
