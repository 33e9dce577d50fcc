package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Physdev.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_physdev_op. Only what §2.2 lets a PVH domU through the hvm_physdev_op filter reaches it (eoi,
 * irq_status_query, map_pirq, unmap_pirq, get_free_pirq); set_iopl and set_iobitmap are -ENOSYS for any
 * PVH vCPU by definition. This reference binds no PIRQs to a domU yet, so eoi and irq_status_query take
 * the paths Xen takes for a PIRQ that is not bound.
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
            default:
                // map_pirq, unmap_pirq, get_free_pirq: not yet implemented here (PIRQs come with the
                // event-channel work); every other sub-op is refused by the filter before it gets here.
                return -Errno.ENOSYS;
        }
    }

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
