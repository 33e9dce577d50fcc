package org.pvhconf.xen.abi;

/**
 * {@code public/xen.h @ RELEASE-4.4.0}: hypercall numbers, domain ids, VIRQs and the page geometry
 * every other header relies on (§1.1, §10.2, §12.4).
 */
public final class Xen {
    private Xen() {
    }

    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    /** {@code NR_hypercalls}: an index of 64 or more returns -ENOSYS (§1.1). */
    public static final int NR_hypercalls = 64;

    // ---- hypercall numbers (§1.1) ----
    public static final int HYPERVISOR_set_trap_table = 0;
    public static final int HYPERVISOR_mmu_update = 1;
    public static final int HYPERVISOR_set_gdt = 2;
    public static final int HYPERVISOR_stack_switch = 3;
    public static final int HYPERVISOR_set_callbacks = 4;
    public static final int HYPERVISOR_fpu_taskswitch = 5;
    public static final int HYPERVISOR_sched_op_compat = 6;
    public static final int HYPERVISOR_platform_op = 7;
    public static final int HYPERVISOR_set_debugreg = 8;
    public static final int HYPERVISOR_get_debugreg = 9;
    public static final int HYPERVISOR_update_descriptor = 10;
    public static final int HYPERVISOR_memory_op = 12;
    public static final int HYPERVISOR_multicall = 13;
    public static final int HYPERVISOR_update_va_mapping = 14;
    public static final int HYPERVISOR_set_timer_op = 15;
    public static final int HYPERVISOR_event_channel_op_compat = 16;
    public static final int HYPERVISOR_xen_version = 17;
    public static final int HYPERVISOR_console_io = 18;
    public static final int HYPERVISOR_physdev_op_compat = 19;
    public static final int HYPERVISOR_grant_table_op = 20;
    public static final int HYPERVISOR_vm_assist = 21;
    public static final int HYPERVISOR_update_va_mapping_otherdomain = 22;
    public static final int HYPERVISOR_iret = 23;
    public static final int HYPERVISOR_vcpu_op = 24;
    public static final int HYPERVISOR_set_segment_base = 25;
    public static final int HYPERVISOR_mmuext_op = 26;
    public static final int HYPERVISOR_xsm_op = 27;
    public static final int HYPERVISOR_nmi_op = 28;
    public static final int HYPERVISOR_sched_op = 29;
    public static final int HYPERVISOR_callback_op = 30;
    public static final int HYPERVISOR_xenoprof_op = 31;
    public static final int HYPERVISOR_event_channel_op = 32;
    public static final int HYPERVISOR_physdev_op = 33;
    public static final int HYPERVISOR_hvm_op = 34;
    public static final int HYPERVISOR_sysctl = 35;
    public static final int HYPERVISOR_domctl = 36;
    public static final int HYPERVISOR_kexec_op = 37;
    public static final int HYPERVISOR_tmem_op = 38;
    public static final int HYPERVISOR_xc_reserved_op = 39;
    public static final int HYPERVISOR_arch_0 = 48;
    public static final int HYPERVISOR_arch_7 = 55;

    /** Xen's names for 0..63 as the trace prints them; an undefined number is {@code hypercall<N>}. */
    private static final String[] NAMES = new String[NR_hypercalls];

    static {
        String[] defined = {
            "set_trap_table", "mmu_update", "set_gdt", "stack_switch", "set_callbacks", "fpu_taskswitch",
            "sched_op_compat", "platform_op", "set_debugreg", "get_debugreg", "update_descriptor", null,
            "memory_op", "multicall", "update_va_mapping", "set_timer_op", "event_channel_op_compat",
            "xen_version", "console_io", "physdev_op_compat", "grant_table_op", "vm_assist",
            "update_va_mapping_otherdomain", "iret", "vcpu_op", "set_segment_base", "mmuext_op", "xsm_op",
            "nmi_op", "sched_op", "callback_op", "xenoprof_op", "event_channel_op", "physdev_op", "hvm_op",
            "sysctl", "domctl", "kexec_op", "tmem_op", "xc_reserved_op"};
        for (int i = 0; i < NR_hypercalls; i++) {
            if (i < defined.length && defined[i] != null) {
                NAMES[i] = defined[i];
            } else if (i >= HYPERVISOR_arch_0 && i <= HYPERVISOR_arch_7) {
                NAMES[i] = "arch_" + (i - HYPERVISOR_arch_0);
            } else {
                NAMES[i] = "hypercall" + i;
            }
        }
    }

    /** The name of hypercall {@code nr} (any 32-bit value) for traces. */
    public static String hypercallName(long nr) {
        return nr >= 0 && nr < NR_hypercalls ? NAMES[(int) nr] : "hypercall" + Long.toUnsignedString(nr & 0xFFFFFFFFL);
    }

    // ---- domain ids (§12.4) ----
    public static final int DOMID_FIRST_RESERVED = 0x7FF0;
    public static final int DOMID_SELF = 0x7FF0;
    public static final int DOMID_IO = 0x7FF1;
    public static final int DOMID_XEN = 0x7FF2;
    public static final int DOMID_COW = 0x7FF3;
    public static final int DOMID_INVALID = 0x7FF4;
    public static final int DOMID_IDLE = 0x7FFF;

    // ---- VIRQs (§10.2) ----
    public static final int VIRQ_TIMER = 0;
    public static final int VIRQ_DEBUG = 1;
    public static final int VIRQ_CONSOLE = 2;
    public static final int VIRQ_DOM_EXC = 3;
    public static final int VIRQ_TBUF = 4;
    public static final int VIRQ_DEBUGGER = 6;
    public static final int VIRQ_XENOPROF = 7;
    public static final int VIRQ_CON_RING = 8;
    public static final int VIRQ_PCPU_STATE = 9;
    public static final int VIRQ_MEM_EVENT = 10;
    public static final int VIRQ_XC_RESERVED = 11;
    public static final int VIRQ_ENOMEM = 12;
    public static final int VIRQ_ARCH_0 = 16;
    public static final int NR_VIRQS = 24;

    /** §10.2: TIMER, DEBUG and XENOPROF are per-vCPU; every other VIRQ is global. */
    public static boolean virqIsGlobal(int virq) {
        return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF;
    }

    /** {@code XEN_LEGACY_MAX_VCPUS}: vcpu_info slots in shared_info (§9.2). */
    public static final int XEN_LEGACY_MAX_VCPUS = 32;

    /**
     * {@code MAX_VIRT_CPUS} of x86 Xen (vcpu_op: a vcpuid at or above it is -EINVAL, §8.1). Not given
     * by pvh-abi.md; 8192 is the x86 value of {@code asm-x86/config.h}.
     */
    public static final int MAX_VIRT_CPUS = 8192;

    /** HYPERVISOR_VIRT_START for x86_64, reported even to PVH (§4.3). */
    public static final long HYPERVISOR_VIRT_START = 0xFFFF800000000000L;
    public static final long HYPERVISOR_VIRT_END = 0xFFFF880000000000L;

    /** {@code MAX_GUEST_CMDLINE} (§6.1). */
    public static final int MAX_GUEST_CMDLINE = 1024;

    /** {@code MMU_UPDATE_PREEMPTED}: continuation flag in mmuext_op's count (§12.4). */
    public static final long MMU_UPDATE_PREEMPTED = 0x80000000L;
}
