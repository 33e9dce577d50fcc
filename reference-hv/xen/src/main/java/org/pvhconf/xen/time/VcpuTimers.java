package org.pvhconf.xen.time;

import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Vcpu;

/**
 * The per-vCPU singleshot and periodic timers of §8.1. Both deliver VIRQ_TIMER to their vCPU (send_timer_event);
 * a deadline already in the past fires at the next point the hypervisor looks at timers, i.e. at once.
 * PVH has no default periodic tick (§7.1): nothing is armed until the guest asks.
 */
public final class VcpuTimers {
    private VcpuTimers() {
    }

    /** set_timer(&v->singleshot_timer, deadline). */
    public static void setSingleshot(Vcpu v, VirtualClock clock, long deadline) {
        v.setSingleshot(clock.schedule(deadline, () -> fire(v)));
    }

    public static void stopSingleshot(Vcpu v) {
        v.setSingleshot(null);
    }

    /** VIRQ_TIMER every {@code period} ns, the first one a period from now; 0 stops it. */
    public static void setPeriodic(Vcpu v, VirtualClock clock, long period) {
        if (period == 0) {
            v.setPeriodic(0, null);
            return;
        }
        armPeriodic(v, clock, clock.now() + period, period);
    }

    private static void armPeriodic(Vcpu v, VirtualClock clock, long deadline, long period) {
        v.setPeriodic(period, clock.schedule(deadline, () -> {
            fire(v);
            if (v.periodicPeriod() == period) {
                // The next tick is a period after this deadline; ticks missed while idle are not replayed.
                armPeriodic(v, clock, Math.max(deadline + period, clock.now()), period);
            }
        }));
    }

    private static void fire(Vcpu v) {
        if (!v.domain().isShutdown()) {
            v.domain().evtchn().sendVirq(v.id(), Xen.VIRQ_TIMER);
        }
    }
}
