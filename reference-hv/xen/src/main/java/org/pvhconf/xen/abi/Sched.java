package org.pvhconf.xen.abi;

/** {@code public/sched.h}: SCHEDOP numbers, shutdown reasons and argument layouts (§12.1). */
public final class Sched {
    private Sched() {
    }

    public static final int SCHEDOP_yield = 0;
    public static final int SCHEDOP_block = 1;
    public static final int SCHEDOP_shutdown = 2;
    public static final int SCHEDOP_poll = 3;
    public static final int SCHEDOP_remote_shutdown = 4;
    public static final int SCHEDOP_shutdown_code = 5;
    public static final int SCHEDOP_watchdog = 6;

    public static final int SHUTDOWN_poweroff = 0;
    public static final int SHUTDOWN_reboot = 1;
    public static final int SHUTDOWN_suspend = 2;
    public static final int SHUTDOWN_crash = 3;
    public static final int SHUTDOWN_watchdog = 4;

    /** {@code sched_shutdown} (4): reason u32. */
    public static final int SHUTDOWN_SIZE = 4;
    /** {@code sched_poll} (24): ports handle @0, nr_ports u32 @8, timeout u64 @16. */
    public static final int POLL_SIZE = 24;
    public static final int POLL_ports = 0, POLL_nr_ports = 8, POLL_timeout = 16;
    /** do_poll refuses more ports than this. */
    public static final int POLL_MAX_PORTS = 128;
    /** {@code sched_remote_shutdown} (8): domain_id u16 @0, reason u32 @4. */
    public static final int REMOTE_SHUTDOWN_SIZE = 8;
    /** {@code sched_watchdog} (8): id u32 @0, timeout u32 @4 (seconds). */
    public static final int WATCHDOG_SIZE = 8;
    /** {@code NR_DOMAIN_WATCHDOG_TIMERS}. */
    public static final int NR_DOMAIN_WATCHDOG_TIMERS = 2;
}
