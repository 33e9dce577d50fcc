package org.pvhconf.xen.hypercall;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Reg;

/** physdev_op's PIRQ paths for a PVH domU (§2.2) and mmuext_op's continuation (§1.2, §12.4). */
class PhysdevMmuextTest extends HypercallTestBase {
    private static final int PHYSDEV_OP = 33, MMUEXT_OP = 26;

    @Test
    void getFreePirq_handsOutDistinctPirqsThenEnospc() {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        long rc;
        while (true) {
            g.write(g.scratch, le(8).putInt(1).putInt(-1).array());
            rc = g.call(PHYSDEV_OP, 23, g.scratch);
            if (rc != 0) {
                break;
            }
            int pirq = g.readLe(g.scratch, 8).getInt(4);
            assertTrue(pirq >= PhysdevOp.NR_IRQS_GSI && pirq < EventChannelOp.PIRQS_DOMU, "pirq " + pirq);
            assertTrue(seen.add(pirq), "pirq " + pirq + " handed out twice");
        }
        assertEquals(ENOSPC, rc);
        assertEquals(EventChannelOp.PIRQS_DOMU - PhysdevOp.NR_IRQS_GSI, seen.size());
    }

    @Test
    void mapAndUnmapPirq_efaultEsrchEperm() {
        for (int op : new int[] {13, 14}) {
            assertEquals(EFAULT, g.call(PHYSDEV_OP, op, Guest.UNMAPPED), "op " + op);
            g.write(g.scratch, le(40).putShort((short) 0x1234).array());
            assertEquals(ESRCH, g.call(PHYSDEV_OP, op, g.scratch), "op " + op);
            g.write(g.scratch, le(40).putShort((short) DOMID_SELF).putShort((short) 0).putInt(1).putInt(5).putInt(5).array());
            assertEquals(EPERM, g.call(PHYSDEV_OP, op, g.scratch), "op " + op);
        }
    }

    @Test
    void mmuext_longBatch_continuesWithPreemptedCountAndPdone() {
        int n = 150;
        ByteBuffer ops = le(24 * n);
        for (int i = 0; i < n; i++) {
            ops.putInt(6).putInt(0).putLong(0).putLong(0); // MMUEXT_TLB_FLUSH_LOCAL
        }
        g.write(g.scratch, ops.array());
        long pdone = g.scratch + 24L * n;
        g.write(pdone, le(4).putInt(0x7777).array());
        assertEquals(0, MemoryAccountingTest.callToCompletion(g, g.d, MMUEXT_OP, g.scratch, n, pdone, DOMID_SELF));
        assertEquals(n, g.readLe(pdone, 4).getInt(0));
        assertEquals((n - 128) | 0x80000000L, g.cpu().get(Reg.RSI), "count of the last continuation");
        assertEquals(g.scratch + 24L * 128, g.cpu().get(Reg.RDI), "ops of the last continuation");
    }

    private static final class Guest {
        static final long UNMAPPED = org.pvhconf.xen.testutil.Guest.UNMAPPED;
    }
}
