package org.pvhconf.xen.hypercall;

import org.pvhconf.xen.abi.Errno;

/** do_xsm_op with the dummy XSM module: -ENOSYS whatever the argument (§2.2). */
public final class XsmOp implements Hypercall {
    @Override
    public long call(HypercallContext ctx, long[] a) {
        return -Errno.ENOSYS;
    }
}
