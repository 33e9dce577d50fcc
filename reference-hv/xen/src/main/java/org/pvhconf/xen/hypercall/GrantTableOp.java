package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.GrantTable.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_grant_table_op (§12.3): {@code (cmd, uop, count)}. Implemented: query_size, set_version,
 * get_version. map/unmap/setup_table/copy/swap answer -ENOSYS for now (named in the issue note).
 */
public final class GrantTableOp implements Hypercall {
    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        long uop = a[1];
        int count = (int) a[2];
        if (count < 0) {
            return -Errno.EINVAL;
        }
        switch (cmd) {
            case GNTTABOP_query_size:
                return count != 1 ? -Errno.EINVAL : querySize(ctx, uop);
            case GNTTABOP_set_version: {
                if (count != 1) {
                    return -Errno.EINVAL;
                }
                byte[] b = ctx.copyFrom(uop, SET_VERSION_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                long v = LittleEndian.u32(b, 0);
                if (v != 1 && v != 2) {
                    return -Errno.EINVAL;
                }
                ctx.domain().setGrantVersion((int) v);
                return ctx.copyTo(uop, b) ? 0 : -Errno.EFAULT;
            }
            case GNTTABOP_get_version: {
                if (count != 1) {
                    return -Errno.EINVAL;
                }
                byte[] b = ctx.copyFrom(uop, GET_VERSION_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                Domain d = ctx.domainByAnyId(LittleEndian.u16(b, 0));
                if (d == null) {
                    return -Errno.ESRCH;
                }
                if (!ctx.xsmTarget(d)) {
                    return -Errno.EPERM;
                }
                LittleEndian.put32(b, 4, d.grantVersion());
                return ctx.copyTo(uop, b) ? 0 : -Errno.EFAULT;
            }
            default:
                return -Errno.ENOSYS;
        }
    }

    /** gnttab_query_size: errors go into status; the call itself returns 0 unless a copy faults. */
    private static long querySize(HypercallContext ctx, long uop) {
        byte[] q = ctx.copyFrom(uop, QUERY_SIZE_SIZE);
        if (q == null) {
            return -Errno.EFAULT;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(q, QUERY_SIZE_dom));
        int status;
        if (d == null) {
            status = GNTST_bad_domain;
        } else if (!ctx.xsmTarget(d)) {
            status = GNTST_permission_denied;
        } else {
            LittleEndian.put32(q, QUERY_SIZE_nr_frames, d.grantFrameMfns().size());
            LittleEndian.put32(q, QUERY_SIZE_max_nr_frames, MAX_NR_GRANT_FRAMES);
            status = GNTST_okay;
        }
        LittleEndian.put16(q, QUERY_SIZE_status, status);
        return ctx.copyTo(uop, q) ? 0 : -Errno.EFAULT;
    }
}
