package org.pvhconf.xen;

/**
 * Which Xen's behaviour the reference follows where versions differ. Only the 4.4 PVHv1 ABI of the
 * seed exists so far; later profiles (e.g. HEAD's #GP on a bad hypercall-page MSR write, §1.4) are
 * added as named values, never as silent changes.
 */
public enum XenProfile {
    XEN_4_4(4, 4);

    private final int major;
    private final int minor;

    XenProfile(int major, int minor) {
        this.major = major;
        this.minor = minor;
    }

    /** XENVER_version: (major << 16) | minor. */
    public int xenVersion() {
        return major << 16 | minor;
    }

    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }
}
