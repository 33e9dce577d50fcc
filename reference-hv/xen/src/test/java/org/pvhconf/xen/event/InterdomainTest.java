package org.pvhconf.xen.event;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.testutil.ScriptedEngine;
import org.pvhconf.xen.testutil.TestKernel;

/** Event channels between two domains on one hypervisor (§10.1, §10.3), driven by hypercalls. */
class InterdomainTest {
    private static final int EVTCHN = 32, SEND = 4, STATUS = 5, ALLOC_UNBOUND = 6, BIND_INTERDOMAIN = 0, CLOSE = 3;
    private static final long EINVAL = -22, EPERM = -1, ESRCH = -3;
    private static final int SELF = 0x7FF0;

    private final Hypervisor hv = new Hypervisor(HypervisorOptions.builder().engineFactory(ScriptedEngine::new).build());
    private final Domain d1 = build();
    private final Domain d2 = build();

    private Domain build() {
        try {
            return hv.createDomain(new DomainConfig().vcpus(2), TestKernel.pvh().bytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Issues event_channel_op(cmd, arg) as {@code d}'s vCPU0 with the struct in its scratch; returns RAX. */
    private long op(Domain d, int cmd, byte[] arg) {
        long va = d.buildInfo().bootStackTopVa();
        assertEquals(0, hv.copyToGuest(d.vcpu(0), va, arg));
        Cpu c = d.vcpu(0).cpu();
        c.set(Reg.RAX, EVTCHN);
        c.set(Reg.RDI, cmd);
        c.set(Reg.RSI, va);
        hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.VMCALL, 3, 0));
        assertEquals(0, hv.copyFromGuest(d.vcpu(0), va, arg));
        return c.get(Reg.RAX);
    }

    private int allocUnbound(Domain d, int remote) {
        byte[] a = le(8).putShort(0, (short) SELF).putShort(2, (short) remote).array();
        assertEquals(0, op(d, ALLOC_UNBOUND, a));
        return le(8).put(a).getInt(4);
    }

    private long bindInterdomain(Domain d, int remoteDom, int remotePort, int[] localOut) {
        byte[] a = le(12).putShort(0, (short) remoteDom).putInt(4, remotePort).array();
        long rc = op(d, BIND_INTERDOMAIN, a);
        localOut[0] = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        return rc;
    }

    @Test
    void bindInterdomain_betweenTwoDomains_sendRaisesTheOtherEndBothWays() {
        int p2 = allocUnbound(d2, d1.domid());
        int[] p1 = new int[1];
        assertEquals(0, bindInterdomain(d1, d2.domid(), p2, p1));
        assertEquals(3, p1[0], "lowest free port after the toolstack's 1 and 2");
        assertTrue(d1.evtchn().pending(p1[0]), "§10.1: the new local port is set pending");
        assertFalse(d2.evtchn().pending(p2));

        assertEquals(0, op(d1, SEND, le(4).putInt(0, p1[0]).array()));
        assertTrue(d2.evtchn().pending(p2));
        assertEquals(1, d2.sharedInfo()[0], "d2 vCPU0 evtchn_upcall_pending");

        d1.sharedInfo()[2048 + p1[0] / 8] &= (byte) ~(1 << (p1[0] % 8)); // the guest consumes it
        assertEquals(0, op(d2, SEND, le(4).putInt(0, p2).array()));
        assertTrue(d1.evtchn().pending(p1[0]));
    }

    @Test
    void status_interdomain_namesTheRemoteDomainAndPort() {
        int p2 = allocUnbound(d2, d1.domid());
        int[] p1 = new int[1];
        bindInterdomain(d1, d2.domid(), p2, p1);
        byte[] s = le(24).putShort(0, (short) SELF).putInt(4, p1[0]).array();
        assertEquals(0, op(d1, STATUS, s));
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, b.getInt(8), "EVTCHNSTAT_interdomain");
        assertEquals(d2.domid(), b.getShort(16));
        assertEquals(p2, b.getInt(20));
    }

