package org.pvhconf.xen.time;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.abi.SharedInfo;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.GuestCopy;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * The guest's view of time (§9.1, §9.2): the virtual TSC, vcpu_time_info and the wallclock.
 *
 * <p>The CPU's TSC is its retired instructions plus {@code Cpu.tscOffset}, and system time advances one
 * nanosecond per retired instruction ({@link VirtualClock#NS_PER_INSTRUCTION}), so inside a slice both
 * move in lock step. Like an invariant TSC, a vCPU's TSC keeps counting while it is descheduled: on
 * every schedule-in the offset is set so that TSC − system time is what it was when the vCPU last left
 * (a guest WRMSR to the TSC is kept), and vcpu_time_info is rewritten, as update_vcpu_system_time does
 * on a context switch. With mul = 2^31 and shift = 1 the pvclock formula gives exactly one ns per tick.
 */
public final class SystemTime {
    /** ns = system_time + (((tsc − tsc_timestamp) << 1) × 0x80000000) >> 32 = system_time + Δtsc. */
    public static final long TSC_TO_SYSTEM_MUL = 0x80000000L;
    public static final int TSC_SHIFT = 1;
    /**
     * The wallclock at system time 0 (wc_sec, wc_nsec): a fixed instant, so that runs are deterministic.
     * 2014-03-10T00:00:00Z, the day Xen 4.4.0 was released.
     */
    public static final long WALLCLOCK_SEC = 1_394_409_600L;
    public static final long WALLCLOCK_NSEC = 0;

    private SystemTime() {
    }

    /** The TSC the guest would read now on {@code v}. */
    public static long tsc(Vcpu v) {
        Cpu c = v.cpu();
        return c.retiredInstructions() + c.tscOffset;
    }

    /** A new vCPU's TSC starts at 0 when its domain is created (hvm_set_guest_tsc). */
    public static void create(Vcpu v, long now) {
        v.setTscMinusSystemTime(tsc(v) - now);
    }

    /** Schedule-in: re-base the TSC on system time and publish vcpu_time_info. */
    public static void enter(Vcpu v, long now, GuestCopy copy) {
        Cpu c = v.cpu();
        c.tscOffset = now + v.tscMinusSystemTime() - c.retiredInstructions();
        publish(v, now, copy);
    }

    /** Schedule-out: remember where the TSC stands against system time. */
    public static void leave(Vcpu v, long now) {
        v.setTscMinusSystemTime(tsc(v) - now);
    }

    /**
     * update_vcpu_system_time: writes vcpu_time_info into vcpu_info (version bumped by 2: it is never seen
     * odd, because no guest code runs while the hypervisor writes) and into the registered time area.
     */
    public static void publish(Vcpu v, long now, GuestCopy copy) {
        byte[] info = updateVcpuInfo(v, now);
        if (v.timeArea() != 0) {
            copy.toGuest(v.cpu(), v.timeArea(), info); // a fault here is the guest's problem, as in Xen
        }
    }

    /** Writes vcpu_time_info into vcpu_info and returns it, for the caller to copy to the time area. */
    public static byte[] updateVcpuInfo(Vcpu v, long now) {
        byte[] page = v.vcpuInfoPage();
        byte[] info = new byte[SharedInfo.VCPU_TIME_INFO_SIZE];
        long version = 0;
        if (page != null) {
            int off = v.vcpuInfoOffset() + SharedInfo.time;
            version = LittleEndian.u32(page, off + SharedInfo.time_version);
        }
        version = (version + 2) & ~1L & 0xFFFFFFFFL;
        LittleEndian.put32(info, SharedInfo.time_version, version);
        LittleEndian.put64(info, SharedInfo.time_tsc_timestamp, tsc(v));
        LittleEndian.put64(info, SharedInfo.time_system_time, now);
        LittleEndian.put32(info, SharedInfo.time_tsc_to_system_mul, TSC_TO_SYSTEM_MUL);
        info[SharedInfo.time_tsc_shift] = (byte) TSC_SHIFT;
        if (page != null) {
            System.arraycopy(info, 0, page, v.vcpuInfoOffset() + SharedInfo.time, info.length);
        }
        return info;
    }

    /** The wallclock fields of shared_info (§9.2): wc_version even, wc_sec/wc_nsec at system time 0. */
    public static void publishWallclock(Domain d) {
        byte[] si = d.sharedInfo();
        long version = LittleEndian.u32(si, SharedInfo.wc_version);
        LittleEndian.put32(si, SharedInfo.wc_version, (version + 2) & ~1L & 0xFFFFFFFFL);
        LittleEndian.put32(si, SharedInfo.wc_sec, WALLCLOCK_SEC);
        LittleEndian.put32(si, SharedInfo.wc_nsec, WALLCLOCK_NSEC);
    }
}
