package org.pvhconf.xen.hypercall;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Platform;

/**
 * do_domctl for a domU (§2.2): -EFAULT for an unreadable argument, otherwise -EPERM (XSM). The
 * interface_version (-EACCES) and target-domain (-ESRCH) checks Xen makes in between are not made:
 * pvh-abi.md gives neither XEN_DOMCTL_INTERFACE_VERSION nor the per-command lookup rules.
 */
public final class Domctl implements Hypercall {
    @Override
    public long call(HypercallContext ctx, long[] a) {
        if (ctx.copyFrom(a[0], Platform.XEN_DOMCTL_SIZE) == null) {
            return -Errno.EFAULT;
        }
        return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM;
    }
}
