package org.pvhconf.x86.jit;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.sem.Env;

/**
 * What a translated block reads and writes besides the guest registers: one per CPU, owned by the
 * {@link JitEngine}. Public because hidden classes reach it by field access.
 */
public final class JitContext {
    public final Cpu cpu;
    public final Env env;
    /**
     * Instructions the block may still retire (at least its length on entry). A block subtracts what
     * it retired before it returns or rethrows, so a self-loop stops exactly at the budget.
     */
    public long left;
    /** Index (in the block) of the instruction that faulted or exited. */
    public int faultIndex;
    /** Set by the write watch when a store hit a frame holding translated code: the block leaves after that instruction. */
    public boolean codeWritten;

    /** {@link JitRuntime}'s one-page caches: linear page number (-1: empty) and its frame. */
    long readPage = -1, writePage = -1;
    byte[] readFrame, writeFrame;
    final JitEngine engine;

    JitContext(Cpu cpu, Env env, JitEngine engine) {
        this.cpu = cpu;
        this.env = env;
        this.engine = engine;
    }

    /** Empties the access caches (see {@link JitRuntime}). */
    void forgetPages() {
        readPage = -1;
        writePage = -1;
        readFrame = writeFrame = null;
    }
}
