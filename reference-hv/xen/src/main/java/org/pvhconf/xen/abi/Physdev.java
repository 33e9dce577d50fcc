package org.pvhconf.xen.abi;

/** PHYSDEVOP numbers named by §2.2 ({@code public/physdev.h}). */
public final class Physdev {
    private Physdev() {
    }

    public static final int PHYSDEVOP_irq_status_query = 5;
    public static final int PHYSDEVOP_set_iopl = 6;
    public static final int PHYSDEVOP_set_iobitmap = 7;
    public static final int PHYSDEVOP_eoi = 12;
    public static final int PHYSDEVOP_map_pirq = 13;
    public static final int PHYSDEVOP_unmap_pirq = 14;
    public static final int PHYSDEVOP_get_free_pirq = 23;

    /** struct physdev_eoi: irq u32 @0. */
    public static final int PHYSDEV_EOI_SIZE = 4;
    /** struct physdev_irq_status_query: irq u32 @0, flags u32 @4 (out). */
    public static final int PHYSDEV_IRQ_STATUS_QUERY_SIZE = 8;
}
