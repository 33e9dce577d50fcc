package org.pvhconf.xen.domain;

import org.pvhconf.xen.abi.Sched;

/** Why a domain shut down: the SHUTDOWN_* code (§12.1). */
public enum ShutdownReason {
    POWEROFF(Sched.SHUTDOWN_poweroff),
    REBOOT(Sched.SHUTDOWN_reboot),
    SUSPEND(Sched.SHUTDOWN_suspend),
    CRASH(Sched.SHUTDOWN_crash),
    WATCHDOG(Sched.SHUTDOWN_watchdog),
    /**
     * A code Xen accepts without a name: SCHEDOP_shutdown truncates the reason to u8 and does not
     * range-check it (§12.1). {@link Domain#shutdownCode()} has the value.
     */
    OTHER(-1);

    private final int code;

    ShutdownReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ShutdownReason of(int code) {
        for (ShutdownReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return OTHER;
    }
}
