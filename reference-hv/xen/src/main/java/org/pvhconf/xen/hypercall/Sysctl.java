package org.pvhconf.xen.hypercall;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Platform;

/**
 * do_sysctl for a domU (§2.2): an unreadable argument is -EFAULT, then XSM_PRIV refuses with -EPERM.
 * The interface_version check (-EACCES) that sits between them in Xen is not made: pvh-abi.md does not
 * give XEN_SYSCTL_INTERFACE_VERSION.
 */
public final class Sysctl implements Hypercall {
    @Override
    public long call(HypercallContext ctx, long[] a) {
        if (ctx.copyFrom(a[0], Platform.XEN_SYSCTL_SIZE) == null) {
            return -Errno.EFAULT;
        }
        return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM;
    }
}