    @Test
    void close_oneEnd_otherEndRevertsToUnboundForTheCloser() {
        int p2 = allocUnbound(d2, d1.domid());
        int[] p1 = new int[1];
        bindInterdomain(d1, d2.domid(), p2, p1);
        assertEquals(0, op(d1, CLOSE, le(4).putInt(0, p1[0]).array()));
        assertEquals(EventChannels.State.UNBOUND, d2.evtchn().port(p2).state);
        assertEquals(d1.domid(), d2.evtchn().port(p2).remoteDomid);
        assertEquals(0, op(d2, SEND, le(4).putInt(0, p2).array()), "send on unbound is dropped");
        // d1 may bind to it again.
        assertEquals(0, bindInterdomain(d1, d2.domid(), p2, p1));
    }

    @Test
    void bindInterdomain_portReservedForAnotherDomain_einval() {
        int p2 = allocUnbound(d2, SELF); // reserved for d2 itself
        int[] p1 = new int[1];
        assertEquals(EINVAL, bindInterdomain(d1, d2.domid(), p2, p1));
        assertEquals(EventChannels.State.FREE, d1.evtchn().port(3).state, "no local port is taken on failure");
    }

    @Test
    void bindInterdomain_unknownDomain_esrch() {
        assertEquals(ESRCH, bindInterdomain(d1, 77, 1, new int[1]));
    }

    @Test
    void allocUnbound_inAnotherDomain_epermForAnUnprivilegedCaller() {
        byte[] a = le(8).putShort(0, (short) d2.domid()).putShort(2, (short) SELF).array();
        assertEquals(EPERM, op(d1, ALLOC_UNBOUND, a));
    }

    @Test
    void status_ofAnotherDomain_invalidPortBeforeXsm() {
        assertEquals(EINVAL, op(d1, STATUS, le(24).putShort(0, (short) d2.domid()).putInt(4, 5000).array()));
        assertEquals(EPERM, op(d1, STATUS, le(24).putShort(0, (short) d2.domid()).putInt(4, 1).array()));
    }

    @Test
    void reset_anotherDomain_eperm_ownDomain_closesAll() {
        assertEquals(EPERM, op(d1, 10, le(2).putShort(0, (short) d2.domid()).array()));
        assertEquals(EventChannels.State.UNBOUND, d2.evtchn().port(1).state);
        assertEquals(0, op(d2, 10, le(2).putShort(0, (short) SELF).array()));
        for (int p = 1; p < d2.evtchn().maxPorts(); p++) {
            assertEquals(EventChannels.State.FREE, d2.evtchn().port(p).state, "port " + p);
        }
        assertEquals(EventChannels.State.RESERVED, d2.evtchn().port(0).state);
    }

    @Test
    void allPortsTaken_allocUnboundAndBindInterdomain_enospc() {
        int p2 = allocUnbound(d2, d1.domid());
        while (d1.evtchn().allocate(EventChannels.State.IPI) > 0) {
            // fill every port of d1
        }
        byte[] a = le(8).putShort(0, (short) SELF).putShort(2, (short) SELF).array();
        assertEquals(-28, op(d1, ALLOC_UNBOUND, a));
        assertEquals(-28, bindInterdomain(d1, d2.domid(), p2, new int[1]), "-ENOSPC before the remote port is checked");
        assertEquals(-28, bindInterdomain(d1, d2.domid(), 4096, new int[1]));
    }

    @Test
    void setPending_notifyVcpu1_onlyVcpu1SelectorAndUpcall() {
        int p = d1.evtchn().allocate(EventChannels.State.IPI);
        d1.evtchn().port(p).notifyVcpu = 1;
        d1.evtchn().setPending(p);
        byte[] si = d1.sharedInfo();
        assertEquals(0, si[0], "vCPU0 upcall_pending");
        assertEquals(1, si[64], "vCPU1 upcall_pending");
        assertEquals(1, si[64 + 8] & 1, "vCPU1 pending_sel bit 0");
    }

    @Test
    void unmask_maskedPendingPort_upcallOnceSelectorWasClear() {
        int p = d1.evtchn().allocate(EventChannels.State.IPI);
        byte[] si = d1.sharedInfo();
        si[2560 + p / 8] |= (byte) (1 << (p % 8)); // mask
        d1.evtchn().setPending(p);
        assertEquals(0, si[0], "masked: no upcall");
        assertEquals(0, si[8], "masked: no selector bit");
        d1.evtchn().unmask(p);
        assertEquals(1, si[0]);
        assertEquals(1, si[8] & 1);
    }
}
