package org.pvhconf.x86.interp;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.decode.Decoder;
import org.pvhconf.x86.fault.ExitRequest;
import org.pvhconf.x86.fault.Fault;
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
 *   <li>So that {@code run} always returns, BUDGET also ends a run in which 1024 steps in a row retired
 *       nothing (an exception storm whose handler never runs, or a REP string instruction of more
 *       than 1024 chunks): the only case where fewer than {@code budget} instructions retire.</li>
 * </ul>
 */
public final class Interpreter implements Cpu.Engine {
    /** Consecutive steps without a retirement after which {@link #run} gives up (see the class comment). */
    public static final int STALL_LIMIT = 1024;

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
     * Delivers the vector queued by {@link Cpu#injectExternalInterrupt}, as the start of {@link #run}
     * does; returns the VM exit that delivery met (the vector is then re-queued), or null.
     */
    public VmExit deliverPending(Cpu cpu) {
        bind(cpu);
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
            DecodedInsn d = fetchAndDecode(cpu, rip);
            env.begin();
            ops.begin(d);
            Semantics.of(d.form).emit(d, ops);
            cpu.rip = env.jumped ? env.target : rip + d.length;
            if (env.noRetire) {
                return STALLED;
            }
            cpu.retire(1);
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

    private DecodedInsn fetchAndDecode(Cpu cpu, long rip) {
        boolean user = cpu.cpl() == 3;
        Mmu mmu = env.mmu;
        return Decoder.decode(i -> mmu.fetch(rip + i, user));
    }

    @Override
    public void flush(Cpu cpu) {
        bind(cpu);
        env.mmu.flush();
    }

    @Override
    public void flushPage(Cpu cpu, long linear) {
        bind(cpu);
        env.mmu.flushPage(linear);
    }
}
