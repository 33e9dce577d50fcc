package org.pvhconf.xen.abi;

/** {@code public/hvm/hvm_op.h @ RELEASE-4.4.0}: HVMOP numbers and argument layouts (§2.2, §3.1). */
public final class HvmOp {
    private HvmOp() {
    }

    public static final int HVMOP_set_param = 0;
    public static final int HVMOP_get_param = 1;
    public static final int HVMOP_set_pci_intx_level = 2;
    public static final int HVMOP_set_isa_irq_level = 3;
    public static final int HVMOP_set_pci_link_route = 4;
    public static final int HVMOP_flush_tlbs = 5;
    public static final int HVMOP_track_dirty_vram = 6;
    public static final int HVMOP_modified_memory = 7;
    public static final int HVMOP_set_mem_type = 8;
    public static final int HVMOP_pagetable_dying = 9;
    public static final int HVMOP_get_time = 10;
    public static final int HVMOP_xentrace = 11;
    public static final int HVMOP_set_mem_access = 12;
    public static final int HVMOP_get_mem_access = 13;
    public static final int HVMOP_inject_trap = 14;
    public static final int HVMOP_get_mem_type = 15;
    public static final int HVMOP_inject_msi = 16;

    /** {@code struct xen_hvm_param} (16): domid u16 @0, index u32 @4, value u64 @8. */
    public static final int HVM_PARAM_SIZE = 16;
    public static final int HVM_PARAM_domid = 0, HVM_PARAM_index = 4, HVM_PARAM_value = 8;

    /** {@code xen_hvm_get_time} (8): now u64 @0. */
    public static final int GET_TIME_SIZE = 8;

    /**
     * {@code xen_hvm_xentrace} (32): event u16 @0, extra_bytes u16 @2, extra[28] @4. Not in pvh-abi.md;
     * from hvm_op.h (TRACE_EXTRA_MAX = 7 words). {@code TRC_SUBCLS_SHIFT} = 12.
     */
    public static final int XENTRACE_SIZE = 32;
    public static final int XENTRACE_event = 0, XENTRACE_extra_bytes = 2, XENTRACE_EXTRA_MAX_BYTES = 28;
    public static final int TRC_SUBCLS_SHIFT = 12;

    /**
     * Size of the argument copied in by the ops that name a domain first (domid u16 @0): we read only the
     * domid, so a fault beyond it is not seen (pvh-abi.md gives no layout for these structs).
     */
    public static final int DOMID_HEADER_SIZE = 2;
    /** {@code xen_hvm_pagetable_dying} and {@code xen_hvm_get_mem_type}: 16 bytes, domid @0. */
    public static final int PAGETABLE_DYING_SIZE = 16, GET_MEM_TYPE_SIZE = 16;
}
