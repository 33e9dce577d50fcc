package org.pvhconf.x86.jit;

/**
 * A translated region: what every hidden class the {@link Translator} defines implements (pitfall
 * H3: a hidden class is reached only through an interface).
 */
public interface Block {
    /**
     * Runs the region from the head of trace {@link JitContext#entry} with the guest state in
     * {@code ctx.cpu}, and writes the state back when it returns. Returns the exit number (an index
     * into {@link Region#exitTarget}); a guest fault or VM exit is rethrown after the state of the
     * faulting instruction's start is written back and {@link JitContext#faultIndex} names it (an
     * index into {@link Region#rips}).
     */
    int run(JitContext ctx);

    /**
     * Returned when an access found its page in neither the region's locals nor the context's page
     * caches: the state before that instruction is written back as for a fault, and
     * {@link JitContext#missSeg} and the fields after it name the access.
     */
    int MISS = -1;
}
