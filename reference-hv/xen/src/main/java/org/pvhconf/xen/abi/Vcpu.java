package org.pvhconf.xen.abi;

/** {@code public/vcpu.h} and {@code vcpu_guest_context} (§8). */
public final class Vcpu {
    private Vcpu() {
    }

    public static final int VCPUOP_initialise = 0;
    public static final int VCPUOP_up = 1;
    public static final int VCPUOP_down = 2;
    public static final int VCPUOP_is_up = 3;
    public static final int VCPUOP_get_runstate_info = 4;
    public static final int VCPUOP_register_runstate_memory_area = 5;
    public static final int VCPUOP_set_periodic_timer = 6;
    public static final int VCPUOP_stop_periodic_timer = 7;
    public static final int VCPUOP_set_singleshot_timer = 8;
    public static final int VCPUOP_stop_singleshot_timer = 9;
    public static final int VCPUOP_register_vcpu_info = 10;
    public static final int VCPUOP_send_nmi = 11;
    public static final int VCPUOP_get_physid = 12;
    public static final int VCPUOP_register_vcpu_time_memory_area = 13;

    /** {@code vcpu_runstate_info} (48): state int @0, state_entry_time @8, time[4] @16. */
    public static final int RUNSTATE_INFO_SIZE = 48;
    public static final int RUNSTATE_running = 0, RUNSTATE_runnable = 1, RUNSTATE_blocked = 2, RUNSTATE_offline = 3;

    /** {@code vcpu_set_periodic_timer} (8) and its bounds (§8.1). */
    public static final int SET_PERIODIC_TIMER_SIZE = 8;
    public static final long PERIODIC_MIN_NS = 1_000_000L;
    public static final long PERIODIC_MAX_NS = (1L << 62) - 1;
    /** {@code vcpu_set_singleshot_timer} (16): timeout_abs_ns @0, flags u32 @8. */
    public static final int SET_SINGLESHOT_TIMER_SIZE = 16;
    public static final int VCPU_SSHOTTMR_future = 1 << 0;

    /** {@code vcpu_register_vcpu_info} (16): mfn @0 (a gfn), offset u32 @8, rsvd u32 @12. */
    public static final int REGISTER_VCPU_INFO_SIZE = 16;

    // ---- struct vcpu_guest_context (5168, §8.2) ----
    public static final int VCPU_GUEST_CONTEXT_SIZE = 5168;
    public static final int CTX_fpu_ctxt = 0;
    public static final int CTX_flags = 512;
    public static final int CTX_user_regs = 520;
    public static final int CTX_trap_ctxt = 720;
    public static final int CTX_ldt_base = 4816;
    public static final int CTX_ldt_ents = 4824;
    public static final int CTX_gdt_frames = 4832;
    public static final int CTX_gdt_ents = 4960;
    public static final int CTX_kernel_ss = 4968;
    public static final int CTX_kernel_sp = 4976;
    public static final int CTX_ctrlreg = 4984;   // ctrlreg[8]
    public static final int CTX_debugreg = 5048;  // debugreg[8]
    public static final int CTX_event_callback_eip = 5112;
    public static final int CTX_failsafe_callback_eip = 5120;
    public static final int CTX_syscall_callback_eip = 5128;
    public static final int CTX_vm_assist = 5136;
    public static final int CTX_fs_base = 5144;
    public static final int CTX_gs_base_kernel = 5152;
    public static final int CTX_gs_base_user = 5160;

    public static final int VGCF_i387_valid = 1 << 0;
    public static final int VGCF_in_kernel = 1 << 2;
    public static final int VGCF_online = 1 << 5;

    // ---- struct cpu_user_regs (200), offsets relative to user_regs ----
    public static final int UREGS_r15 = 0, UREGS_r14 = 8, UREGS_r13 = 16, UREGS_r12 = 24, UREGS_rbp = 32,
            UREGS_rbx = 40, UREGS_r11 = 48, UREGS_r10 = 56, UREGS_r9 = 64, UREGS_r8 = 72, UREGS_rax = 80,
            UREGS_rcx = 88, UREGS_rdx = 96, UREGS_rsi = 104, UREGS_rdi = 112, UREGS_error_code = 120,
            UREGS_entry_vector = 124, UREGS_rip = 128, UREGS_cs = 136, UREGS_saved_upcall_mask = 140,
            UREGS_rflags = 144, UREGS_rsp = 152, UREGS_ss = 160, UREGS_es = 168, UREGS_ds = 176,
            UREGS_fs = 184, UREGS_gs = 192;
}
