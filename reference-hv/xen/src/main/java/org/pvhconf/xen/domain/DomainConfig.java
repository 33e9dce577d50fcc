package org.pvhconf.xen.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the toolstack asks for: the subset of an xl configuration this reference understands. Mutable,
 * with chaining setters. Defaults: 32 MiB, 1 vCPU, pvh, hap by default (libxl: hap follows pvh).
 */
public final class DomainConfig {
    private String name = "domU";
    private int memoryMiB = 32;
    private Integer maxmemMiB;
    private int vcpus = 1;
    private boolean pvh = true;
    private Boolean hap;
    private String cmdline = "";
    private String kernelPath;
    private final List<String> warnings = new ArrayList<>();

    public String name() {
        return name;
    }

    public DomainConfig name(String v) {
        this.name = v;
        return this;
    }

    public int memoryMiB() {
        return memoryMiB;
    }

    public DomainConfig memoryMiB(int v) {
        this.memoryMiB = v;
        return this;
    }

    /** maxmem in MiB; defaults to memory. */
    public int maxmemMiB() {
        return maxmemMiB != null ? maxmemMiB : memoryMiB;
    }

    public DomainConfig maxmemMiB(Integer v) {
        this.maxmemMiB = v;
        return this;
    }

    public int vcpus() {
        return vcpus;
    }

    public DomainConfig vcpus(int v) {
        this.vcpus = v;
        return this;
    }

    public boolean pvh() {
        return pvh;
    }

    public DomainConfig pvh(boolean v) {
        this.pvh = v;
        return this;
    }

    /** hap as configured; null means the default (libxl: the value of pvh, §5.3). */
    public Boolean hap() {
        return hap;
    }

    public DomainConfig hap(Boolean v) {
        this.hap = v;
        return this;
    }

    public String cmdline() {
        return cmdline;
    }

    public DomainConfig cmdline(String v) {
        this.cmdline = v == null ? "" : v;
        return this;
    }

    public String kernelPath() {
        return kernelPath;
    }

    public DomainConfig kernelPath(String v) {
        this.kernelPath = v;
        return this;
    }

    /** Keys that were read but ignored, one message each, in file order. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public DomainConfig warn(String w) {
        warnings.add(w);
        return this;
    }

    @Override
    public String toString() {
        return "name=" + name + " memory=" + memoryMiB + " maxmem=" + maxmemMiB() + " vcpus=" + vcpus
                + " pvh=" + (pvh ? 1 : 0) + " hap=" + hap + " cmdline=\"" + cmdline + "\"";
    }
}
