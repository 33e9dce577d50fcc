package org.pvhconf.xen.event;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.domain.Vcpu;

/**
 * What Xen checks on every VM entry of a PVH vCPU (§3.3 item 2): an NMI first (VCPUOP_send_nmi, IDT
 * vector 2, not blocked by RFLAGS.IF), then the callback vector. While evtchn_upcall_pending is set and a
 * vector is configured, it is injected when the interrupt window is open (IF = 1, no STI/MOV SS shadow),
 * and interrupt-window exiting stays armed so that it is injected again as soon as the guest opens the
 * window while the flag is still set: level-like, no EOI (item 4). evtchn_upcall_mask is not looked at
 * (item 5).
 */
public final class Upcall {
    /** The IDT vector of an NMI. */
    static final int NMI_VECTOR = 2;

    private Upcall() {
    }

    public static void beforeEntry(Vcpu v) {
        Cpu cpu = v.cpu();
        if (!cpu.hasPendingInjection() && v.takeNmi()) {
            cpu.requeuePendingVector(NMI_VECTOR); // NMIs ignore IF; this CPU models no NMI blocking
        }
        int vector = v.domain().callbackVector();
        if (vector < 0 || !v.upcallPending()) {
            cpu.setInterruptWindowExiting(false);
            return;
        }
        if (!cpu.hasPendingInjection() && cpu.interruptWindowOpen()) {
            cpu.injectExternalInterrupt(vector);
        }
        cpu.setInterruptWindowExiting(true);
    }
}
