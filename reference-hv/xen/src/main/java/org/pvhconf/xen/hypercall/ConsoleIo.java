package org.pvhconf.xen.hypercall;

import org.pvhconf.xen.abi.Console;
import org.pvhconf.xen.abi.Errno;

/**
 * do_console_io (§12.2). This reference behaves as a debug ({@code verbose}) build of 4.4: the dummy
 * XSM lets any domain use CONSOLEIO_write, so a domU can print (§2.2); every other command of an
 * unprivileged domain is refused with -EPERM before the switch, as XSM_PRIV does. A domU's bytes are
 * filtered as 4.4 does: printable ASCII, tab and newline are kept, everything else is stripped.
 */
public final class ConsoleIo implements Hypercall {
    /** guest_console_write copies in chunks of this many bytes. */
    private static final int CHUNK = 128;
    /** Chunks one call copies before it preempts itself (deterministic, unlike Xen's preempt check). */
    static final int PREEMPT_CHUNKS = 32;

    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        int count = (int) a[1];
        long buffer = a[2];
        if (cmd != Console.CONSOLEIO_write && !ctx.xsmPriv()) {
            return -Errno.EPERM;
        }
        switch (cmd) {
            case Console.CONSOLEIO_write:
                return guestConsoleWrite(ctx, buffer, count);
            case Console.CONSOLEIO_read:
                return 0; // no serial RX ring: nothing to read
            default:
                return -Errno.ENOSYS;
        }
    }

    /**
     * guest_console_write: copies and prints {@value #CHUNK} bytes at a time, so a fault part-way leaves
     * what came before it printed. A negative count writes nothing and returns 0, as the int loop in 4.4
     * does. The call is preemptible (§12.2): after {@value #PREEMPT_CHUNKS} chunks it continues itself with
     * the remaining count and the advanced buffer, so no count a guest can pass holds the machine up.
     */
    private static long guestConsoleWrite(HypercallContext ctx, long buffer, int count) {
        int chunks = 0;
        for (int done = 0; done < count; done += CHUNK) {
            if (chunks++ == PREEMPT_CHUNKS) {
                return ctx.createContinuation(Console.CONSOLEIO_write, count - done, buffer + done);
            }
            int n = Math.min(CHUNK, count - done);
            byte[] chunk = ctx.copyFrom(buffer + done, n);
            if (chunk == null) {
                return -Errno.EFAULT;
            }
            StringBuilder sb = new StringBuilder(n);
            for (byte b : chunk) {
                if ((b >= 0x20 && b < 0x7F) || b == '\n' || b == '\t') {
                    sb.append((char) b);
                }
            }
            ctx.domain().consoleWrite(sb.toString());
        }
        return 0;
    }
}
