package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Sched.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.SharedInfo;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.time.VirtualClock;

/** do_sched_op (§12.1). */
public final class SchedOp implements Hypercall {
    /** One second of system time, for watchdog timeouts. */
    private static final long SECONDS = 1_000_000_000L;

    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        long arg = a[1];
        switch (cmd) {
            case SCHEDOP_yield:
                ctx.current().requestYield();
                return 0;
            case SCHEDOP_block:
                block(ctx.current());
                return 0;
            case SCHEDOP_shutdown: {
                byte[] b = ctx.copyFrom(arg, SHUTDOWN_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                ctx.domain().shutdown((int) LittleEndian.u32(b, 0) & 0xFF); // u8, not range-checked
                return 0;
            }
            case SCHEDOP_poll:
                return poll(ctx, arg);
            case SCHEDOP_remote_shutdown: {
                byte[] b = ctx.copyFrom(arg, REMOTE_SHUTDOWN_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                Domain d = ctx.domainById(LittleEndian.u16(b, 0));
                if (d == null) {
                    return -Errno.ESRCH;
                }
                if (!ctx.xsmPriv()) {
                    return -Errno.EPERM; // XSM_DM_PRIV
                }
                d.shutdown((int) LittleEndian.u32(b, 4) & 0xFF);
                return 0;
            }
            case SCHEDOP_shutdown_code: {
                byte[] b = ctx.copyFrom(arg, SHUTDOWN_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                ctx.domain().recordShutdownCode((int) LittleEndian.u32(b, 0));
                return 0;
            }
            case SCHEDOP_watchdog: {
                byte[] b = ctx.copyFrom(arg, WATCHDOG_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                return watchdog(ctx, LittleEndian.u32(b, 0), LittleEndian.u32(b, 4));
            }
            default:
                return -Errno.ENOSYS;
        }
    }

    /** do_block: evtchn_upcall_mask = 0, then sleep unless an event is deliverable. */
    public static void block(Vcpu v) {
        if (v.hasVcpuInfo()) {
            v.vcpuInfoPage()[v.vcpuInfoOffset() + SharedInfo.evtchn_upcall_mask] = 0;
        }
        if (!eventDeliverable(v)) {
            v.block();
        } else {
            v.requestYield();
        }
    }

    /**
     * local_events_need_delivery for an HVM container: the callback vector is configured, upcall is
     * pending, and IF/shadow do not block it (§12.1, §3.3).
     */
    static boolean eventDeliverable(Vcpu v) {
        return v.domain().callbackVector() >= 0 && v.upcallPending() && v.cpu().interruptWindowOpen();
    }

    /** do_poll: the order of its checks is the ABI (§12.1). */
    private static long poll(HypercallContext ctx, long arg) {
        byte[] sp = ctx.copyFrom(arg, POLL_SIZE);
        if (sp == null) {
            return -Errno.EFAULT;
        }
        long ports = LittleEndian.u64(sp, POLL_ports);
        long nrPorts = LittleEndian.u32(sp, POLL_nr_ports);
        long timeout = LittleEndian.u64(sp, POLL_timeout);
        if (nrPorts > POLL_MAX_PORTS) {
            return -Errno.EINVAL;
        }
        Vcpu v = ctx.current();
        if (eventDeliverable(v)) {
            return 0;
        }
        Domain d = ctx.domain();
        long port = 0;
        for (int i = 0; i < nrPorts; i++) {
            byte[] p = ctx.copyFrom(ports + 4L * i, 4);
            if (p == null) {
                return -Errno.EFAULT;
            }
            port = LittleEndian.u32(p, 0);
            if (port >= d.evtchn().maxPorts()) {
                return -Errno.EINVAL;
            }
            if (d.evtchn().pending((int) port)) {
                return 0;
            }
        }
        VirtualClock.Timer t = timeout != 0 ? ctx.clock().schedule(timeout, v::kick) : null;
        v.blockPolling(nrPorts == 1 ? (int) port : 0, t);
        return 0;
    }

    /** domain_watchdog: ids 1..NR_DOMAIN_WATCHDOG_TIMERS; expiry shuts the domain down (watchdog). */
    private static long watchdog(HypercallContext ctx, long id, long timeout) {
        Domain d = ctx.domain();
        Object[] slots = d.watchdogs();
        if (id > NR_DOMAIN_WATCHDOG_TIMERS) {
            return -Errno.EINVAL;
        }
        if (id == 0) {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == null) {
                    slots[i] = arm(ctx, d, timeout);
                    return i + 1;
                }
            }
            return -Errno.ENOSPC;
        }
        int i = (int) id - 1;
        if (slots[i] == null) {
            return -Errno.EINVAL;
        }
        ((VirtualClock.Timer) slots[i]).cancel();
        slots[i] = timeout == 0 ? null : arm(ctx, d, timeout);
        return 0;
    }

    private static VirtualClock.Timer arm(HypercallContext ctx, Domain d, long timeoutSeconds) {
        return ctx.clock().schedule(ctx.clock().now() + timeoutSeconds * SECONDS,
                () -> d.shutdown(SHUTDOWN_watchdog));
    }
}
