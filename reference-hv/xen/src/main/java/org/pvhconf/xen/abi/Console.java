package org.pvhconf.xen.abi;

/** console_io commands (§12.2). */
public final class Console {
    private Console() {
    }

    public static final int CONSOLEIO_write = 0;
    public static final int CONSOLEIO_read = 1;
}
