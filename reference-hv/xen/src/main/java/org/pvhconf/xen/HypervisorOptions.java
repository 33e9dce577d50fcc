package org.pvhconf.xen;

import java.util.Objects;
import java.util.function.Supplier;

import org.pvhconf.x86.cpu.Cpu;

/**
 * How to run: the Xen profile, how to make a CPU engine for each vCPU, the scheduler quantum in
 * instructions, and the machine's memory. Immutable; {@link #builder()} makes one.
 */
public record HypervisorOptions(XenProfile profile, Supplier<Cpu.Engine> engineFactory, long quantum,
                                int machineMiB) {

    public static final long DEFAULT_QUANTUM = 10_000;
    public static final int DEFAULT_MACHINE_MIB = 2048;

    public HypervisorOptions {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(engineFactory, "engineFactory");
        if (quantum < 1 || machineMiB < 1) {
            throw new IllegalArgumentException("quantum and machineMiB must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private XenProfile profile = XenProfile.XEN_4_4;
        private Supplier<Cpu.Engine> engineFactory;
        private long quantum = DEFAULT_QUANTUM;
        private int machineMiB = DEFAULT_MACHINE_MIB;

        public Builder profile(XenProfile p) {
            profile = p;
            return this;
        }

        public Builder engineFactory(Supplier<Cpu.Engine> f) {
            engineFactory = f;
            return this;
        }

        public Builder quantum(long q) {
            quantum = q;
            return this;
        }

        public Builder machineMiB(int m) {
            machineMiB = m;
            return this;
        }

        public HypervisorOptions build() {
            return new HypervisorOptions(profile, engineFactory, quantum, machineMiB);
        }
    }
}
