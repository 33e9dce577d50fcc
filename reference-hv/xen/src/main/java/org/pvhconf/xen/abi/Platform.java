package org.pvhconf.xen.abi;

/**
 * {@code public/platform.h}, {@code sysctl.h}, {@code domctl.h}: the headers of the privileged calls.
 * pvh-abi.md §2.2 names the checks but not these numbers; they are the 4.4 header values.
 */
public final class Platform {
    private Platform() {
    }

    public static final int XENPF_INTERFACE_VERSION = 0x03000001;
    /** {@code struct xen_platform_op}: cmd u32 @0, interface_version u32 @4, union (pad[128]) @8. */
    public static final int XEN_PLATFORM_OP_SIZE = 136;
    public static final int PLATFORM_OP_cmd = 0, PLATFORM_OP_interface_version = 4;

    /** {@code struct xen_sysctl}: cmd @0, interface_version @4, union (pad[128]) @8. */
    public static final int XEN_SYSCTL_SIZE = 136;
    /** {@code struct xen_domctl}: cmd @0, interface_version @4, domain u16 @8, union (pad[128]) @16. */
    public static final int XEN_DOMCTL_SIZE = 144;
}
