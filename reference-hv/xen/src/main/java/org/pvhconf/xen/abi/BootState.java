package org.pvhconf.xen.abi;

/**
 * What the 4.4 PVHv1 builder and VMCS defaults give vCPU0 at entry, and the initial page-table
 * geometry (§7.1). Facts of the boot ABI, kept here so that no other class spells them.
 */
public final class BootState {
    private BootState() {
    }

    public static final long RFLAGS = 0x202;
    public static final int CS_AR = 0xA09B;
    public static final int DATA_AR = 0xC093;
    public static final int SEG_LIMIT = 0xFFFFFFFF;
    public static final int LDTR_AR = 0x0082;
    public static final int TR_AR = 0x008B;
    public static final int TR_LIMIT = 0xFF;
    public static final long CR0 = 0x80000011L;
    public static final long CR4 = 0x20;
    /** SCE | LME | LMA at 4.4; 4.5 drops SCE (0x500). */
    public static final long EFER_4_4 = 0x501;
    public static final long PAT = 0x0007040600070406L;
    public static final long DR7 = 0;

    // ---- initial page tables (§7.1) ----
    /** L1 PTEs: P | RW | A. */
    public static final long L1_PROT = 0x023;
    /** L2, L3, L4 entries: P | RW | A | D | U. */
    public static final long UPPER_PROT = 0x067;
    /** virt_pgtab_end is a 4 MiB boundary. */
    public static final int PGTAB_END_ALIGN_BITS = 22;
    /** 128 pages (512 KiB) of padding beyond the allocated pages. */
    public static final int PGTAB_PADDING_PAGES = 128;
    /** Bits of virtual address one table of each level covers: L4 48, L3 39, L2 30, L1 21. */
    public static final int L4_SPAN_BITS = 48, L3_SPAN_BITS = 39, L2_SPAN_BITS = 30, L1_SPAN_BITS = 21;
    public static final int PTES_PER_TABLE = 512;
}
