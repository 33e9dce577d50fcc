package org.pvhconf.xen.vmexit;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.XenProfile;
import org.pvhconf.xen.abi.Cpuid;
import org.pvhconf.xen.abi.HvmParams;
import org.pvhconf.xen.abi.Sched;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.hypercall.HypercallContext;
import org.pvhconf.xen.hypercall.HypercallDispatcher;
import org.pvhconf.xen.hypercall.HypercallPageInit;
import org.pvhconf.xen.hypercall.SchedOp;
import org.pvhconf.xen.mm.P2m;

/**
 * What Xen 4.4 does on each VM exit of a PVHv1 vCPU (§1.4, §7.1). After an emulated instruction, RIP
 * moves past it and it counts as retired.
 */
public final class VmExitHandler {
    /** #GP, the vector Xen injects for an unimplemented MSR or a write to a read-only grant mapping. */
    private static final int GP_VECTOR = 13;

    private final HypercallDispatcher hypercalls;
    private final CpuidPolicy cpuid;

    public VmExitHandler(HypercallDispatcher hypercalls, XenProfile profile) {
        this.hypercalls = hypercalls;
        this.cpuid = new CpuidPolicy(profile);
    }

    public HypercallDispatcher hypercalls() {
        return hypercalls;
    }

    public void handle(HypercallContext ctx, VmExit exit) {
        Vcpu v = ctx.current();
        Cpu cpu = v.cpu();
        Domain d = v.domain();
        switch (exit.reason()) {
            case VMCALL:
                hypercalls.dispatch(ctx, exit.instructionLength());
                break;
            case HLT:
                complete(cpu, exit);
                hlt(v);
                break;
            case CPUID: {
                int[] r = cpuid.leaf((int) cpu.get(Reg.RAX), (int) cpu.get(Reg.RCX), v.id());
                cpu.set(Reg.RAX, r[0] & 0xFFFFFFFFL);
                cpu.set(Reg.RBX, r[1] & 0xFFFFFFFFL);
                cpu.set(Reg.RCX, r[2] & 0xFFFFFFFFL);
                cpu.set(Reg.RDX, r[3] & 0xFFFFFFFFL);
                complete(cpu, exit);
                break;
            }
            case RDMSR:
                if (exit.qualification() == Cpuid.XEN_HYPERCALL_MSR) {
                    cpu.set(Reg.RAX, 0); // §1.4: reads as 0
                    cpu.set(Reg.RDX, 0);
                    complete(cpu, exit);
                } else {
                    cpu.injectException(GP_VECTOR, 0); // an MSR neither the CPU nor Xen implements
                }
                break;
            case WRMSR:
                if (exit.qualification() == Cpuid.XEN_HYPERCALL_MSR) {
                    long value = (cpu.get(Reg.RDX) & 0xFFFFFFFFL) << 32 | (cpu.get(Reg.RAX) & 0xFFFFFFFFL);
                    writeHypercallMsr(d, value);
                    complete(cpu, exit);
                } else {
                    cpu.injectException(GP_VECTOR, 0);
                }
                break;
            case IO:
                if (exit.ioIn()) {
                    // §7.1: no I/O permission: reads return all-ones
                    long ones = exit.ioSize() >= 4 ? 0xFFFFFFFFL : (1L << (8 * exit.ioSize())) - 1;
                    long rax = cpu.get(Reg.RAX);
                    cpu.set(Reg.RAX, exit.ioSize() >= 4 ? ones : (rax & ~((1L << (8 * exit.ioSize())) - 1)) | ones);
                }
                complete(cpu, exit); // writes are dropped
                break;
            case EPT_VIOLATION: {
                long gfn = exit.guestPhysical() >>> 12;
                if ((exit.qualification() & GuestPhysMemory.WRITE) != 0 && d.p2m().type(gfn) == P2m.Type.GRANT_RO) {
                    // A write through a read-only grant mapping: 4.4's nested page-fault handler gives the
                    // guest #GP(0) and leaves the domain running.
                    cpu.injectException(GP_VECTOR, 0);
                    break;
                }
                d.crash(String.format("vcpu%d rip=0x%x: EPT violation at gpa 0x%x (access %s): the p2m %s",
                        v.id(), cpu.rip, exit.guestPhysical(), access(exit.qualification()),
                        d.p2m().type(gfn) == null ? "does not map it" : "maps it as " + d.p2m().type(gfn)));
                break;
            }
            case TRIPLE_FAULT:
                // §7.1, Appendix A.10: params[TRIPLE_FAULT_REASON] is never set for PVHv1, so 0 = poweroff.
                d.tripleFault((int) d.hvmParam(HvmParams.HVM_PARAM_TRIPLE_FAULT_REASON),
                        String.format("vcpu%d rip=0x%x", v.id(), cpu.rip));
                break;
            case INTERRUPT_WINDOW:
                cpu.setInterruptWindowExiting(false); // the upcall is re-evaluated at the next entry
                break;
            case BUDGET:
            default:
                break;
        }
    }

    /** hvm_hlt (§7.1): IF=0 takes the vCPU offline (all offline: poweroff); IF=1 is SCHEDOP_block. */
    private static void hlt(Vcpu v) {
        Cpu cpu = v.cpu();
        if ((cpu.rflags & 0x200) == 0) {
            v.setDown(true);
            v.requestYield();
            for (Vcpu o : v.domain().vcpus()) {
                if (o.isUp()) {
                    return;
                }
            }
            v.domain().shutdown(Sched.SHUTDOWN_poweroff);
            return;
        }
        if (cpu.hasPendingInjection()) {
            return; // hvm_event_pending: an event is on its way in
        }
        SchedOp.block(v);
    }

    /** §1.4 at 4.4: a non-zero page index or an unusable gfn is silently ignored, never #GP. */
    private static void writeHypercallMsr(Domain d, long value) {
        if ((value & (Xen.PAGE_SIZE - 1)) != 0) {
            return;
        }
        long gfn = value >>> Xen.PAGE_SHIFT;
        if (d.p2m().type(gfn) != P2m.Type.RAM_RW) {
            return;
        }
        HypercallPageInit.initialise(d.machine().frame(d.p2m().lookup(gfn)));
    }

    private static void complete(Cpu cpu, VmExit exit) {
        cpu.rip += exit.instructionLength();
        cpu.retire(1);
    }

    private static String access(long q) {
        return ((q & 1) != 0 ? "r" : "") + ((q & 2) != 0 ? "w" : "") + ((q & 4) != 0 ? "x" : "");
    }
}
