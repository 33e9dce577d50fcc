package org.pvhconf.conform.steps;

import java.util.HashMap;
import java.util.Map;

/**
 * The ABI names the features use, declared here on the test side from pvh-abi.md, independently of
 * the reference hypervisor's own {@code xen.abi} classes: a wrong constant on one side cannot fool
 * both (STYLE §2). A feature that writes {@code NAME (number)} is checked against this table, so a typo
 * fails loudly instead of testing the wrong thing.
 */
final class AbiNames {
    private AbiNames() {
    }

    /** §1.1: hypercall names by number; "undefined" for numbers 4.4 leaves unnamed. */
    static final String[] HYPERCALLS = new String[64];

    static {
        String[] named = {"set_trap_table", "mmu_update", "set_gdt", "stack_switch", "set_callbacks",
            "fpu_taskswitch", "sched_op_compat", "platform_op", "set_debugreg", "get_debugreg",
            "update_descriptor", "undefined", "memory_op", "multicall", "update_va_mapping", "set_timer_op",
            "event_channel_op_compat", "xen_version", "console_io", "physdev_op_compat", "grant_table_op",
            "vm_assist", "update_va_mapping_otherdomain", "iret", "vcpu_op", "set_segment_base", "mmuext_op",
            "xsm_op", "nmi_op", "sched_op", "callback_op", "xenoprof_op", "event_channel_op", "physdev_op",
            "hvm_op", "sysctl", "domctl", "kexec_op", "tmem_op", "xc_reserved_op"};
        System.arraycopy(named, 0, HYPERCALLS, 0, named.length);
        for (int i = 40; i < 64; i++) {
            HYPERCALLS[i] = i >= 48 && i < 56 ? "arch_" + (i - 48) : "undefined";
        }
    }

    /** Sub-op and other named constants used in the features (§4.3, §11.1, §12, §3, §8.1, §10.1, §2.2). */
    static final Map<String, Long> CONSTANTS = new HashMap<>();

    /** §2.4 errno values. */
    static final Map<String, Long> ERRNO = new HashMap<>();

    /** §12.1 shutdown reasons. */
    static final Map<String, Long> SHUTDOWN = new HashMap<>();

    static void c(String name, long value) {
        CONSTANTS.put(name, value);
    }

    static {
        c("XENVER_version", 0);
        c("XENVER_extraversion", 1);
        c("XENVER_compile_info", 2);
        c("XENVER_capabilities", 3);
        c("XENVER_changeset", 4);
        c("XENVER_platform_parameters", 5);
        c("XENVER_get_features", 6);
        c("XENVER_pagesize", 7);
        c("XENVER_guest_handle", 8);
        c("XENVER_commandline", 9);
        c("CONSOLEIO_write", 0);
        c("CONSOLEIO_read", 1);
        c("XENMEM_current_reservation", 3);
        c("XENMEM_maximum_reservation", 4);
        c("XENMEM_memory_map", 9);
        c("XENMEM_maximum_gpfn", 14);
        c("GNTTABOP_query_size", 6);
        c("VCPUOP_is_up", 3);
        c("SCHEDOP_yield", 0);
        c("SCHEDOP_block", 1);
        c("SCHEDOP_shutdown", 2);
        c("SCHEDOP_poll", 3);
        c("SCHEDOP_shutdown_code", 5);
        c("EVTCHNOP_send", 4);
        c("PHYSDEVOP_eoi", 12);
        c("HVMOP_set_param", 0);
        c("HVMOP_get_param", 1);
        c("HVMOP_flush_tlbs", 5);
        c("HVMOP_pagetable_dying", 9);
        c("HVMOP_get_time", 10);
        c("HVMOP_get_mem_type", 15);
        c("DOMID_SELF", 0x7FF0);
        MemoryAbi.constants(); // §10, §11, §12.3, §12.4, §2.2

        long[] errno = {1, 2, 3, 13, 14, 17, 22, 38, 62};
        String[] names = {"EPERM", "ENOENT", "ESRCH", "EACCES", "EFAULT", "EEXIST", "EINVAL", "ENOSYS", "ETIME"};
        for (int i = 0; i < errno.length; i++) {
            ERRNO.put(names[i], errno[i]);
        }
        String[] reasons = {"poweroff", "reboot", "suspend", "crash", "watchdog"};
        for (int i = 0; i < reasons.length; i++) {
            SHUTDOWN.put(reasons[i], (long) i);
        }
    }

    /** Checks that {@code name} is known in {@code table} with exactly {@code value}; returns the value. */
    static long check(Map<String, Long> table, String kind, String name, long value) {
        Long known = table.get(name);
        if (known == null) {
            throw new IllegalArgumentException("unknown " + kind + " name '" + name + "' in the feature");
        }
        if (known != value) {
            throw new IllegalArgumentException("the feature says " + name + " is " + value + ", but pvh-abi.md says " + known);
        }
        return value;
    }
}
