package org.pvhconf.xen.event;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.abi.SharedInfo;
import org.pvhconf.xen.domain.Vcpu;

/**
 * The callback-vector upcall at VM entry (§3.3): while evtchn_upcall_pending is set and a vector is
 * configured, inject it when the interrupt window is open, and keep interrupt-window exiting armed so
 * that it is re-injected as soon as the guest opens the window again. evtchn_upcall_mask is not looked at.
 */
public final class Upcall {
    private Upcall() {
    }

    public static void beforeEntry(Vcpu v) {
        Cpu cpu = v.cpu();
        int vector = v.domain().callbackVector();
        byte[] si = v.domain().sharedInfo();
        boolean pending = vector >= 0 && si != null
                && si[SharedInfo.vcpuInfo(v.id()) + SharedInfo.evtchn_upcall_pending] != 0;
        if (!pending) {
            cpu.setInterruptWindowExiting(false);
            return;
        }
        if (!cpu.hasPendingInjection() && cpu.interruptWindowOpen()) {
            cpu.injectExternalInterrupt(vector);
        }
        cpu.setInterruptWindowExiting(true);
    }
}
