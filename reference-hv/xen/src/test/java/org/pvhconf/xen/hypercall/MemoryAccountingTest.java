package org.pvhconf.xen.hypercall;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.mm.FrameAllocator;
import org.pvhconf.xen.mm.P2m;
import org.pvhconf.xen.testutil.Guest;
import org.pvhconf.xen.testutil.TestKernel;

/** memory_op and grant frames never leak a frame: churn, then the allocator's totals are back where they were. */
class MemoryAccountingTest extends HypercallTestBase {
    private static final int MEMORY_OP = 12, GRANT_TABLE_OP = 20;
    private static final long FREE_GFN = 0x1800; // RAM above the initial mapping of a 32 MiB guest

    /** Issues a call and re-executes it while it is preempted (RIP left at the VMCALL, §1.2); RAX at the end. */
    static long callToCompletion(Guest g, Domain d, long nr, long... args) {
        Cpu c = d.vcpu(0).cpu();
        Reg[] regs = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9};
        for (int i = 0; i < regs.length; i++) {
            c.set(regs[i], i < args.length ? args[i] : 0);
        }
        c.set(Reg.RAX, nr);
        long rip = c.rip;
        for (int n = 0; n < 100_000; n++) {
            g.hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.VMCALL, Guest.VMCALL_LEN, 0));
            if (c.rip != rip) {
                return c.get(Reg.RAX);
            }
            assertEquals(nr, c.get(Reg.RAX), "a preempted call leaves the hypercall number in RAX");
        }
        throw new AssertionError("the call never completed");
    }

    private long reservation(int op, long list, long nr, int order) {
        g.write(g.scratch, le(32).putLong(list).putLong(nr).putInt(order).putInt(0).putShort((short) DOMID_SELF)
                .putShort((short) 0).putInt(0).array());
        return callToCompletion(g, g.d, MEMORY_OP, op, g.scratch);
    }

    private void extents(long... gfns) {
        ByteBuffer b = le(gfns.length * 8);
        for (long gfn : gfns) {
            b.putLong(gfn);
        }
        g.write(g.scratch + 0x1000, b.array());
    }

    private long addToPhysmap(int space, long idx, long gpfn) {
        g.write(g.scratch, le(24).putShort((short) DOMID_SELF).putShort((short) 0).putInt(space).putLong(idx)
                .putLong(gpfn).array());
        return g.call(MEMORY_OP, 7, g.scratch);
    }

    @Test
    void churn_populateDecreaseAddToPhysmap_totalsReturnToStart() {
        FrameAllocator m = g.hv.machine();
        long machineStart = m.totalAllocated();
        long totStart = g.d.totPages();
        long[] gfns = new long[300]; // more than one preemption interval
        for (int i = 0; i < gfns.length; i++) {
            gfns[i] = FREE_GFN + i;
        }
        for (int round = 0; round < 3; round++) {
            extents(gfns);
            assertEquals(300, reservation(1, g.scratch + 0x1000, 300, 0), "decrease_reservation");
            assertEquals(totStart - 300, g.d.totPages());
            assertEquals(300, reservation(6, g.scratch + 0x1000, 300, 0), "populate_physmap");
            assertEquals(0, addToPhysmap(2, FREE_GFN, FREE_GFN + 0x400), "gmfn move frees the page at gpfn");
            extents(FREE_GFN + 0x400);
            assertEquals(1, reservation(1, g.scratch + 0x1000, 1, 0));
            extents(FREE_GFN, FREE_GFN + 0x400);
            assertEquals(2, reservation(6, g.scratch + 0x1000, 2, 0));
            extents(0x1C00);
            assertEquals(1, reservation(1, g.scratch + 0x1000, 1, 0), "make room for an order-2 extent");
            extents(0x1C04);
            assertEquals(0, reservation(6, g.scratch + 0x1000, 1, 2), "over max_pages: no extent");
            extents(0x1C04, 0x1C05, 0x1C06);
            assertEquals(3, reservation(1, g.scratch + 0x1000, 3, 0));
            extents(0x1C04);
            assertEquals(1, reservation(6, g.scratch + 0x1000, 1, 2), "order 2 fits now");
            assertEquals(1, reservation(1, g.scratch + 0x1000, 1, 2));
            extents(0x1C00, 0x1C04, 0x1C05, 0x1C06);
            assertEquals(4, reservation(6, g.scratch + 0x1000, 4, 0));
        }
        assertEquals(totStart, g.d.totPages());
        assertEquals(machineStart, m.totalAllocated());
    }

    @Test
    void populate_preemptedCallRewritesCmdWithStartExtent() {
        long[] gfns = new long[100];
        for (int i = 0; i < gfns.length; i++) {
            gfns[i] = FREE_GFN + i;
        }
        extents(gfns);
        assertEquals(100, reservation(1, g.scratch + 0x1000, 100, 0));
        assertEquals(100, reservation(6, g.scratch + 0x1000, 100, 0));
        Cpu c = g.cpu();
        assertEquals(6 | (64L << 6), c.get(Reg.RDI), "the last continuation's cmd stays in RDI (§1.2)");
    }

    @Test
    void grantMappedFrame_freedByGranter_staysUntilUnmapped() throws Exception {
        Domain b = g.hv.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        FrameAllocator m = g.hv.machine();
        long startA = g.d.totPages();
        // A: grant frame 0 at gfn 0x1900 (freeing the RAM there), entry 8 grants gfn FREE_GFN to B read-write.
        assertEquals(0, addToPhysmap(1, 0, 0x1900));
        long afterMap = m.totalAllocated();
        byte[] entry = le(8).putShort((short) 1).putShort((short) b.domid()).putInt((int) FREE_GFN).array();
        g.d.writeGuestPhys(0x1900L * 4096 + 8 * 8, entry);
        // B maps it at gfn 0x1A00.
        Guest gb = Guest.Attached.of(g.hv, b);
        gb.write(gb.scratch, le(32).putLong(0x1A00L * 4096).putInt(2).putInt(8).putShort((short) g.d.domid())
                .putShort((short) 0).putInt(0).putLong(0).array());
        assertEquals(0, gb.call(GRANT_TABLE_OP, 0, gb.scratch, 1));
        ByteBuffer map = gb.readLe(gb.scratch, 32);
        assertEquals(0, map.getShort(18), "status");
        int handle = map.getInt(20);
        assertEquals(P2m.Type.GRANT_RW, b.p2m().type(0x1A00));
        assertEquals(1 | 8 | 16, g.d.readGuestPhys(0x1900L * 4096 + 64, 2)[0], "GTF_reading | GTF_writing set");
        // A gives the page back while B still maps it: A's tot_pages keeps it until B lets go.
        extents(FREE_GFN);
        assertEquals(1, reservation(1, g.scratch + 0x1000, 1, 0));
        assertEquals(afterMap, m.totalAllocated());
        gb.write(gb.scratch, le(24).putLong(0x1A00L * 4096).putLong(0).putInt(handle).putInt(0).array());
        assertEquals(0, gb.call(GRANT_TABLE_OP, 1, gb.scratch, 1));
        assertEquals(0, gb.readLe(gb.scratch, 24).getShort(20));
        assertEquals(afterMap - 1, m.totalAllocated());
        assertEquals(startA - 2, g.d.totPages(), "the RAM page under the grant frame and the granted page");
        assertNull(b.p2m().type(0x1A00));
        assertEquals(1, g.d.readGuestPhys(0x1900L * 4096 + 64, 2)[0], "GTF_reading and GTF_writing cleared");
    }
}
