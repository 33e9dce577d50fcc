package org.pvhconf.xen.hypercall;

/** One hypercall family's entry point, {@code do_<family>(args...)}: the value returned goes to RAX. */
@FunctionalInterface
public interface Hypercall {
    /**
     * @param a the six argument registers RDI, RSI, RDX, R10, R8, R9 (§1.2)
     * @return ≥ 0 on success, a negative errno on failure, or a count where the sub-op says so
     */
    long call(HypercallContext ctx, long[] a);
}
