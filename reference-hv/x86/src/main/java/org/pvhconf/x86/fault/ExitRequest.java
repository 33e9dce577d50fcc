package org.pvhconf.x86.fault;

import org.pvhconf.x86.cpu.VmExit;

/**
 * Thrown inside an instruction to stop the CPU with a VM exit before the instruction has any
 * architectural effect (EPT violation, CPUID, RDMSR, IO...). Caught only by the back end's run
 * loop, which returns {@link #exit}. No stack trace: it is control flow.
 */
public final class ExitRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public final transient VmExit exit;

    public ExitRequest(VmExit exit) {
        super(null, null, false, false);
        this.exit = exit;
    }

    @Override
    public String getMessage() {
        return String.valueOf(exit);
    }
}
