package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Version.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Features;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_xen_version (§4.3). The strings this reference reports where a real build reports its own
 * (extraversion, compile info, changeset, command line) are fixed, so traces are reproducible.
 */
public final class XenVersion implements Hypercall {
    public static final String EXTRAVERSION = ".0";
    public static final String COMPILER = "pvhconf reference hypervisor";
    public static final String COMPILE_BY = "pvhconf";
    public static final String COMPILE_DOMAIN = "pvhconf.org";
    public static final String COMPILE_DATE = "deterministic";
    public static final String CHANGESET = "pvhconf (Xen 4.4 PVHv1 ABI)";
    public static final String COMMANDLINE = "";

    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        long arg = a[1];
        switch (cmd) {
            case XENVER_version:
                return ctx.profile().xenVersion();
            case XENVER_extraversion:
                return out(ctx, arg, cstring(EXTRAVERSION, XEN_EXTRAVERSION_LEN));
            case XENVER_compile_info: {
                byte[] ci = new byte[COMPILE_INFO_SIZE];
                LittleEndian.putCString(ci, COMPILE_INFO_compiler, COMPILER, 64);
                LittleEndian.putCString(ci, COMPILE_INFO_compile_by, COMPILE_BY, 16);
                LittleEndian.putCString(ci, COMPILE_INFO_compile_domain, COMPILE_DOMAIN, 32);
                LittleEndian.putCString(ci, COMPILE_INFO_compile_date, COMPILE_DATE, 32);
                return out(ctx, arg, ci);
            }
            case XENVER_capabilities:
                return out(ctx, arg, cstring(CAPABILITIES_4_4, XEN_CAPABILITIES_INFO_LEN));
            case XENVER_changeset:
                return out(ctx, arg, cstring(CHANGESET, XEN_CHANGESET_INFO_LEN));
            case XENVER_platform_parameters: {
                byte[] pp = new byte[PLATFORM_PARAMETERS_SIZE];
                LittleEndian.put64(pp, 0, Xen.HYPERVISOR_VIRT_START);
                return out(ctx, arg, pp);
            }
            case XENVER_get_features:
                return getFeatures(ctx, arg);
            case XENVER_pagesize:
                return arg != 0 ? -Errno.EINVAL : Xen.PAGE_SIZE; // §4.3: the argument must be NULL
            case XENVER_guest_handle:
                return out(ctx, arg, new byte[XEN_DOMAIN_HANDLE_LEN]);
            case XENVER_commandline:
                return out(ctx, arg, cstring(COMMANDLINE, XEN_COMMANDLINE_LEN));
            default:
                return -Errno.ENOSYS;
        }
    }

    /** §4.2: submap 0 only; a PVHv1 domU gets 0x30D. */
    private static long getFeatures(HypercallContext ctx, long arg) {
        byte[] fi = ctx.copyFrom(arg, FEATURE_INFO_SIZE);
        if (fi == null) {
            return -Errno.EFAULT;
        }
        if (LittleEndian.u32(fi, FEATURE_INFO_submap_idx) != 0) {
            return -Errno.EINVAL;
        }
        int submap = Features.PVH_DOMU_SUBMAP0 | (ctx.domain().isPrivileged() ? 1 << Features.XENFEAT_dom0 : 0);
        LittleEndian.put32(fi, FEATURE_INFO_submap, submap);
        return out(ctx, arg, fi);
    }

    private static long out(HypercallContext ctx, long arg, byte[] b) {
        return ctx.copyTo(arg, b) ? 0 : -Errno.EFAULT;
    }

    private static byte[] cstring(String s, int size) {
        byte[] b = new byte[size];
        LittleEndian.putCString(b, 0, s, size);
        return b;
    }
}
