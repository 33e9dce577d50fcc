package org.pvhconf.xen.time;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.testutil.ScriptedEngine;
import org.pvhconf.xen.testutil.TestKernel;

/** The pvclock parameters against the CPU's TSC (§9.1), and the VIRQ_TIMER timers (§8.1). */
class SystemTimeTest {
    private final java.util.List<ScriptedEngine> engines = new java.util.ArrayList<>();
    private final Hypervisor hv = new Hypervisor(HypervisorOptions.builder().quantum(1000).engineFactory(() -> {
        ScriptedEngine e = new ScriptedEngine();
        engines.add(e);
        return e;
    }).build());

    /** ns = system_time + ((delta << shift) × mul) >> 32, exactly as a guest computes it (96-bit product). */
    private static long guestNs(byte[] page, int off, long tsc) {
        ByteBuffer t = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        long delta = tsc - t.getLong(off + 8);
        int shift = page[off + 28];
        delta = shift >= 0 ? delta << shift : delta >>> -shift;
        long mul = t.getInt(off + 24) & 0xFFFFFFFFL;
        java.math.BigInteger p = java.math.BigInteger.valueOf(delta).and(java.math.BigInteger.ONE.shiftLeft(64).subtract(
                java.math.BigInteger.ONE)).multiply(java.math.BigInteger.valueOf(mul)).shiftRight(32);
        return t.getLong(off + 16) + p.longValue();
    }

    @Test
    void pvclock_guestFormulaOnTheCpuTsc_equalsHvmopGetTimeAtTheSameInstruction() throws Exception {
        Domain d = hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        Vcpu v0 = d.vcpu(0);
        long buf = d.buildInfo().bootStackTopVa();
        long[] guest = new long[3];
        int[] n = {0};
        ScriptedEngine e = engines.get(0);
        for (long chunk : new long[] {123, 4_567, 999}) { // the 4 567 chunk crosses a 1 000-instruction quantum
            e.then(chunk, c -> {
                guest[n[0]++] = guestNs(d.sharedInfo(), 32, c.retiredInstructions() + c.tscOffset);
                c.set(Reg.RAX, 34);
                c.set(Reg.RDI, 10); // HVMOP_get_time
                c.set(Reg.RSI, buf + 8L * (n[0] - 1));
            }, VmExit.instruction(VmExit.Reason.VMCALL, 3, 0));
        }
        e.then(1, c -> c.rflags = 0x2, VmExit.instruction(VmExit.Reason.HLT, 1, 0));
        hv.run(100_000);
        assertEquals(3, n[0]);
        byte[] out = new byte[24];
        assertEquals(0, hv.copyFromGuest(v0, buf, out));
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 3; k++) {
            assertEquals(b.getLong(8 * k), guest[k], "reading " + k + ": pvclock vs HVMOP_get_time");
        }
        assertTrue(guest[0] < guest[1] && guest[1] < guest[2]);
        assertEquals(0, ByteBuffer.wrap(d.sharedInfo()).order(ByteOrder.LITTLE_ENDIAN).getInt(32) & 1, "version even");
    }

    @Test
    void tsc_keepsCountingWhileTheVcpuIsDescheduled() throws Exception {
        Domain d = hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        Vcpu v = d.vcpu(0);
        hv.run(5_000); // scripted engine with no steps: retires its whole budget
        long tscBefore = SystemTime.tsc(v);
        long nowBefore = hv.clock().now();
        SystemTime.leave(v, hv.clock().now());
        hv.clock().advanceTo(nowBefore + 777_000);
        SystemTime.enter(v, hv.clock().now(), new org.pvhconf.xen.mm.GuestCopy());
        assertEquals(tscBefore + 777_000, SystemTime.tsc(v));
        assertEquals(hv.clock().now(), guestNs(d.sharedInfo(), 32, SystemTime.tsc(v)));
    }

    @Test
    void wallclock_publishedEvenAtBuild() throws Exception {
        Domain d = hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        ByteBuffer si = ByteBuffer.wrap(d.sharedInfo()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, si.getInt(3072) & 1);
        assertEquals(SystemTime.WALLCLOCK_SEC, si.getInt(3076) & 0xFFFFFFFFL);
    }

    @Test
    void periodicTimer_firesEveryPeriodUntilStopped() throws Exception {
        Domain d = hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        Vcpu v = d.vcpu(0);
        int port = d.evtchn().allocate(org.pvhconf.xen.event.EventChannels.State.VIRQ);
        d.evtchn().port(port).virq = 0;
        int[] fired = {0};
        VirtualClock clock = hv.clock();
        VcpuTimers.setPeriodic(v, clock, 1_000_000);
        for (int k = 1; k <= 3; k++) {
            clock.advanceTo(clock.now() + 1_000_000);
            clock.fireDue();
            if (d.evtchn().pending(port)) {
                fired[0]++;
                d.sharedInfo()[2048 + port / 8] &= (byte) ~(1 << (port % 8));
            }
        }
        assertEquals(3, fired[0]);
        VcpuTimers.setPeriodic(v, clock, 0);
        clock.advanceTo(clock.now() + 5_000_000);
        clock.fireDue();
        assertFalse(d.evtchn().pending(port));
        assertEquals(-1, clock.nextDeadline(), "no timer left armed: PVH has no default tick");
    }
}
