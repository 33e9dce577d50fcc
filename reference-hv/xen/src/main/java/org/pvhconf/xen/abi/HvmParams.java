package org.pvhconf.xen.abi;

/** {@code public/hvm/params.h @ RELEASE-4.4.0} (§3.2, §3.4). */
public final class HvmParams {
    private HvmParams() {
    }

    public static final int HVM_PARAM_CALLBACK_IRQ = 0;
    public static final int HVM_PARAM_STORE_PFN = 1;
    public static final int HVM_PARAM_STORE_EVTCHN = 2;
    public static final int HVM_PARAM_CONSOLE_PFN = 17;
    public static final int HVM_PARAM_CONSOLE_EVTCHN = 18;
    public static final int HVM_PARAM_TRIPLE_FAULT_REASON = 31;
    /** {@code HVM_NR_PARAMS} at 4.4. */
    public static final int HVM_NR_PARAMS = 32;

    /** CALLBACK_IRQ type in value[63:56] (§3.2). */
    public static final int HVM_PARAM_CALLBACK_TYPE_SHIFT = 56;
    public static final int HVM_PARAM_CALLBACK_TYPE_GSI = 0;
    public static final int HVM_PARAM_CALLBACK_TYPE_PCI_INTX = 1;
    public static final int HVM_PARAM_CALLBACK_TYPE_VECTOR = 2;
}
