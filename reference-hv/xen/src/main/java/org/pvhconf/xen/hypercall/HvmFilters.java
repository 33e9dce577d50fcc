package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.GrantTable.*;
import static org.pvhconf.xen.abi.Physdev.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Memory;
import org.pvhconf.xen.abi.Vcpu;

/**
 * The wrappers of xen/arch/x86/hvm (§2.1, §2.2): a short switch that answers -ENOSYS for what an HVM
 * container may not use, then the shared handler. PVH uses the grant-table and physdev filters; the
 * memory and vcpu filters belong to plain HVM only.
 */
public final class HvmFilters {
    private HvmFilters() {
    }

    /** hvm_grant_table_op: dump_table, transfer, unmap_and_replace, get_status_frames are -ENOSYS. */
    public static Hypercall grantTableOp(Hypercall doGrantTableOp) {
        return (ctx, a) -> {
            switch ((int) a[0]) {
                case GNTTABOP_query_size: case GNTTABOP_setup_table: case GNTTABOP_set_version:
                case GNTTABOP_get_version: case GNTTABOP_copy: case GNTTABOP_map_grant_ref:
                case GNTTABOP_unmap_grant_ref: case GNTTABOP_swap_grant_ref:
                    return doGrantTableOp.call(ctx, a);
                default:
                    return -Errno.ENOSYS;
            }
        };
    }

    /** hvm_physdev_op: only eoi, irq_status_query, map/unmap_pirq, get_free_pirq (no PVH hardware domain). */
    public static Hypercall physdevOp(Hypercall doPhysdevOp) {
        return (ctx, a) -> {
            switch ((int) a[0]) {
                case PHYSDEVOP_map_pirq: case PHYSDEVOP_unmap_pirq: case PHYSDEVOP_eoi:
                case PHYSDEVOP_irq_status_query: case PHYSDEVOP_get_free_pirq:
                    return doPhysdevOp.call(ctx, a);
                default:
                    return ctx.domain().isPrivileged() ? doPhysdevOp.call(ctx, a) : -Errno.ENOSYS;
            }
        };
    }

    /** hvm_memory_op (plain HVM): memory_map, machine_memory_map, machphys_mapping are -ENOSYS. */
    public static Hypercall memoryOp(Hypercall doMemoryOp) {
        return (ctx, a) -> {
            switch ((int) (a[0] & Memory.MEMOP_CMD_MASK)) {
                case Memory.XENMEM_memory_map: case Memory.XENMEM_machine_memory_map:
                case Memory.XENMEM_machphys_mapping:
                    return -Errno.ENOSYS;
                default:
                    return doMemoryOp.call(ctx, a);
            }
        };
    }

    /** hvm_vcpu_op (plain HVM): only the timer, runstate and vcpu_info registration ops pass. */
    public static Hypercall vcpuOp(Hypercall doVcpuOp) {
        return (ctx, a) -> {
            switch ((int) a[0]) {
                case Vcpu.VCPUOP_register_runstate_memory_area: case Vcpu.VCPUOP_get_runstate_info:
                case Vcpu.VCPUOP_set_periodic_timer: case Vcpu.VCPUOP_stop_periodic_timer:
                case Vcpu.VCPUOP_set_singleshot_timer: case Vcpu.VCPUOP_stop_singleshot_timer:
                case Vcpu.VCPUOP_register_vcpu_info: case Vcpu.VCPUOP_register_vcpu_time_memory_area:
                    return doVcpuOp.call(ctx, a);
                default:
                    return -Errno.ENOSYS;
            }
        };
    }
}
