package org.pvhconf.xen.abi;

/** The bytes of an HVM-container hypercall page (§1.3). */
public final class HypercallPage {
    private HypercallPage() {
    }

    public static final int SLOT_SIZE = 32;
    public static final int NR_SLOTS = Xen.PAGE_SIZE / SLOT_SIZE;
    public static final byte FILL = (byte) 0xCC;              // int3
    public static final byte MOV_IMM32_EAX = (byte) 0xB8;
    public static final byte[] VMCALL = {0x0F, 0x01, (byte) 0xC1};
    public static final byte[] VMMCALL = {0x0F, 0x01, (byte) 0xD9};
    public static final byte RET = (byte) 0xC3;
    public static final byte[] UD2 = {0x0F, 0x0B};
    /** Slot 23 ({@code __HYPERVISOR_iret}) holds ud2 instead of a stub. */
    public static final int IRET_SLOT = Xen.HYPERVISOR_iret;
}
