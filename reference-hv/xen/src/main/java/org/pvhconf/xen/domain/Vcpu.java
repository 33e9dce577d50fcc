package org.pvhconf.xen.domain;

import org.pvhconf.x86.cpu.Cpu;

import org.pvhconf.xen.abi.SharedInfo;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.time.VirtualClock;

/**
 * A virtual CPU: the x86 {@link Cpu} it runs on plus Xen's scheduling state (initialised, the
 * _VPF_down and _VPF_blocked pause flags, a poll in progress) and its runstate accounting.
 */
public final class Vcpu {
    private final Domain domain;
    private final int id;
    private final Cpu cpu;
    private boolean initialised;
    private boolean down = true;
    private boolean blocked;
    /** SCHEDOP_poll: -1 not polling; 0 polling several ports; else the single port. */
    private int pollEvtchn = -1;
    private VirtualClock.Timer pollTimer;
    private int runstate = org.pvhconf.xen.abi.Vcpu.RUNSTATE_offline;
    private long runstateEntry;
    private final long[] runstateTime = new long[4];
    /** Set when the vCPU should give up the rest of its quantum (yield, block). */
    private boolean yieldRequested;
    /** The clock runstate changes are stamped with; set by the hypervisor when the domain is created. */
    private VirtualClock clock;
    private boolean running;
    /** Where this vCPU's vcpu_info lives: shared_info slot id, or the page given to register_vcpu_info. */
    private byte[] vcpuInfoPage;
    private int vcpuInfoOffset;
    private boolean vcpuInfoRegistered;
    /** VCPUOP_register_runstate_memory_area / register_vcpu_time_memory_area: guest VAs, 0 = none. */
    private long runstateArea;
    private long timeArea;
    /** Per-vCPU timers delivering VIRQ_TIMER (§8.1). */
    private VirtualClock.Timer singleshot;
    private VirtualClock.Timer periodic;
    private long periodicPeriod;
    /** Guest TSC minus system time; the TSC keeps counting while the vCPU is descheduled. */
    private long tscMinusSystemTime;
    private boolean nmiPending;

    Vcpu(Domain domain, int id, Cpu cpu) {
        this.domain = domain;
        this.id = id;
        this.cpu = cpu;
    }

    public int id() {
        return id;
    }

    public Cpu cpu() {
        return cpu;
    }

    public Domain domain() {
        return domain;
    }

    /** VCPUOP_is_up: not marked down. */
    public boolean isUp() {
        return !down;
    }

    public boolean isInitialised() {
        return initialised;
    }

    public void setInitialised(boolean v) {
        initialised = v;
    }

    public void setDown(boolean v) {
        down = v;
        refreshRunstate();
    }

    public boolean isBlocked() {
        return blocked;
    }

    /** Can be scheduled: initialised, up, not blocked, its domain running. */
    public boolean runnable() {
        return initialised && !down && !blocked && !domain.isShutdown();
    }

    public void block() {
        blocked = true;
        yieldRequested = true;
        refreshRunstate();
    }

    /** SCHEDOP_poll: block waiting for {@code port} (0 = several ports), optionally until a deadline. */
    public void blockPolling(int port, VirtualClock.Timer timeout) {
        pollEvtchn = port;
        pollTimer = timeout;
        block();
    }

    public int pollEvtchn() {
        return pollEvtchn;
    }

    /** vcpu_unblock: the vCPU becomes runnable again; a poll in progress ends. */
    public void kick() {
        if (!blocked) {
            return;
        }
        blocked = false;
        pollEvtchn = -1;
        if (pollTimer != null) {
            pollTimer.cancel();
            pollTimer = null;
        }
        refreshRunstate();
    }

    public void requestYield() {
        yieldRequested = true;
    }

    public boolean takeYieldRequest() {
        boolean y = yieldRequested;
        yieldRequested = false;
        return y;
    }

    // ---- runstate (vcpu_runstate_info, §8.1) ----

    public void setRunstate(int state, long now) {
        if (state == runstate) {
            return;
        }
        runstateTime[runstate] += now - runstateEntry;
        runstate = state;
        runstateEntry = now;
    }

    public int runstate() {
        return runstate;
    }

    public long runstateEntryTime() {
        return runstateEntry;
    }

    /** time[state] including the current stretch up to {@code now}. */
    public long runstateTime(int state, long now) {
        return runstateTime[state] + (state == runstate ? now - runstateEntry : 0);
    }

