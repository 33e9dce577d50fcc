package org.pvhconf.xen.abi;

/** {@code public/event_channel.h @ RELEASE-4.4.0}: EVTCHNOP numbers and structs (§10.1). */
public final class EventChannel {
    private EventChannel() {
    }

    public static final int EVTCHNOP_bind_interdomain = 0;
    public static final int EVTCHNOP_bind_virq = 1;
    public static final int EVTCHNOP_bind_pirq = 2;
    public static final int EVTCHNOP_close = 3;
    public static final int EVTCHNOP_send = 4;
    public static final int EVTCHNOP_status = 5;
    public static final int EVTCHNOP_alloc_unbound = 6;
    public static final int EVTCHNOP_bind_ipi = 7;
    public static final int EVTCHNOP_bind_vcpu = 8;
    public static final int EVTCHNOP_unmask = 9;
    public static final int EVTCHNOP_reset = 10;
    public static final int EVTCHNOP_init_control = 11;
    public static final int EVTCHNOP_expand_array = 12;
    public static final int EVTCHNOP_set_priority = 13;

    /** Argument sizes, in EVTCHNOP order. */
    public static final int BIND_INTERDOMAIN_SIZE = 12, BIND_VIRQ_SIZE = 12, BIND_PIRQ_SIZE = 12, CLOSE_SIZE = 4,
            SEND_SIZE = 4, STATUS_SIZE = 24, ALLOC_UNBOUND_SIZE = 8, BIND_IPI_SIZE = 8, BIND_VCPU_SIZE = 8,
            UNMASK_SIZE = 4, RESET_SIZE = 2, INIT_CONTROL_SIZE = 24, EXPAND_ARRAY_SIZE = 8, SET_PRIORITY_SIZE = 8;

    /** {@code evtchn_status.status} values. */
    public static final int EVTCHNSTAT_closed = 0, EVTCHNSTAT_unbound = 1, EVTCHNSTAT_interdomain = 2,
            EVTCHNSTAT_pirq = 3, EVTCHNSTAT_virq = 4, EVTCHNSTAT_ipi = 5;

    /** 2-level limit for a 64-bit guest: 64 × 64 ports (§10.1). */
    public static final int EVTCHN_2L_NR_CHANNELS = 4096;
}
