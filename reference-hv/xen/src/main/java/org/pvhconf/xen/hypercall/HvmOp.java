package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.HvmOp.*;
import static org.pvhconf.xen.abi.HvmParams.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_hvm_op as a PVHv1 domain sees it (§2.2, §3): only HVM_PARAM_CALLBACK_IRQ is accessible, get_time
 * and xentrace work, everything else is -EINVAL, -EPERM, -ESRCH or -ENOSYS in Xen's order.
 */
public final class HvmOp implements Hypercall {

    @Override
    public long call(HypercallContext ctx, long[] a) {
        long op = a[0];
        long arg = a[1];
        switch ((int) op == op ? (int) op : -1) {
            case HVMOP_set_param:
            case HVMOP_get_param:
                return param(ctx, (int) op == HVMOP_set_param, arg);
            case HVMOP_set_pci_intx_level: case HVMOP_set_isa_irq_level: case HVMOP_set_pci_link_route:
            case HVMOP_inject_msi: case HVMOP_track_dirty_vram: case HVMOP_modified_memory:
            case HVMOP_set_mem_type: case HVMOP_set_mem_access: case HVMOP_get_mem_access:
            case HVMOP_inject_trap:
                return remoteDomainOp(ctx, arg);
            case HVMOP_flush_tlbs:
                return arg != 0 ? -Errno.ENOSYS : -Errno.EINVAL; // the domain is not HVM
            case HVMOP_pagetable_dying:
                return needsHvm(ctx, arg, PAGETABLE_DYING_SIZE);
            case HVMOP_get_time: {
                byte[] t = new byte[GET_TIME_SIZE];
                LittleEndian.put64(t, 0, ctx.clock().now());
                return ctx.copyTo(arg, t) ? 0 : -Errno.EFAULT;
            }
            case HVMOP_xentrace: {
                byte[] tr = ctx.copyFrom(arg, XENTRACE_SIZE);
                if (tr == null) {
                    return -Errno.EFAULT;
                }
                int event = LittleEndian.u16(tr, XENTRACE_event);
                int extra = LittleEndian.u16(tr, XENTRACE_extra_bytes);
                if (extra > XENTRACE_EXTRA_MAX_BYTES || (event & ~((1 << TRC_SUBCLS_SHIFT) - 1)) != 0) {
                    return -Errno.EINVAL;
                }
                return 0; // no trace buffers
            }
            case HVMOP_get_mem_type:
                return needsHvm(ctx, arg, GET_MEM_TYPE_SIZE);
            default:
                return -Errno.ENOSYS;
        }
    }

    /** §2.2: copy fault, index ≥ 32, unknown domid, not an HVM container, PVH index ≠ 0, XSM — in that order. */
    private static long param(HypercallContext ctx, boolean set, long arg) {
        byte[] p = ctx.copyFrom(arg, HVM_PARAM_SIZE);
        if (p == null) {
            return -Errno.EFAULT;
        }
        long index = LittleEndian.u32(p, HVM_PARAM_index);
        if (index >= HVM_NR_PARAMS) {
            return -Errno.EINVAL;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(p, HVM_PARAM_domid));
        if (d == null) {
            return -Errno.ESRCH;
        }
        // Every domain here is a PVH HVM container, so the "not a container" check always passes.
        if (index != HVM_PARAM_CALLBACK_IRQ) {
            return -Errno.EINVAL;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        if (set) {
            long value = LittleEndian.u64(p, HVM_PARAM_value);
            d.setHvmParam((int) index, value);
            setCallbackVia(d, value);
            return 0;
        }
        LittleEndian.put64(p, HVM_PARAM_value, d.hvmParam((int) index));
        return ctx.copyTo(arg, p) ? 0 : -Errno.EFAULT;
    }

    /**
     * hvm_set_callback_via (§3.2): type 2 is a vector, value[7:0], not range-checked. GSI and INTx have
     * no emulated IO-APIC/PIC behind them under PVH, so they deliver nothing here; ≥3 means none.
     */
    private static void setCallbackVia(Domain d, long value) {
        int type = (int) (value >>> HVM_PARAM_CALLBACK_TYPE_SHIFT) & 0xFF;
        d.setCallbackVector(type == HVM_PARAM_CALLBACK_TYPE_VECTOR ? (int) (value & 0xFF) : -1);
    }

    /** Ops that look up a remote domain: own domid -EPERM, DOMID_SELF/unknown -ESRCH, PVH -EINVAL. */
    private static long remoteDomainOp(HypercallContext ctx, long arg) {
        byte[] h = ctx.copyFrom(arg, DOMID_HEADER_SIZE);
        if (h == null) {
            return -Errno.EFAULT;
        }
        int domid = LittleEndian.u16(h, 0);
        if (domid == ctx.domain().domid()) {
            return -Errno.EPERM;
        }
        Domain d = domid == Xen.DOMID_SELF ? null : ctx.domainById(domid);
        if (d == null) {
            return -Errno.ESRCH;
        }
        return -Errno.EINVAL; // every target here is PVH
    }

    /** pagetable_dying / get_mem_type: copy in, look the domain up, then -EINVAL (not HVM). */
    private static long needsHvm(HypercallContext ctx, long arg, int size) {
        byte[] b = ctx.copyFrom(arg, size);
        if (b == null) {
            return -Errno.EFAULT;
        }
        if (ctx.domainByAnyId(LittleEndian.u16(b, 0)) == null) {
            return -Errno.ESRCH;
        }
        return -Errno.EINVAL;
    }
}
