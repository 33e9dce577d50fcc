package org.pvhconf.xen.event;

import static org.pvhconf.xen.abi.SharedInfo.*;

import org.pvhconf.xen.abi.EventChannel;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * One domain's 2-level event channels (§10): the port table, and the pending/mask/selector bits in
 * shared_info. Port 0 is reserved; new ports are the lowest free port ≥ 1.
 */
public final class EventChannels {

    /** Port states (ECS_*). */
    public enum State { FREE, RESERVED, UNBOUND, INTERDOMAIN, PIRQ, VIRQ, IPI }

    public static final class Port {
        public State state = State.FREE;
        public int notifyVcpu;
        /** UNBOUND: the domain allowed to bind; INTERDOMAIN: the remote domain. */
        public int remoteDomid;
        public int remotePort;
        public int virq;
    }

    private final Domain domain;
    private final Port[] ports = new Port[EventChannel.EVTCHN_2L_NR_CHANNELS];

    public EventChannels(Domain domain) {
        this.domain = domain;
        for (int i = 0; i < ports.length; i++) {
            ports[i] = new Port();
        }
        ports[0].state = State.RESERVED;
    }

    public int maxPorts() {
        return ports.length;
    }

    public boolean isValid(long port) {
        return port >= 0 && port < ports.length;
    }

    public Port port(int p) {
        return ports[p];
    }

    /** The lowest free port, now in state {@code s}, or -ENOSPC as a negative value. */
    public int allocate(State s) {
        for (int p = 1; p < ports.length; p++) {
            if (ports[p].state == State.FREE) {
                Port port = ports[p];
                port.state = s;
                port.notifyVcpu = 0;
                port.remoteDomid = 0;
                port.remotePort = 0;
                port.virq = 0;
                return p;
            }
        }
        return -org.pvhconf.xen.abi.Errno.ENOSPC;
    }

    /** Frees a port and clears its pending bit (§10.1 close). */
    public void free(int p) {
        ports[p].state = State.FREE;
        clearBit(evtchn_pending, p);
    }

    // ---- shared_info bits (§10.3) ----

    public boolean pending(int p) {
        return testBit(evtchn_pending, p);
    }

    public boolean masked(int p) {
        return testBit(evtchn_mask, p);
    }

    /** Raises port {@code p} towards its notify vCPU (evtchn_2l_set_pending, §10.3). */
    public void setPending(int p) {
        if (testAndSetBit(evtchn_pending, p)) {
            return;
        }
        Vcpu v = domain.vcpu(ports[p].notifyVcpu);
        if (!masked(p) && !testAndSetSel(v.id(), p / 64)) {
            markUpcallPending(v);
        }
        domain.wakePollers(p);
    }

    /** EVTCHNOP_unmask (§10.3). */
    public void unmask(int p) {
        Vcpu v = domain.vcpu(ports[p].notifyVcpu);
        if (testAndClearBit(evtchn_mask, p) && pending(p) && !testAndSetSel(v.id(), p / 64)) {
            markUpcallPending(v);
        }
    }

    /** vcpu_mark_events_pending: set evtchn_upcall_pending; on a 0→1 change, kick the vCPU (§3.3). */
    public void markUpcallPending(Vcpu v) {
        byte[] si = domain.sharedInfo();
        int off = vcpuInfo(v.id()) + evtchn_upcall_pending;
        if (si[off] != 0) {
            return;
        }
        si[off] = 1;
        if (domain.callbackVector() >= 0) {
            v.kick();
        }
    }

    private boolean testAndSetSel(int vcpu, int word) {
        byte[] si = domain.sharedInfo();
        int off = vcpuInfo(vcpu) + evtchn_pending_sel;
        long sel = LittleEndian.u64(si, off);
        boolean was = (sel & (1L << word)) != 0;
        LittleEndian.put64(si, off, sel | (1L << word));
        return was;
    }

    private boolean testBit(int base, int p) {
        byte[] si = domain.sharedInfo();
        return (si[base + p / 8] & (1 << (p % 8))) != 0;
    }

    private boolean testAndSetBit(int base, int p) {
        boolean was = testBit(base, p);
        domain.sharedInfo()[base + p / 8] |= (byte) (1 << (p % 8));
        return was;
    }

    private boolean testAndClearBit(int base, int p) {
        boolean was = testBit(base, p);
        domain.sharedInfo()[base + p / 8] &= (byte) ~(1 << (p % 8));
        return was;
    }

    private void clearBit(int base, int p) {
        testAndClearBit(base, p);
    }
}
