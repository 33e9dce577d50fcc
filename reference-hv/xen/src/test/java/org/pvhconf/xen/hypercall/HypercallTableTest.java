package org.pvhconf.xen.hypercall;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pvhconf.xen.hypercall.HypercallTable.GuestType;
import org.pvhconf.xen.hypercall.HypercallTable.Slot;

/** The matrix against §2.1, written out here from the spec's own list. */
class HypercallTableTest {

    @Test
    void slot_pvh64_exactlyTheFourteenOfSection2_1() {
        List<Integer> present = new ArrayList<>();
        for (int nr = 0; nr < 64; nr++) {
            if (HypercallTable.slot(GuestType.PVH64, nr) != Slot.ABSENT) {
                present.add(nr);
            }
        }
        assertEquals(List.of(7, 12, 17, 18, 20, 24, 26, 27, 29, 32, 33, 34, 35, 36), present);
    }

    @Test
    void slot_pvh64_grantTableAndPhysdevFilteredVcpuAndMemoryNot() {
        assertEquals(Slot.HVM_FILTERED, HypercallTable.slot(GuestType.PVH64, 20));
        assertEquals(Slot.HVM_FILTERED, HypercallTable.slot(GuestType.PVH64, 33));
        assertEquals(Slot.DO, HypercallTable.slot(GuestType.PVH64, 24));
        assertEquals(Slot.DO, HypercallTable.slot(GuestType.PVH64, 12));
    }

    @Test
    void slot_hvm64_differsFromPvhAsSection2_1Says() {
        // PVH has mmuext_op and platform_op, plain HVM does not; HVM has set_timer_op and tmem_op.
        assertEquals(Slot.ABSENT, HypercallTable.slot(GuestType.HVM64, 26));
        assertEquals(Slot.ABSENT, HypercallTable.slot(GuestType.HVM64, 7));
        assertNotEquals(Slot.ABSENT, HypercallTable.slot(GuestType.HVM64, 15));
        assertNotEquals(Slot.ABSENT, HypercallTable.slot(GuestType.HVM64, 38));
        assertEquals(Slot.ABSENT, HypercallTable.slot(GuestType.PVH64, 15));
        assertEquals(Slot.HVM_FILTERED, HypercallTable.slot(GuestType.HVM64, 24));
    }

    @Test
    void dispatcher_everyPvhSlotHasAHandlerAndNoOther() {
        HypercallDispatcher d = new HypercallDispatcher(1024);
        for (int nr = 0; nr < 64; nr++) {
            assertEquals(HypercallTable.slot(GuestType.PVH64, nr) != Slot.ABSENT, d.handler(nr) != null, "nr " + nr);
        }
    }
}
