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
        /** VIRQ: the vCPU whose virq_to_evtchn[virq] names this port (bind_vcpu moves only notifyVcpu). */
        public int virqVcpu;
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

    /** get_free_port: the lowest free port ≥ 1 (port 0 is reserved), or -ENOSPC; nothing is taken. */
    public int lowestFree() {
        for (int p = 1; p < ports.length; p++) {
            if (ports[p].state == State.FREE) {
                return p;
            }
        }
        return -org.pvhconf.xen.abi.Errno.ENOSPC;
    }

    /** The lowest free port, now in state {@code s} and notifying vCPU 0, or -ENOSPC as a negative value. */
    public int allocate(State s) {
        int p = lowestFree();
        if (p < 0) {
            return p;
        }
        Port port = ports[p];
        port.state = s;
        port.notifyVcpu = 0;
        port.remoteDomid = 0;
        port.remotePort = 0;
        port.virq = 0;
        port.virqVcpu = 0;
        return p;
    }

    /** Frees a port: its pending bit is cleared and its binding reverts to vCPU 0 (§10.1 close). */
    public void free(int p) {
        ports[p].state = State.FREE;
        ports[p].notifyVcpu = 0;
        clearBit(evtchn_pending, p);
    }

    /** v->virq_to_evtchn[virq]: the port bound to {@code virq} on {@code vcpu}, or 0. */
    public int virqPort(int vcpu, int virq) {
        for (int p = 1; p < ports.length; p++) {
            Port port = ports[p];
            if (port.state == State.VIRQ && port.virq == virq && port.virqVcpu == vcpu) {
                return p;
            }
        }
        return 0;
    }

    /** send_guest_vcpu_virq / send_guest_global_virq: raise the bound port, if any (§10.2). */
    public void sendVirq(int vcpu, int virq) {
        int p = virqPort(org.pvhconf.xen.abi.Xen.virqIsGlobal(virq) ? 0 : vcpu, virq);
        if (p != 0) {
            setPending(p);
        }
    }

    // ---- shared_info bits (§10.3) ----

    public boolean pending(int p) {
        return testBit(evtchn_pending, p);
    }

    public boolean masked(int p) {
        return testBit(evtchn_mask, p);
    }

    /**
     * Raises port {@code p} towards its notify vCPU (evtchn_2l_set_pending, §10.3): pending already set
     * stops everything; a masked port sets no selector and no upcall but still wakes pollers.
     */
    public void setPending(int p) {
        if (testAndSetBit(evtchn_pending, p)) {
            return;
        }
        Vcpu v = domain.vcpu(ports[p].notifyVcpu);
        if (!masked(p) && !testAndSetSel(v, p / 64)) {
            markUpcallPending(v);
        }
        domain.wakePollers(p);
    }

    /** EVTCHNOP_unmask (§10.3): re-notify only for a port that was masked, is pending, and whose selector bit was clear. */
    public void unmask(int p) {
        Vcpu v = domain.vcpu(ports[p].notifyVcpu);
        if (testAndClearBit(evtchn_mask, p) && pending(p) && !testAndSetSel(v, p / 64)) {
            markUpcallPending(v);
        }
    }

    /**
     * vcpu_mark_events_pending: test-and-set evtchn_upcall_pending; on a 0→1 change and with the callback
     * vector configured, kick the vCPU (§3.3 items 1 and 7). evtchn_upcall_mask is not looked at (item 5).
     */
    public void markUpcallPending(Vcpu v) {
        byte[] vi = v.vcpuInfoPage();
        if (vi == null) {
            return; // no vcpu_info yet (§8.1): nothing to mark
        }
        int off = v.vcpuInfoOffset() + evtchn_upcall_pending;
        if (vi[off] != 0) {
            return;
        }
        vi[off] = 1;
        if (domain.callbackVector() >= 0) {
            v.kick();
        }
    }

    private static boolean testAndSetSel(Vcpu v, int word) {
        byte[] vi = v.vcpuInfoPage();
        if (vi == null) {
            return true; // no vcpu_info: behave as if already flagged, so no upcall is marked
        }
        int off = v.vcpuInfoOffset() + evtchn_pending_sel;
        long sel = LittleEndian.u64(vi, off);
        boolean was = (sel & (1L << word)) != 0;
        LittleEndian.put64(vi, off, sel | (1L << word));
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
