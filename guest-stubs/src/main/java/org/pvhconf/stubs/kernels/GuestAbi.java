package org.pvhconf.stubs.kernels;

/**
 * The few Xen ABI numbers the stubs use, declared here as a KVM selftest declares them, so the stubs
 * depend on no hypervisor code and a wrong constant in the hypervisor's {@code xen.abi} cannot fool
 * both sides (STYLE.md §2). Values: pvh-abi.md §1.1, §1.3, §12.1, §12.2.
 */
public final class GuestAbi {
    private GuestAbi() {
    }

    /** Each hypercall page slot is 32 bytes; hypercall nr lives at {@code hypercall_page + nr * 32} (§1.3). */
    public static final int HYPERCALL_SLOT_SIZE = 32;
    public static final int PAGE_SIZE = 4096;

    public static final int HYPERVISOR_CONSOLE_IO = 18;
    public static final int HYPERVISOR_SCHED_OP = 29;

    public static final int CONSOLEIO_WRITE = 0;

    public static final int SCHEDOP_YIELD = 0;
    public static final int SCHEDOP_SHUTDOWN = 2;

    public static final int SHUTDOWN_POWEROFF = 0;
    public static final int SHUTDOWN_REBOOT = 1;
    public static final int SHUTDOWN_SUSPEND = 2;
    public static final int SHUTDOWN_CRASH = 3;
    public static final int SHUTDOWN_WATCHDOG = 4;

    /** IA32_EFER. */
    public static final int MSR_EFER = 0xC0000080;
}
