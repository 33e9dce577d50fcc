package org.pvhconf.conform.harness;

/**
 * What the toolstack is asked to build, in xl's terms (§5.3: {@code pvh=1} and {@code hap} come from the
 * config, not from the kernel).
 *
 * @param name      domain name
 * @param memoryMiB {@code memory=}
 * @param vcpus     {@code vcpus=}
 * @param pvh       {@code pvh=}
 * @param hap       {@code hap=}, or null when the config does not say (libxl then defaults it to pvh)
 * @param cmdline   {@code extra=} / {@code cmdline=}
 * @param maxmemMiB {@code maxmem=}, or null for the same as memory
 */
public record GuestConfig(String name, int memoryMiB, int vcpus, boolean pvh, Boolean hap, String cmdline,
                          Integer maxmemMiB) {

    public GuestConfig(String name, int memoryMiB, int vcpus, boolean pvh, Boolean hap, String cmdline) {
        this(name, memoryMiB, vcpus, pvh, hap, cmdline, null);
    }

    public static GuestConfig defaults() {
        return new GuestConfig("guest", 32, 1, true, null, "");
    }

    public GuestConfig withMaxmemMiB(Integer mib) {
        return new GuestConfig(name, memoryMiB, vcpus, pvh, hap, cmdline, mib);
    }

    public GuestConfig withName(String n) {
        return new GuestConfig(n, memoryMiB, vcpus, pvh, hap, cmdline, maxmemMiB);
    }

    public GuestConfig withMemoryMiB(int mib) {
        return new GuestConfig(name, mib, vcpus, pvh, hap, cmdline, maxmemMiB);
    }

    public GuestConfig withVcpus(int n) {
        return new GuestConfig(name, memoryMiB, n, pvh, hap, cmdline, maxmemMiB);
    }

    public GuestConfig withHap(Boolean on) {
        return new GuestConfig(name, memoryMiB, vcpus, pvh, on, cmdline, maxmemMiB);
    }

    public GuestConfig withPvh(boolean on) {
        return new GuestConfig(name, memoryMiB, vcpus, on, hap, cmdline, maxmemMiB);
    }

    public GuestConfig withCmdline(String s) {
        return new GuestConfig(name, memoryMiB, vcpus, pvh, hap, s, maxmemMiB);
    }
}
