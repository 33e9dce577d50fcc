package org.pvhconf.xen.abi;

/** {@code public/version.h @ RELEASE-4.4.0}: XENVER sub-ops and their argument sizes (§4.3). */
public final class Version {
    private Version() {
    }

    public static final int XENVER_version = 0;
    public static final int XENVER_extraversion = 1;
    public static final int XENVER_compile_info = 2;
    public static final int XENVER_capabilities = 3;
    public static final int XENVER_changeset = 4;
    public static final int XENVER_platform_parameters = 5;
    public static final int XENVER_get_features = 6;
    public static final int XENVER_pagesize = 7;
    public static final int XENVER_guest_handle = 8;
    public static final int XENVER_commandline = 9;

    public static final int XEN_EXTRAVERSION_LEN = 16;
    /** {@code xen_compile_info}: compiler[64] @0, compile_by[16] @64, compile_domain[32] @80, compile_date[32] @112. */
    public static final int COMPILE_INFO_SIZE = 144;
    public static final int COMPILE_INFO_compiler = 0, COMPILE_INFO_compile_by = 64,
            COMPILE_INFO_compile_domain = 80, COMPILE_INFO_compile_date = 112;
    public static final int XEN_CAPABILITIES_INFO_LEN = 1024;
    public static final int XEN_CHANGESET_INFO_LEN = 64;
    /** {@code xen_platform_parameters}: virt_start @0. */
    public static final int PLATFORM_PARAMETERS_SIZE = 8;
    /** {@code xen_feature_info}: submap_idx u32 @0 (in), submap u32 @4 (out). */
    public static final int FEATURE_INFO_SIZE = 8;
    public static final int FEATURE_INFO_submap_idx = 0, FEATURE_INFO_submap = 4;
    public static final int XEN_DOMAIN_HANDLE_LEN = 16;
    public static final int XEN_COMMANDLINE_LEN = 1024;

    /** 4.4 capabilities with HVM, trailing space included (§4.3). */
    public static final String CAPABILITIES_4_4 =
            "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";
}
