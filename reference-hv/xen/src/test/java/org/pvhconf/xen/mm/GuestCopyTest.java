package org.pvhconf.xen.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.testutil.Guest;
import org.pvhconf.xen.testutil.TestKernel;

/**
 * copy_to/from_guest through the guest's page tables then the p2m (§1.2). The scratch pages are pfns 28
 * and 29, mapped by entries 28 and 29 of the first L1 table (gfn 25).
 */
class GuestCopyTest {
    private static final long L1 = 25L * 4096;
    private final Guest g = new Guest();
    private final GuestCopy copy = new GuestCopy();

    private Cpu cpu() {
        return g.cpu();
    }

    private void pte(int index, long value) {
        g.d.writeGuestPhysU64(L1 + index * 8L, value);
    }

    @Test
    void toGuest_acrossPageBoundaryIntoNonAdjacentFrames_byteExact() {
        pte(28, 29L * 4096 | 0x23);
        pte(29, 28L * 4096 | 0x23);
        long va = TestKernel.VIRT_BASE + 28 * 4096 + 4092;
        assertEquals(0, copy.toGuest(cpu(), va, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, g.d.readGuestPhys(29L * 4096 + 4092, 4));
        assertArrayEquals(new byte[] {5, 6, 7, 8}, g.d.readGuestPhys(28L * 4096, 4));
        byte[] back = new byte[8];
        assertEquals(0, copy.fromGuest(cpu(), va, back));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, back);
    }

    @Test
    void toGuest_secondPageUnmapped_efaultAfterWritingTheFirstPagePart() {
        pte(29, 0);
        long va = TestKernel.VIRT_BASE + 28 * 4096 + 4094;
        assertEquals(-14, copy.toGuest(cpu(), va, new byte[] {9, 9, 9, 9}));
        assertArrayEquals(new byte[] {9, 9}, g.d.readGuestPhys(28L * 4096 + 4094, 2), "hvm_copy goes page by page");
        assertEquals(-14, copy.fromGuest(cpu(), va, new byte[4]));
    }

    @Test
    void toGuest_readOnlyPte_faultsOnlyWithCr0Wp() {
        pte(28, 28L * 4096 | 0x21);
        long va = TestKernel.VIRT_BASE + 28 * 4096;
        assertEquals(0, copy.toGuest(cpu(), va, new byte[] {1}), "CR0.WP = 0: supervisor writes ignore RW");
        cpu().cr0 |= 1L << 16;
        assertEquals(-14, copy.toGuest(cpu(), va, new byte[] {1}));
        assertEquals(0, copy.fromGuest(cpu(), va, new byte[1]));
    }

    @Test
    void fromGuest_gfnNotInP2m_efault() {
        pte(28, 0x7000000L | 0x23); // gfn 0x7000, beyond 32 MiB
        assertEquals(-14, copy.fromGuest(cpu(), TestKernel.VIRT_BASE + 28 * 4096, new byte[1]));
    }

    @Test
    void fromGuest_nonCanonicalAndLowAddresses_efault() {
        assertEquals(-14, copy.fromGuest(cpu(), 0x0000800000000000L, new byte[1]));
        assertEquals(-14, copy.fromGuest(cpu(), Guest.UNMAPPED, new byte[1]));
    }

    @Test
    void walk_setsAccessedAndDirtyBits() {
        long va = TestKernel.VIRT_BASE + 28 * 4096;
        assertEquals(0, copy.toGuest(cpu(), va, new byte[] {1}));
        assertEquals(28L * 4096 | 0x63, g.d.readGuestPhysU64(L1 + 28 * 8));
    }

    @Test
    void stringFromGuest_stopsAtNulOrCap() {
        long va = TestKernel.VIRT_BASE + 28 * 4096 + 4093;
        assertEquals(0, copy.toGuest(cpu(), va, "xenstore\0".getBytes()));
        assertEquals("xenstore", copy.stringFromGuest(cpu(), va, 64));
        assertEquals("xen", copy.stringFromGuest(cpu(), va, 3));
        assertNull(copy.stringFromGuest(cpu(), Guest.UNMAPPED, 8));
    }
}
