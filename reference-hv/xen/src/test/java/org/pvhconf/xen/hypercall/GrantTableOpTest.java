package org.pvhconf.xen.hypercall;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.mm.P2m;
import org.pvhconf.xen.testutil.Guest;
import org.pvhconf.xen.testutil.TestKernel;

/** grant_table_op v1 between two domains on one hypervisor (§12.3), driven by registers and guest memory. */
class GrantTableOpTest extends HypercallTestBase {
    private static final int MEMORY_OP = 12, GRANT_TABLE_OP = 20;
    private static final long GRANT_GFN = 0x1900, PAGE_GFN = 0x1800, HOST_GFN = 0x2400;

    private final Domain b;
    private final Guest gb;

    GrantTableOpTest() throws Exception {
        b = g.hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        gb = Guest.Attached.of(g.hv, b);
        g.write(g.scratch, le(24).putShort((short) DOMID_SELF).putShort((short) 0).putInt(1).putLong(0)
                .putLong(GRANT_GFN).array());
        assertEquals(0, g.call(MEMORY_OP, 7, g.scratch), "grant frame 0 mapped at GRANT_GFN");
    }

    private void grant(int ref, int flags, int domid, long gfn) {
        g.d.writeGuestPhys(GRANT_GFN * 4096 + ref * 8L, le(8).putShort((short) flags).putShort((short) domid)
                .putInt((int) gfn).array());
    }

    private short map(long hostGfn, int flags, int ref, int dom) {
        gb.write(gb.scratch, le(32).putLong(hostGfn << 12).putInt(flags).putInt(ref).putShort((short) dom)
                .putShort((short) 0x7777).putInt(0).putLong(0).array());
        assertEquals(0, gb.call(GRANT_TABLE_OP, 0, gb.scratch, 1));
        return gb.readLe(gb.scratch, 32).getShort(18);
    }

    @Test
    void map_readonlyGrant_mapsGrantRoAndRefusesWritableMap() {
        grant(8, 1 | 4, b.domid(), PAGE_GFN);
        assertEquals(-1, map(HOST_GFN, 2, 8, g.d.domid()), "a writable map of a read-only grant");
        assertNull(b.p2m().type(HOST_GFN));
        assertEquals(0, map(HOST_GFN, 2 | 4, 8, g.d.domid()));
        assertEquals(P2m.Type.GRANT_RO, b.p2m().type(HOST_GFN));
        assertEquals(g.d.p2m().lookup(PAGE_GFN), b.p2m().lookup(HOST_GFN));
    }

    @Test
    void map_whilePinnedByB_refusedToAnotherDomain() throws Exception {
        Domain c = g.hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        Guest gc = Guest.Attached.of(g.hv, c);
        grant(8, 1, b.domid(), PAGE_GFN);
        assertEquals(0, map(HOST_GFN, 2, 8, g.d.domid()));
        gc.write(gc.scratch, le(32).putLong(HOST_GFN << 12).putInt(2).putInt(8).putShort((short) g.d.domid())
                .putShort((short) 0).putInt(0).putLong(0).array());
        assertEquals(0, gc.call(GRANT_TABLE_OP, 0, gc.scratch, 1));
        assertEquals(-1, gc.readLe(gc.scratch, 32).getShort(18));
    }

    @Test
    void unmap_twice_secondIsBadHandle() {
        grant(8, 1, b.domid(), PAGE_GFN);
        assertEquals(0, map(HOST_GFN, 2, 8, g.d.domid()));
        int handle = gb.readLe(gb.scratch, 32).getInt(20);
        for (int expected : new int[] {0, -4}) {
            gb.write(gb.scratch, le(24).putLong(HOST_GFN << 12).putLong(0).putInt(handle).putInt(0).array());
            assertEquals(0, gb.call(GRANT_TABLE_OP, 1, gb.scratch, 1));
            assertEquals(expected, gb.readLe(gb.scratch, 24).getShort(20));
        }
        assertNull(b.p2m().type(HOST_GFN));
    }

    @Test
    void copy_moreOpsThanOnePreemptionInterval_allDoneThroughContinuations() {
        int n = 150;
        ByteBuffer ops = le(40 * n);
        for (int i = 0; i < n; i++) {
            ops.putLong(PAGE_GFN).putShort((short) DOMID_SELF).putShort((short) 0).putInt(0)
                    .putLong(PAGE_GFN + 1).putShort((short) DOMID_SELF).putShort((short) (i * 8)).putInt(0)
                    .putShort((short) 8).putShort((short) 0).putShort((short) 0x7777).putShort((short) 0);
        }
        g.write(g.scratch, ops.array());
        g.d.writeGuestPhysU64(PAGE_GFN * 4096, 0x0123456789ABCDEFL);
        assertEquals(0, MemoryAccountingTest.callToCompletion(g, g.d, GRANT_TABLE_OP, 5, g.scratch, n));
        for (int i = 0; i < n; i++) {
            assertEquals(0, g.readLe(g.scratch + 40L * i, 40).getShort(36), "status of op " + i);
            assertEquals(0x0123456789ABCDEFL, g.d.readGuestPhysU64((PAGE_GFN + 1) * 4096 + i * 8L), "op " + i);
        }
        assertEquals(n - 128, g.cpu().get(Reg.RDX), "the last continuation's count is left in RDX");
    }

    @Test
    void setVersion_whileAGrantIsMapped_ebusy() {
        grant(8, 1, b.domid(), PAGE_GFN);
        assertEquals(0, map(HOST_GFN, 2, 8, g.d.domid()));
        g.write(g.scratch, le(4).putInt(2).array());
        assertEquals(-16, g.call(GRANT_TABLE_OP, 8, g.scratch, 1));
        assertEquals(1, g.readLe(g.scratch, 4).getInt(0), "the version in force is written back");
    }
}
