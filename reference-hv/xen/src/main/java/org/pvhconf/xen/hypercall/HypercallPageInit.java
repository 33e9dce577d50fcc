package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.HypercallPage.*;

import java.util.Arrays;

import org.pvhconf.xen.mm.LittleEndian;

/** hypercall_page_initialise for an Intel HVM container (§1.3). */
public final class HypercallPageInit {
    private HypercallPageInit() {
    }

    /** Fills a 4096-byte page: 0xCC everywhere, a VMCALL stub per slot, ud2 in the iret slot. */
    public static void initialise(byte[] page) {
        Arrays.fill(page, FILL);
        for (int i = 0; i < NR_SLOTS; i++) {
            int o = i * SLOT_SIZE;
            if (i == IRET_SLOT) {
                System.arraycopy(UD2, 0, page, o, UD2.length);
                continue;
            }
            page[o] = MOV_IMM32_EAX;
            LittleEndian.put32(page, o + 1, i);
            System.arraycopy(VMCALL, 0, page, o + 5, VMCALL.length);
            page[o + 8] = RET;
        }
    }
}
