package org.pvhconf.xen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.abi.Vcpu;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.BuildRefusedException;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainBuilder;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.event.Upcall;
import org.pvhconf.xen.hypercall.HypercallContext;
import org.pvhconf.xen.hypercall.HypercallDispatcher;

import org.pvhconf.xen.mm.FrameAllocator;
import org.pvhconf.xen.mm.GuestCopy;
import org.pvhconf.xen.time.SystemTime;
import org.pvhconf.xen.time.VirtualClock;
import org.pvhconf.xen.vmexit.VmExitHandler;

/**
 * The reference hypervisor: domains, a virtual clock that advances with retired instructions, and a
 * round-robin scheduler over every runnable vCPU of every domain with a fixed instruction quantum.
 * Everything is deterministic: the same kernels, configs and options give the same traces.
 */
public final class Hypervisor {
    private static final System.Logger LOG = System.getLogger(Hypervisor.class.getName());
    /** Consecutive VM exits that retire nothing before a vCPU is declared stuck. */
    static final int STALL_LIMIT = 100_000;

    private final HypervisorOptions options;
    private final FrameAllocator machine;
    private final VirtualClock clock = new VirtualClock();
    private final GuestCopy copy = new GuestCopy();
    private final HypercallDispatcher hypercalls;
    private final VmExitHandler exits;
    private final DomainBuilder builder;
    private final List<Domain> domains = new ArrayList<>();
    private int nextDomid = 1;
    private int cursor = -1;

    public Hypervisor(HypervisorOptions options) {
        this.options = options;
        this.machine = new FrameAllocator((long) options.machineMiB() << 20 >> Xen.PAGE_SHIFT);
        this.hypercalls = new HypercallDispatcher(machine.maxPage());
        this.exits = new VmExitHandler(hypercalls, options.profile());
        this.builder = new DomainBuilder(machine, options.engineFactory(), options.profile());
    }

    public HypervisorOptions options() {
        return options;
    }

    public VirtualClock clock() {
        return clock;
    }

    public FrameAllocator machine() {
        return machine;
    }

    public HypercallDispatcher hypercalls() {
        return hypercalls;
    }

    public List<Domain> domains() {
        return Collections.unmodifiableList(domains);
    }

    /** The domain with this id, or null. */
    public Domain domain(int domid) {
        for (Domain d : domains) {
            if (d.domid() == domid) {
                return d;
            }
        }
        return null;
    }

    /** Builds a domain; its domid is taken only when the build succeeds. */
    public Domain createDomain(DomainConfig config, byte[] kernelElf) throws BuildRefusedException {
        Domain d = builder.build(nextDomid, config, kernelElf);
        nextDomid++;
        domains.add(d);
        for (org.pvhconf.xen.domain.Vcpu v : d.vcpus()) {
            v.setClock(clock);
            v.refreshRunstate();
            SystemTime.create(v, clock.now());
            SystemTime.updateVcpuInfo(v, clock.now());
        }
        SystemTime.publishWallclock(d);
        return d;
    }

    /** The context handlers see for a VM exit of {@code v}. */
    public HypercallContext context(org.pvhconf.xen.domain.Vcpu v) {
        return new HypercallContext(v, copy, clock, this::domain, options.profile());
    }

    /** Handles one VM exit of {@code v} as the run loop would (for tests and harness stepping). */
    public void handleExit(org.pvhconf.xen.domain.Vcpu v, VmExit exit) {
        try {
            exits.handle(context(v), exit);
        } catch (RuntimeException e) {
            v.domain().crash("hypervisor bug: " + e);
        }
    }

    /** copy_to_guest through {@code v}'s page tables: 0 or -EFAULT. */
    public int copyToGuest(org.pvhconf.xen.domain.Vcpu v, long va, byte[] b) {
        return copy.toGuest(v.cpu(), va, b);
    }

    /** copy_from_guest through {@code v}'s page tables: 0 or -EFAULT. */
    public int copyFromGuest(org.pvhconf.xen.domain.Vcpu v, long va, byte[] b) {
        return copy.fromGuest(v.cpu(), va, b);
    }

    public RunOutcome run(long maxInstructions) {
        return runUntil(() -> false, maxInstructions);
    }

