package org.pvhconf.conform.harness;

/**
 * The hypervisor a conformance run checks: one instance is one machine, and every domain it builds runs on
 * that machine beside the others (two-domain scenarios: grants, interdomain event channels). The reference hypervisor is one implementation
 * ({@link ReferenceHypervisor}); an adapter to another Xen-compatible hypervisor is another.
 *
 * <p>It plays the toolstack's part only: build a domain, run it, look at guest memory and at how it
 * stopped. Every ABI rule a guest sees is checked by guest code that runs on the domain's vCPUs.
 */
public interface HypervisorUnderTest {

    /**
     * Builds a domain from a kernel image the way the Xen 4.4 toolstack does (§5–§7).
     *
     * @throws Refusal when the toolstack or the hypervisor refuses the kernel or the config
     */
    GuestDomain build(byte[] kernelElf, GuestConfig config) throws Refusal;

    /** A refusal to build, with the rule that refused it. */
    final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        public Refusal(String message) {
            super(message);
        }
    }
}
