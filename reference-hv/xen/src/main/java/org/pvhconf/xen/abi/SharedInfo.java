package org.pvhconf.xen.abi;

/** {@code struct shared_info}, {@code vcpu_info} and {@code vcpu_time_info} for a 64-bit guest (§9). */
public final class SharedInfo {
    private SharedInfo() {
    }

    // ---- struct vcpu_info (64 bytes, §9.1) ----
    public static final int VCPU_INFO_SIZE = 64;
    public static final int evtchn_upcall_pending = 0;  // u8
    public static final int evtchn_upcall_mask = 1;     // u8
    public static final int evtchn_pending_sel = 8;     // u64
    public static final int arch_cr2 = 16;
    public static final int time = 32;                  // struct vcpu_time_info

    // ---- struct vcpu_time_info (32 bytes, relative to vcpu_info.time) ----
    public static final int VCPU_TIME_INFO_SIZE = 32;
    public static final int time_version = 0;           // u32
    public static final int time_tsc_timestamp = 8;
    public static final int time_system_time = 16;
    public static final int time_tsc_to_system_mul = 24; // u32
    public static final int time_tsc_shift = 28;        // s8

    // ---- struct shared_info (§9.2) ----
    public static final int vcpu_info = 0;              // vcpu_info[32]
    public static final int evtchn_pending = 2048;      // u64[64]
    public static final int evtchn_mask = 2560;         // u64[64]
    public static final int wc_version = 3072;
    public static final int wc_sec = 3076;
    public static final int wc_nsec = 3080;
    public static final int arch = 3088;
    public static final int arch_max_pfn = 3088;
    public static final int arch_pfn_to_mfn_frame_list_list = 3096;
    public static final int arch_nmi_reason = 3104;
    /** sizeof(shared_info) at 4.4. */
    public static final int SIZE_4_4 = 3368;

    public static int vcpuInfo(int vcpuId) {
        return vcpu_info + vcpuId * VCPU_INFO_SIZE;
    }
}
