package org.pvhconf.xen.hypercall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.pvhconf.xen.testutil.Guest;

/** Helpers shared by the handler tests: a fresh PVH guest, and little-endian buffers. */
abstract class HypercallTestBase {
    static final long ENOSYS = -38, EFAULT = -14, EINVAL = -22, EPERM = -1, ESRCH = -3, ENOENT = -2,
            EEXIST = -17, EACCES = -13, ENOSPC = -28;
    static final int DOMID_SELF = 0x7FF0;

    final Guest g = new Guest();

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    ByteBuffer readLe(long va, int n) {
        return ByteBuffer.wrap(g.read(va, n)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
