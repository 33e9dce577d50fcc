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
    /**
     * struct physdev_map_pirq (40): domid u16 @0, type i32 @4, index i32 @8, pirq i32 @12, bus @16, devfn @20,
     * entry_nr @24, table_base u64 @32. struct physdev_unmap_pirq (8): domid u16 @0, pirq i32 @4.
     * struct physdev_get_free_pirq (8): type i32 @0, out pirq u32 @4. Not in pvh-abi.md; the layouts of
     * {@code public/physdev.h @ RELEASE-4.4.0}.
     */
    public static final int PHYSDEV_MAP_PIRQ_SIZE = 40, PHYSDEV_UNMAP_PIRQ_SIZE = 8, PHYSDEV_GET_FREE_PIRQ_SIZE = 8;
    public static final int MAP_PIRQ_TYPE_MSI = 0, MAP_PIRQ_TYPE_GSI = 1;

    /** struct physdev_irq_status_query: irq u32 @0, flags u32 @4 (out). */
    public static final int PHYSDEV_IRQ_STATUS_QUERY_SIZE = 8;
}
