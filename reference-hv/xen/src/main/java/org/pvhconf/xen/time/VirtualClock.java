package org.pvhconf.xen.time;

import java.util.Map;
import java.util.TreeMap;

/**
 * Xen system time, virtual and deterministic: it advances only by guest instructions retired
 * ({@link #NS_PER_INSTRUCTION} each) or when the scheduler skips idle time to the next timer. Timers
 * fire in (deadline, creation) order.
 */
public final class VirtualClock {
    /** One retired instruction is one nanosecond of system time (a 1 GHz, IPC-1 machine). */
    public static final long NS_PER_INSTRUCTION = 1;

    private long now;
    private long seq;
    private final TreeMap<long[], Timer> timers = new TreeMap<>((a, b) ->
            a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));

    /** A one-shot timer; {@link #cancel()} is idempotent. */
    public final class Timer {
        private final long[] key;
        private final Runnable action;
        private boolean armed = true;

        private Timer(long[] key, Runnable action) {
            this.key = key;
            this.action = action;
        }

        public long deadline() {
            return key[0];
        }

        public boolean armed() {
            return armed;
        }

        public void cancel() {
            if (armed) {
                armed = false;
                timers.remove(key);
            }
        }
    }

    public long now() {
        return now;
    }

    public void advanceInstructions(long retired) {
        now += retired * NS_PER_INSTRUCTION;
    }

    /** Moves time forward to {@code t} (never backwards). */
    public void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }

    public Timer schedule(long deadlineNs, Runnable action) {
        long[] key = {deadlineNs, seq++};
        Timer t = new Timer(key, action);
        timers.put(key, t);
        return t;
    }

    /** The earliest armed deadline, or -1. */
    public long nextDeadline() {
        return timers.isEmpty() ? -1 : timers.firstKey()[0];
    }

    /** Runs every timer whose deadline is at or before now, in order. */
    public void fireDue() {
        while (!timers.isEmpty() && timers.firstKey()[0] <= now) {
            Map.Entry<long[], Timer> e = timers.pollFirstEntry();
            e.getValue().armed = false;
            e.getValue().action.run();
        }
    }
}
