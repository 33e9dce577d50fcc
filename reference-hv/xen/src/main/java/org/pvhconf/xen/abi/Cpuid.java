package org.pvhconf.xen.abi;

/** {@code public/arch-x86/cpuid.h} and the 4.4 hypervisor leaves (§1.4). */
public final class Cpuid {
    private Cpuid() {
    }

    public static final int XEN_CPUID_FIRST_LEAF = 0x40000000;
    /** Leaves base+0 .. base+limit exist; PVHv1 forces tsc_mode NEVER_EMULATE, so limit = 2 at 4.4. */
    public static final int XEN_CPUID_LIMIT_4_4_PVH = 2;
    /** "XenVMMXenVMM" in EBX, ECX, EDX of base+0. */
    public static final int XEN_CPUID_SIGNATURE_EBX = 0x566E6558;
    public static final int XEN_CPUID_SIGNATURE_ECX = 0x65584D4D;
    public static final int XEN_CPUID_SIGNATURE_EDX = 0x4D4D566E;
    /** base+2: one hypercall page, at this MSR. */
    public static final int XEN_CPUID_NR_HYPERCALL_PAGES = 1;
    public static final int XEN_HYPERCALL_MSR = 0x40000000;
    /** Viridian would move the Xen leaves up to here; never the case for PVH. */
    public static final int XEN_CPUID_FIRST_LEAF_VIRIDIAN = 0x40000100;

    /** Leaves 0x40000000-0x400000FF belong to the hypervisor range Xen answers. */
    public static final int HYPERVISOR_LEAF_RANGE = 0x100;
}
