package org.pvhconf.conform.harness;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.xen.RunOutcome;
import org.pvhconf.xen.domain.BuildRefusedException;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;

/**
 * The reference hypervisor (reference-hv/xen) as a hypervisor under test: one machine, created with the
 * instance, on which every build adds a domain (domids 1, 2, … in build order).
 */
public final class ReferenceHypervisor implements HypervisorUnderTest {

    private final Hypervisor hv;

    public ReferenceHypervisor(HypervisorOptions options) {
        this.hv = new Hypervisor(options);
    }

    /** The machine's frames in use, by anyone: what the toolstack's leak checks compare. */
    public long framesInUse() {
        return hv.machine().totalAllocated();
    }

    @Override
    public GuestDomain build(byte[] kernelElf, GuestConfig config) throws Refusal {
        DomainConfig dc = new DomainConfig()
                .name(config.name())
                .memoryMiB(config.memoryMiB())
                .vcpus(config.vcpus())
                .pvh(config.pvh())
                .hap(config.hap())
                .cmdline(config.cmdline())
                .maxmemMiB(config.maxmemMiB());
        try {
            return new Built(hv, hv.createDomain(dc, kernelElf));
        } catch (BuildRefusedException e) {
            throw new Refusal(e.getMessage());
        }
    }

    /** The toolstack's view of one domain of a reference machine (also for tests that own the machine). */
    record Built(Hypervisor hv, Domain domain) implements GuestDomain {

        @Override
        public Stop runUntil(BooleanSupplier stop, long maxInstructions) {
            RunOutcome outcome = hv.runUntil(() -> stop.getAsBoolean() || domain.isShutdown(), maxInstructions);
            if (domain.isShutdown() && !stop.getAsBoolean()) {
                return Stop.SHUT_DOWN;
            }
            return switch (outcome) {
                case ALL_SHUT_DOWN -> Stop.SHUT_DOWN;
                case STOPPED -> Stop.CONDITION_MET;
                case BUDGET_EXHAUSTED -> Stop.BUDGET_EXHAUSTED;
                case DEADLOCK -> Stop.DEADLOCK;
            };
        }

        @Override
        public int shutdownCode() {
            return domain.shutdownCode();
        }

        @Override
        public String shutdownCause() {
            String detail = domain.crashDetail();
            return detail == null ? "" : detail;
        }

        @Override
        public byte[] readPhys(long gpa, int length) {
            return domain.readGuestPhys(gpa, length);
        }

        @Override
        public void writePhys(long gpa, byte[] data) {
            domain.writeGuestPhys(gpa, data);
        }

        @Override
        public long readPhysU64(long gpa) {
            return domain.readGuestPhysU64(gpa);
        }

        @Override
        public void writePhysU64(long gpa, long value) {
            domain.writeGuestPhysU64(gpa, value);
        }

        @Override
        public String console() {
            return domain.consoleOutput();
        }

        @Override
        public List<String> hypercallTrace() {
            return domain.hypercallTrace().stream().map(Object::toString).toList();
        }

        @Override
        public int domid() {
            return domain.domid();
        }

        @Override
        public long instructionsRetired() {
            return domain.instructionsRetired();
        }
    }
}
