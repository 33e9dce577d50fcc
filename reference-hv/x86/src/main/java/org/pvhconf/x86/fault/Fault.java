package org.pvhconf.x86.fault;

/**
 * A guest exception raised while executing an instruction: the decoder, the MMU, a semantic helper
 * or a back end throws it, and the back end's run loop catches it and delivers it through the
 * guest IDT. It never leaves the CPU (the run loop is the only catcher), and it carries no stack
 * trace: it is control flow, like QEMU's {@code cpu_loop_exit}.
 */
public final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
            TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17;

    /** The exception vector. */
    public final int vector;
    /** The error code, or -1 for an exception that pushes none. */
    public final int errorCode;
    /** For #PF the linear address that goes to CR2; else 0. */
    public final long address;

    public Fault(int vector, int errorCode, long address) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.address = address;
    }

    public static Fault of(int vector) {
        return new Fault(vector, -1, 0);
    }

    public static Fault ud() {
        return new Fault(UD, -1, 0);
    }

    public static Fault gp(int errorCode) {
        return new Fault(GP, errorCode, 0);
    }

    public static Fault ss(int errorCode) {
        return new Fault(SS, errorCode, 0);
    }

    public static Fault np(int errorCode) {
        return new Fault(NP, errorCode, 0);
    }

    public static Fault ts(int errorCode) {
        return new Fault(TS, errorCode, 0);
    }

    public static Fault pf(long linear, int errorCode) {
        return new Fault(PF, errorCode, linear);
    }

    /** True for the exceptions that push an error code (SDM Vol. 3 table 6-1). */
    public static boolean pushesErrorCode(int vector) {
        return vector == DF || (vector >= TS && vector <= PF) || vector == AC;
    }

    @Override
    public String getMessage() {
        return "#" + vector + (errorCode >= 0 ? "(" + Integer.toHexString(errorCode) + ")" : "")
                + (vector == PF ? " at " + Long.toHexString(address) : "");
    }
}
