package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Platform.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.mm.LittleEndian;

/** do_platform_op (§2.2): copy fault -EFAULT, wrong interface_version -EACCES, then XSM_PRIV -EPERM. */
public final class PlatformOp implements Hypercall {
    @Override
    public long call(HypercallContext ctx, long[] a) {
        byte[] op = ctx.copyFrom(a[0], XEN_PLATFORM_OP_SIZE);
        if (op == null) {
            return -Errno.EFAULT;
        }
        if (LittleEndian.u32(op, PLATFORM_OP_interface_version) != XENPF_INTERFACE_VERSION) {
            return -Errno.EACCES;
        }
        return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM;
    }
}
