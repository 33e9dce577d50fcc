package org.pvhconf.xen.hypercall;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.xen.domain.ShutdownReason;

/** hvm_do_hypercall's order (§1.2, §2.1) and the exception guard. */
class HypercallDispatcherTest extends HypercallTestBase {

    @Test
    void dispatch_ssDplThree_epermBeforeAnything() {
        g.cpu().segment(SegReg.SS).ar |= 3 << 5;
        assertEquals(EPERM, g.call(99));
        assertFalse(g.d.isShutdown());
    }

    @Test
    void dispatch_numberAbove63_enosys() {
        assertEquals(ENOSYS, g.call(64));
    }

    @Test
    void dispatch_pvOnlyCalls_enosys() {
        for (int nr : new int[] {0, 1, 6, 13, 15, 21, 23, 30}) {
            assertEquals(ENOSYS, g.call(nr, 0, 0), "hypercall " + nr);
        }
    }

    @Test
    void dispatch_upperRaxBitsIgnored() {
        assertEquals(0x00040004, g.call(0xFFFFFFFF_00000000L | 17, 0, 0));
    }

    @Test
    void dispatch_resultInRaxOnlyRipAdvancedArgsKept() {
        long rip = g.cpu().rip;
        g.call(17, 0, 0x1234);
        assertEquals(rip + 3, g.cpu().rip);
        assertEquals(0x1234, g.cpu().get(Reg.RSI));
    }

    @Test
    void dispatch_traceRecordsCallAndNamesErrno() {
        g.call(17, 7, 1);
        HypercallRecord r = g.d.hypercallTrace().get(0);
        assertEquals("xen_version", r.name());
        assertEquals(EINVAL, r.result());
        assertTrue(r.toString().endsWith("xen_version(0x7, 0x1) = 0xffffffffffffffea (-EINVAL)"), r.toString());
        assertEquals(1, g.d.hypercallCount());
    }

    @Test
    void dispatch_handlerThrows_domainCrashedWithReason() {
        g.hv.hypercalls().install(17, (ctx, a) -> {
            throw new IllegalStateException("planted");
        });
        long rip = g.cpu().rip;
        g.call(17, 0, 0);
        assertEquals(ShutdownReason.CRASH, g.d.shutdownReason());
        assertTrue(g.d.crashDetail().contains("planted") && g.d.crashDetail().contains("xen_version"));
        assertEquals(rip, g.cpu().rip, "a crashed call does not complete");
    }

    @Test
    void dispatch_from32BitMode_crashesDomainNamingTheRule() {
        g.cpu().segment(SegReg.CS).ar = 0xC09B; // D=1, L=0: compatibility mode
        g.call(17, 0, 0);
        assertEquals(ShutdownReason.CRASH, g.d.shutdownReason());
        assertTrue(g.d.crashDetail().contains("64-bit mode"));
    }
}