    /** Runs until every domain has shut down, {@code stop} is true after a VM exit, or the budget is used. */
    public RunOutcome runUntil(BooleanSupplier stop, long maxInstructions) {
        long budget = maxInstructions;
        pendingStop = stop;
        stopped = false;
        while (true) {
            clock.fireDue();
            if (allShutDown()) {
                return RunOutcome.ALL_SHUT_DOWN;
            }
            org.pvhconf.xen.domain.Vcpu v = pickNext();
            if (v == null) {
                long next = clock.nextDeadline();
                if (next < 0) {
                    return RunOutcome.DEADLOCK;
                }
                clock.advanceTo(next); // idle: skip to the next timer
                continue;
            }
            if (budget <= 0) {
                return RunOutcome.BUDGET_EXHAUSTED;
            }
            long slice = Math.min(options.quantum(), budget);
            long used = runSlice(v, slice);
            budget -= used;
            if (stopped) {
                return RunOutcome.STOPPED;
            }
        }
    }

    // The stop condition of the current runUntil, checked after every VM exit.
    private BooleanSupplier pendingStop = () -> false;
    private boolean stopped;

    /**
     * Runs {@code v} until its quantum is used, it blocks or yields, or its domain stops. System time moves
     * with every retired instruction, and before a VM exit is handled, so a handler sees the time of the
     * exiting instruction. A run never passes the next timer deadline: timers fire at exact instruction
     * counts, which is what makes cross-vCPU events land at the same point in every run.
     */
    private long runSlice(org.pvhconf.xen.domain.Vcpu v, long slice) {
        v.setRunning(true);
        SystemTime.enter(v, clock.now(), copy);
        writeRunstateArea(v);
        HypercallContext ctx = context(v);
        long used = 0;
        int stall = 0;
        Domain d = v.domain();
        while (true) {
            long before = v.cpu().retiredInstructions();
            long accounted = 0;
            Upcall.beforeEntry(v);
            long runFor = slice - used;
            long deadline = clock.nextDeadline();
            if (deadline > clock.now()) {
                runFor = Math.min(runFor, deadline - clock.now());
            }
            VmExit exit;
            try {
                exit = v.cpu().run(runFor);
                accounted = v.cpu().retiredInstructions() - before;
                clock.advanceInstructions(accounted);
                exits.handle(ctx, exit);
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                String why = "hypervisor or CPU bug: " + e + " (vcpu" + v.id() + " rip=0x"
                        + Long.toHexString(v.cpu().rip) + ")";
                LOG.log(System.Logger.Level.ERROR, why, e);
                d.crash(why);
                exit = null;
            }
            long n = v.cpu().retiredInstructions() - before;
            used += n;
            clock.advanceInstructions(n - accounted); // the instruction the handler emulated, if any
            clock.fireDue();
            stall = n == 0 ? stall + 1 : 0;
            if (stall >= STALL_LIMIT) {
                d.crash("vcpu" + v.id() + " makes no progress: " + STALL_LIMIT + " VM exits without a retired"
                        + " instruction (last " + (exit == null ? "none" : exit.reason()) + ")");
            }
            if (pendingStop.getAsBoolean()) {
                stopped = true;
                break;
            }
            if (!v.runnable() || v.takeYieldRequest() || used >= slice) {
                break;
            }
        }
        SystemTime.leave(v, clock.now());
        v.setRunning(false);
        writeRunstateArea(v);
        return used;
    }

    /** update_runstate_area on a context switch: a fault is dropped, as Xen drops it. */
    private void writeRunstateArea(org.pvhconf.xen.domain.Vcpu v) {
        if (v.runstateArea() != 0 && !v.domain().isShutdown()) {
            copy.toGuest(v.cpu(), v.runstateArea(), v.runstateInfo(clock.now()));
        }
    }

    private boolean allShutDown() {
        for (Domain d : domains) {
            if (!d.isShutdown()) {
                return false;
            }
        }
        return true;
    }

    /** Round-robin over (domain creation order, vcpu id), starting after the last vCPU that ran. */
    private org.pvhconf.xen.domain.Vcpu pickNext() {
        List<org.pvhconf.xen.domain.Vcpu> all = new ArrayList<>();
        for (Domain d : domains) {
            all.addAll(d.vcpus());
        }
        for (int i = 1; i <= all.size(); i++) {
            int idx = Math.floorMod(cursor + i, all.size());
            if (all.get(idx).runnable()) {
                cursor = idx;
                return all.get(idx);
            }
        }
        return null;
    }
}
