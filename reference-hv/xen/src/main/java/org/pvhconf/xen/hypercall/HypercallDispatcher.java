package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Xen.*;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;

/**
 * hvm_do_hypercall for a PVHv1 vCPU (§1.2, §2.1): privilege first, then the table slot, then the
 * handler with RDI, RSI, RDX, R10, R8, R9; the result goes to RAX only and RIP moves past the VMCALL.
 * A Java exception escaping a handler is a hypervisor bug: it is caught here, logged, and the domain
 * is crashed with the reason, so the guest never sees a half-done call complete.
 */
public final class HypercallDispatcher {
    private static final System.Logger LOG = System.getLogger(HypercallDispatcher.class.getName());

    private final Hypercall[] pvh = new Hypercall[NR_hypercalls];

    public HypercallDispatcher(long maxPage) {
        for (int nr = 0; nr < NR_hypercalls; nr++) {
            HypercallTable.Slot s = HypercallTable.slot(HypercallTable.GuestType.PVH64, nr);
            if (s == HypercallTable.Slot.DO) {
                pvh[nr] = family(nr, maxPage);
            } else if (s == HypercallTable.Slot.HVM_FILTERED) {
                pvh[nr] = filtered(nr, family(nr, maxPage));
            }
        }
    }

    /** The handler in the PVH table for {@code nr}, or null for an empty slot. */
    public Hypercall handler(int nr) {
        return nr >= 0 && nr < NR_hypercalls ? pvh[nr] : null;
    }

    /** Replaces a slot's handler (tests use this to prove the exception guard). */
    public void install(int nr, Hypercall h) {
        pvh[nr] = h;
    }

    private static Hypercall family(int nr, long maxPage) {
        switch (nr) {
            case HYPERVISOR_platform_op: return new PlatformOp();
            case HYPERVISOR_memory_op: return new MemoryOp(maxPage);
            case HYPERVISOR_xen_version: return new XenVersion();
            case HYPERVISOR_console_io: return new ConsoleIo();
            case HYPERVISOR_grant_table_op: return new GrantTableOp();
            case HYPERVISOR_vcpu_op: return new VcpuOp();
            case HYPERVISOR_mmuext_op: return new MmuextOp();
            case HYPERVISOR_xsm_op: return new XsmOp();
            case HYPERVISOR_sched_op: return new SchedOp();
            case HYPERVISOR_event_channel_op: return new EventChannelOp();
            case HYPERVISOR_physdev_op: return new PhysdevOp();
            case HYPERVISOR_hvm_op: return new HvmOp();
            case HYPERVISOR_sysctl: return new Sysctl();
            case HYPERVISOR_domctl: return new Domctl();
            default: throw new IllegalStateException("the PVH column names " + Xen.hypercallName(nr)
                    + " but no family implements it");
        }
    }

    private static Hypercall filtered(int nr, Hypercall h) {
        switch (nr) {
            case HYPERVISOR_grant_table_op: return HvmFilters.grantTableOp(h);
            case HYPERVISOR_physdev_op: return HvmFilters.physdevOp(h);
            case HYPERVISOR_memory_op: return HvmFilters.memoryOp(h);
            case HYPERVISOR_vcpu_op: return HvmFilters.vcpuOp(h);
            default: throw new IllegalStateException("no HVM filter for " + Xen.hypercallName(nr));
        }
    }

    /** hvm_guest_x86_mode: 0 real, 1 virtual-8086, 2/4 16/32-bit protected, 8 64-bit. */
    static int guestMode(Cpu cpu) {
        if ((cpu.cr0 & 1) == 0) {
            return 0;
        }
        if ((cpu.rflags & (1L << 17)) != 0) {
            return 1;
        }
        if (cpu.is64BitMode()) {
            return 8;
        }
        return cpu.segment(SegReg.CS).defaultBig() ? 4 : 2;
    }

    /** Handles a VMCALL exit of {@code ctx.current()}; {@code insnLength} is the VMCALL's length. */
    public void dispatch(HypercallContext ctx, int insnLength) {
        Cpu cpu = ctx.cpu();
        Domain d = ctx.domain();
        long rip = cpu.rip;
        long nr = cpu.get(Reg.RAX) & 0xFFFFFFFFL; // 4.4 reads EAX only (§1.2, Appendix A.13)
        long[] args = {cpu.get(Reg.RDI), cpu.get(Reg.RSI), cpu.get(Reg.RDX), cpu.get(Reg.R10), cpu.get(Reg.R8),
            cpu.get(Reg.R9)};
        int mode = guestMode(cpu);
        long result;
        ctx.takeContinuation(); // nothing left over from an earlier call
        if (mode == 1 || (mode != 0 && cpu.segment(SegReg.SS).dpl() != 0)) {
            result = -Errno.EPERM; // §1.2: SS.DPL ≠ 0, or virtual-8086 mode
        } else if (nr >= NR_hypercalls || pvh[(int) nr] == null) {
            result = -Errno.ENOSYS; // §2.1: the empty slot, not a handler, answers
        } else if (mode != 8) {
            // §2.1 step 3: a PVH call from outside 64-bit mode trips an ASSERT in 4.4 debug builds and is
            // undefined in release builds. This reference crashes the domain and says why.
            d.crash(String.format("vcpu%d rip=0x%x: %s from %s mode: a PVHv1 vCPU must call from 64-bit mode"
                    + " (§2.1)", ctx.current().id(), rip, Xen.hypercallName(nr), mode == 0 ? "real" : mode + "-byte"));
            return;
        } else {
            try {
                result = pvh[(int) nr].call(ctx, args);
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                String why = String.format("hypervisor bug: %s escaped %s (vcpu%d rip=0x%x): %s",
                        e.getClass().getSimpleName(), Xen.hypercallName(nr), ctx.current().id(), rip, e.getMessage());
                LOG.log(System.Logger.Level.ERROR, why, e);
                d.crash(why);
                return;
            }
        }
        long[] cont = ctx.takeContinuation();
        if (cont != null) {
            // §1.2: a preempted call leaves RIP at the VMCALL, RAX = the hypercall number and the rewritten
            // argument registers; the guest re-executes it. Nothing retires.
            Reg[] argRegs = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9};
            for (int i = 0; i < cont.length; i++) {
                cpu.set(argRegs[i], cont[i]);
            }
            cpu.set(Reg.RAX, nr);
            d.recordHypercall(new HypercallRecord(ctx.current().id(), rip, nr, Xen.hypercallName(nr) + " [preempted]",
                    args, nr, HypercallTable.arity(nr)));
            return;
        }
        cpu.set(Reg.RAX, result);
        cpu.rip = rip + insnLength;
        cpu.retire(1);
        d.recordHypercall(new HypercallRecord(ctx.current().id(), rip, nr, Xen.hypercallName(nr), args, result,
                HypercallTable.arity(nr)));
    }
}