    /** The hypervisor stamps runstate changes with {@code c}; without it only the scheduler updates them. */
    public void setClock(VirtualClock c) {
        clock = c;
    }

    /** Set by the scheduler for the duration of a slice. */
    public void setRunning(boolean r) {
        running = r;
        refreshRunstate();
    }

    public boolean isRunning() {
        return running;
    }

    /** running, runnable, blocked or offline, from the flags, stamped now (§8.1). */
    public void refreshRunstate() {
        if (clock == null) {
            return;
        }
        int s = domain.isShutdown() || down || !initialised ? org.pvhconf.xen.abi.Vcpu.RUNSTATE_offline
                : running ? org.pvhconf.xen.abi.Vcpu.RUNSTATE_running
                : blocked ? org.pvhconf.xen.abi.Vcpu.RUNSTATE_blocked : org.pvhconf.xen.abi.Vcpu.RUNSTATE_runnable;
        setRunstate(s, clock.now());
    }

    /** The runstate as {@code vcpu_runstate_info} (48 bytes, §8.1), with time[] up to {@code now}. */
    public byte[] runstateInfo(long now) {
        byte[] r = new byte[org.pvhconf.xen.abi.Vcpu.RUNSTATE_INFO_SIZE];
        LittleEndian.put32(r, 0, runstate);
        LittleEndian.put64(r, 8, runstateEntry);
        for (int s = 0; s < 4; s++) {
            LittleEndian.put64(r, 16 + 8 * s, runstateTime(s, now));
        }
        return r;
    }

    // ---- vcpu_info (§9.1): in shared_info for ids < 32, or where register_vcpu_info put it ----

    /** False for a vCPU ≥ XEN_LEGACY_MAX_VCPUS that never registered a vcpu_info (§8.1). */
    public boolean hasVcpuInfo() {
        return vcpuInfoPage() != null;
    }

    public byte[] vcpuInfoPage() {
        if (vcpuInfoPage == null && id < Xen.XEN_LEGACY_MAX_VCPUS) {
            return domain.sharedInfo();
        }
        return vcpuInfoPage;
    }

    /** Byte offset of this vcpu_info inside {@link #vcpuInfoPage()}. */
    public int vcpuInfoOffset() {
        return vcpuInfoPage == null ? SharedInfo.vcpuInfo(id) : vcpuInfoOffset;
    }

    public boolean vcpuInfoRegistered() {
        return vcpuInfoRegistered;
    }

    /** register_vcpu_info: from now on vcpu_info is at {@code offset} in {@code page}. */
    public void moveVcpuInfo(byte[] page, int offset) {
        vcpuInfoPage = page;
        vcpuInfoOffset = offset;
        vcpuInfoRegistered = true;
    }

    public boolean upcallPending() {
        byte[] p = vcpuInfoPage();
        return p != null && p[vcpuInfoOffset() + SharedInfo.evtchn_upcall_pending] != 0;
    }

    // ---- timers and time ----

    public VirtualClock.Timer singleshot() {
        return singleshot;
    }

    public void setSingleshot(VirtualClock.Timer t) {
        if (singleshot != null) {
            singleshot.cancel();
        }
        singleshot = t;
    }

    public VirtualClock.Timer periodic() {
        return periodic;
    }

    public long periodicPeriod() {
        return periodicPeriod;
    }

    public void setPeriodic(long period, VirtualClock.Timer t) {
        if (periodic != null) {
            periodic.cancel();
        }
        periodicPeriod = period;
        periodic = t;
    }

    public long tscMinusSystemTime() {
        return tscMinusSystemTime;
    }

    public void setTscMinusSystemTime(long v) {
        tscMinusSystemTime = v;
    }

    public long runstateArea() {
        return runstateArea;
    }

    public void setRunstateArea(long va) {
        runstateArea = va;
    }

    public long timeArea() {
        return timeArea;
    }

    public void setTimeArea(long va) {
        timeArea = va;
    }

    /** VCPUOP_send_nmi: test-and-set; true if it was clear (the caller then kicks). */
    public boolean raiseNmi() {
        boolean was = nmiPending;
        nmiPending = true;
        return !was;
    }

    public boolean takeNmi() {
        boolean was = nmiPending;
        nmiPending = false;
        return was;
    }
}
