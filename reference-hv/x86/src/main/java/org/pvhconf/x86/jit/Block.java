package org.pvhconf.x86.jit;

/**
 * A translated block: what every hidden class the {@link Translator} defines implements (pitfall
 * H3: a hidden class is reached only through an interface).
 */
public interface Block {
    /**
     * Runs the block from its first instruction with the guest state in {@code ctx.cpu}, and writes
     * the state back at every exit. Returns the exit number (an index into
     * {@link Translation#exitTarget}); a guest fault or VM exit is rethrown after the state of the
     * faulting instruction's start is written back and {@link JitContext#faultIndex} names it.
     */
    int run(JitContext ctx);
}
