package org.pvhconf.xen.domain;

import org.pvhconf.x86.cpu.Cpu;

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
}
