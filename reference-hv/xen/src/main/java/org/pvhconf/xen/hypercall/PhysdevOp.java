package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Physdev.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_physdev_op. Only what §2.2 lets a PVH domU through the hvm_physdev_op filter reaches it (eoi,
 * irq_status_query, map_pirq, unmap_pirq, get_free_pirq); set_iopl and set_iobitmap are -ENOSYS for any
 * PVH vCPU by definition. This reference binds no PIRQs to a domU, so eoi and irq_status_query take
 * the paths Xen takes for a PIRQ that is not bound. A PVHv1 domU is not an HVM domain, so map_pirq and
 * unmap_pirq take the non-HVM path: look the domain up (-ESRCH), then XSM_DM_PRIV (-EPERM).
 */
public final class PhysdevOp implements Hypercall {
    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        long arg = a[1];
        switch (cmd) {
            case PHYSDEVOP_eoi:
                return eoi(ctx, arg);
            case PHYSDEVOP_irq_status_query:
                return irqStatusQuery(ctx, arg);
            case PHYSDEVOP_set_iopl:
            case PHYSDEVOP_set_iobitmap:
                return -Errno.ENOSYS; // any PVH vCPU (§2.2)
            case PHYSDEVOP_map_pirq:
                return mapOrUnmap(ctx, arg, PHYSDEV_MAP_PIRQ_SIZE);
            case PHYSDEVOP_unmap_pirq:
                return mapOrUnmap(ctx, arg, PHYSDEV_UNMAP_PIRQ_SIZE);
            case PHYSDEVOP_get_free_pirq:
                return getFreePirq(ctx, arg);
            default:
                return -Errno.ENOSYS; // the filter refuses everything else before it gets here
        }
    }

    /** physdev_map_pirq / physdev_unmap_pirq for a non-HVM caller: -EFAULT, -ESRCH, then XSM_DM_PRIV -EPERM. */
    private static long mapOrUnmap(HypercallContext ctx, long arg, int size) {
        byte[] op = ctx.copyFrom(arg, size);
        if (op == null) {
            return -Errno.EFAULT;
        }
        if (ctx.domainByAnyId(LittleEndian.u16(op, 0)) == null) {
            return -Errno.ESRCH;
        }
        return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM;
    }

    /**
     * get_free_pirq: the highest free PIRQ at or above the GSIs (none are free below them for a domU here),
     * marked allocated; -ENOSPC when none is left. The type is not checked.
     */
    private static long getFreePirq(HypercallContext ctx, long arg) {
        byte[] op = ctx.copyFrom(arg, PHYSDEV_GET_FREE_PIRQ_SIZE);
        if (op == null) {
            return -Errno.EFAULT;
        }
        java.util.BitSet used = ctx.domain().allocatedPirqs();
        for (int pirq = EventChannelOp.PIRQS_DOMU - 1; pirq >= NR_IRQS_GSI; pirq--) {
            if (!used.get(pirq)) {
                used.set(pirq);
                LittleEndian.put32(op, 4, pirq);
                return ctx.copyTo(arg, op) ? 0 : -Errno.EFAULT;
            }
        }
        return -Errno.ENOSPC;
    }

    /** nr_irqs_gsi of this host (16 legacy GSIs), the reference's choice; PIRQs below it are GSIs. */
    static final int NR_IRQS_GSI = 16;

    /** struct physdev_eoi {u32 irq}: -EFAULT, then -EINVAL for an out-of-range or unbound PIRQ. */
    private static long eoi(HypercallContext ctx, long arg) {
        byte[] op = ctx.copyFrom(arg, PHYSDEV_EOI_SIZE);
        if (op == null) {
            return -Errno.EFAULT;
        }
        return -Errno.EINVAL; // irq >= nr_pirqs, or no PIRQ bound at irq: nothing to EOI
    }

    /** struct physdev_irq_status_query {u32 irq, out u32 flags}: an unbound PIRQ in range reports no flags. */
    private static long irqStatusQuery(HypercallContext ctx, long arg) {
        byte[] op = ctx.copyFrom(arg, PHYSDEV_IRQ_STATUS_QUERY_SIZE);
        if (op == null) {
            return -Errno.EFAULT;
        }
        long irq = LittleEndian.u32(op, 0); // Xen reads it as int: a value with bit 31 set is negative
        if ((int) irq < 0 || irq >= EventChannelOp.PIRQS_DOMU) {
            return -Errno.EINVAL;
        }
        LittleEndian.put32(op, 4, 0);
        return ctx.copyTo(arg, op) ? 0 : -Errno.EFAULT;
    }
}
