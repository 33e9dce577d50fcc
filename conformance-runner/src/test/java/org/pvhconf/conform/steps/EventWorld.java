package org.pvhconf.conform.steps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the event, vCPU and time scenarios remember between steps (one per scenario, through
 * picocontainer): ports by name, the last struct the guest passed, interrupt counts taken by a wait.
 * The ABI layouts used here are declared on the test side from pvh-abi.md §8, §9, §10 and §12.1,
 * independently of the reference hypervisor's xen.abi (STYLE §2).
 */
public final class EventWorld {

    /** §9.2 shared_info and §9.1 vcpu_info offsets. */
    static final int VCPU_INFO_SIZE = 64, UPCALL_PENDING = 0, UPCALL_MASK = 1, PENDING_SEL = 8, TIME = 32,
            EVTCHN_PENDING = 2048, EVTCHN_MASK = 2560, WC_VERSION = 3072, WC_SEC = 3076, WC_NSEC = 3080;
    /** §6.1: start_info.shared_info (a gpa for PVHv1). */
    static final int START_INFO_SHARED_INFO = 40;

    /** §10.1 EVTCHNOP numbers. */
    static final Map<String, Integer> EVTCHNOP = new LinkedHashMap<>();
    /** §10.1 argument structs: size and fields (name → offset, size). */
    static final Map<String, GuestStructs.Layout> STRUCTS = new LinkedHashMap<>();
    /** §8.1 VCPUOP numbers. */
    static final Map<String, Integer> VCPUOP = new LinkedHashMap<>();

    static {
        String[] ops = {"bind_interdomain", "bind_virq", "bind_pirq", "close", "send", "status", "alloc_unbound",
            "bind_ipi", "bind_vcpu", "unmask", "reset", "init_control", "expand_array", "set_priority"};
        for (int i = 0; i < ops.length; i++) {
            EVTCHNOP.put("EVTCHNOP_" + ops[i], i);
        }
        String[] vops = {"initialise", "up", "down", "is_up", "get_runstate_info", "register_runstate_memory_area",
            "set_periodic_timer", "stop_periodic_timer", "set_singleshot_timer", "stop_singleshot_timer",
            "register_vcpu_info", "send_nmi", "get_physid", "register_vcpu_time_memory_area"};
        for (int i = 0; i < vops.length; i++) {
            VCPUOP.put("VCPUOP_" + vops[i], i);
        }
        layout("evtchn_bind_interdomain", 12, "remote_dom", 0, 2, "remote_port", 4, 4, "local_port", 8, 4);
        layout("evtchn_bind_virq", 12, "virq", 0, 4, "vcpu", 4, 4, "port", 8, 4);
        layout("evtchn_bind_pirq", 12, "pirq", 0, 4, "flags", 4, 4, "port", 8, 4);
        layout("evtchn_close", 4, "port", 0, 4);
        layout("evtchn_send", 4, "port", 0, 4);
        layout("evtchn_status", 24, "dom", 0, 2, "port", 4, 4, "status", 8, 4, "vcpu", 12, 4,
                "unbound.dom", 16, 2, "interdomain.dom", 16, 2, "interdomain.port", 20, 4, "virq", 16, 4);
        layout("evtchn_alloc_unbound", 8, "dom", 0, 2, "remote_dom", 2, 2, "port", 4, 4);
        layout("evtchn_bind_ipi", 8, "vcpu", 0, 4, "port", 4, 4);
        layout("evtchn_bind_vcpu", 8, "port", 0, 4, "vcpu", 4, 4);
        layout("evtchn_unmask", 4, "port", 0, 4);
        layout("evtchn_reset", 2, "dom", 0, 2);
        layout("evtchn_init_control", 24, "control_gfn", 0, 8, "offset", 8, 4, "vcpu", 12, 4, "link_bits", 16, 1);
        layout("evtchn_expand_array", 8, "array_gfn", 0, 8);
        layout("evtchn_set_priority", 8, "port", 0, 4, "priority", 4, 4);
        // §8.1
        layout("vcpu_set_periodic_timer", 8, "period_ns", 0, 8);
        layout("vcpu_set_singleshot_timer", 16, "timeout_abs_ns", 0, 8, "flags", 8, 4);
        layout("vcpu_runstate_info", 48, "state", 0, 4, "state_entry_time", 8, 8, "time_running", 16, 8,
                "time_runnable", 24, 8, "time_blocked", 32, 8, "time_offline", 40, 8);
        layout("vcpu_register_vcpu_info", 16, "mfn", 0, 8, "offset", 8, 4, "rsvd", 12, 4);
        layout("vcpu_register_runstate_memory_area", 8, "addr", 0, 8);
        layout("vcpu_get_physid", 8, "phys_id", 0, 8);
        // §12.1
        layout("sched_poll", 24, "ports", 0, 8, "nr_ports", 8, 4, "timeout", 16, 8);
        layout("sched_remote_shutdown", 8, "domain_id", 0, 2, "reason", 4, 4);
        // §2.2
        layout("xen_hvm_get_time", 8, "now", 0, 8);
    }

    private static void layout(String name, int size, Object... triples) {
        Map<String, GuestStructs.Field> fields = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            fields.put((String) triples[i], new GuestStructs.Field((Integer) triples[i + 1], (Integer) triples[i + 2]));
        }
        STRUCTS.put(name, new GuestStructs.Layout(name, size, fields));
    }

    static GuestStructs.Layout struct(String name) {
        GuestStructs.Layout l = STRUCTS.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no layout '" + name + "'; known: " + STRUCTS.keySet());
        }
        return l;
    }

    /** The struct the evtchn op of this name takes (EVTCHNOP_bind_virq → evtchn_bind_virq). */
    static GuestStructs.Layout structOf(String evtchnop) {
        return struct("evtchn_" + evtchnop.substring("EVTCHNOP_".length()));
    }

    // ---- per scenario ----

    /** Ports the scenario named ("the IPI port", "port A"). */
    final Map<String, Long> ports = new LinkedHashMap<>();
    /** The struct of the last call, where the guest's copy lives, and on which vCPU. */
    GuestStructs.Layout lastLayout;
    long lastBufferVa;
    int lastVcpu;
    /** External interrupts counted by the last wait or spin, per vCPU. */
    final Map<Integer, Long> interruptsTaken = new LinkedHashMap<>();
    /** Results of the last pvclock read and get_time, for time scenarios. */
    final Map<String, Long> times = new LinkedHashMap<>();
    /** A SCHEDOP_poll handed to a vCPU whose results are collected by a later step. */
    org.pvhconf.conform.harness.Agent.Pending pendingPoll;
    int pendingPollVcpu = -1;
    org.pvhconf.conform.harness.Agent pollAgent;

    static long field(byte[] struct, GuestStructs.Field f) {
        ByteBuffer b = ByteBuffer.wrap(struct).order(ByteOrder.LITTLE_ENDIAN);
        return switch (f.size()) {
            case 1 -> b.get(f.offset()) & 0xFFL;
            case 2 -> b.getShort(f.offset()) & 0xFFFFL;
            case 4 -> b.getInt(f.offset()) & 0xFFFFFFFFL;
            default -> b.getLong(f.offset());
        };
    }
}
