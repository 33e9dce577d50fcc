package org.pvhconf.xen.vmexit;

import static org.pvhconf.xen.abi.Cpuid.*;

import org.pvhconf.x86.mmu.PageWalk;
import org.pvhconf.xen.XenProfile;

/**
 * CPUID as a PVHv1 domU sees it. The Xen leaves come first (pv_cpuid → cpuid_hypervisor_leaves, §1.4,
 * 4.4 values). Everything else is a plain, fixed x86-64 processor, so that runs are reproducible on any
 * host: GenuineIntel, family 6, long mode, NX, SYSCALL, SSE2, the hypervisor bit, no LAPIC (PVH has
 * none). Leaves beyond the reported maxima read as zeros.
 */
public final class CpuidPolicy {
    private static final int MAX_BASIC = 1;
    private static final int MAX_EXTENDED = 0x80000008;

    private final XenProfile profile;

    public CpuidPolicy(XenProfile profile) {
        this.profile = profile;
    }

    /** {EAX, EBX, ECX, EDX} for leaf/subleaf on vCPU {@code vcpuId}. */
    public int[] leaf(int leaf, int subleaf, int vcpuId) {
        if (leaf >= XEN_CPUID_FIRST_LEAF && leaf < XEN_CPUID_FIRST_LEAF + HYPERVISOR_LEAF_RANGE) {
            int idx = leaf - XEN_CPUID_FIRST_LEAF;
            switch (idx) {
                case 0:
                    return new int[] {XEN_CPUID_FIRST_LEAF + XEN_CPUID_LIMIT_4_4_PVH, XEN_CPUID_SIGNATURE_EBX,
                        XEN_CPUID_SIGNATURE_ECX, XEN_CPUID_SIGNATURE_EDX};
                case 1:
                    return new int[] {profile.xenVersion(), 0, 0, 0};
                case 2:
                    // ECX bit 0 (MMU_PT_UPDATE_PRESERVE_AD) is for PV guests only.
                    return new int[] {XEN_CPUID_NR_HYPERCALL_PAGES, XEN_HYPERCALL_MSR, 0, 0};
                default:
                    return new int[4]; // beyond the limit (base+3 needs tsc_mode PVRDTSCP)
            }
        }
        switch (leaf) {
            case 0:
                return new int[] {MAX_BASIC, 0x756E6547, 0x6C65746E, 0x49656E69}; // "GenuineIntel"
            case 1: {
                int eax = 0x000306A9; // family 6, model 0x3A, stepping 9
                int ebx = (vcpuId & 0xFF) << 24 | 1 << 16 | 8 << 8; // APIC id, 1 logical CPU, CLFLUSH 64 bytes
                int ecx = 1 << 31;                                   // hypervisor present
                int edx = 1 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 13 | 1 << 15 | 1 << 16 | 1 << 24
                        | 1 << 25 | 1 << 26;                        // FPU TSC MSR PAE CX8 PGE CMOV PAT FXSR SSE SSE2
                return new int[] {eax, ebx, ecx, edx};
            }
            case 0x80000000:
                return new int[] {MAX_EXTENDED, 0, 0, 0};
            case 0x80000001:
                return new int[] {0, 0, 1, 1 << 11 | 1 << 20 | 1 << 29}; // LAHF64; SYSCALL NX LM
            case 0x80000008:
                return new int[] {0x3000 | PageWalk.MAXPHYADDR, 0, 0, 0}; // the CPU's physical width, 48 virtual bits
            default:
                return new int[4];
        }
    }
}
