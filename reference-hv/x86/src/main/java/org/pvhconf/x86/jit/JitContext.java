package org.pvhconf.x86.jit;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.sem.Env;

/**
 * What a translated region reads and writes besides the guest registers: one per CPU, owned by the
 * {@link JitEngine}. Public because hidden classes reach it by field access.
 */
public final class JitContext {
    public final Cpu cpu;
    public final Env env;
    /**
     * Instructions the region may still retire (at least its first trace's length on entry). On a
     * return it holds what is left; on a fault or VM exit, what was left when the faulting trace
     * started ({@link Region#inTrace} gives the rest).
     */
    public long left;
    /** Region-wide index ({@link Region#rips}) of the instruction that faulted or exited. */
    public int faultIndex;
    /** Set by the write watch when a store hit a frame holding translated code: the region leaves after that instruction. */
    public boolean codeWritten;
    /** The trace of the region to start at (an index into its heads). */
    public int entry;
    /**
     * Set by {@link JitRuntime#read}/{@link JitRuntime#write}: the linear page just accessed and its
     * frame, when the region may keep it in its locals; -1 otherwise.
     */
    public long lastPage = -1;
    public byte[] lastFrame;

    /**
     * {@link JitRuntime}'s page caches, direct-mapped by linear page: an entry is valid when its tag
     * is {@code page ^ pageGen}; {@link #forgetPages} empties them all by moving to a new generation
     * (generations are multiples of 2^52, above every linear page number).
     */
    static final int PAGES = 64;
    final long[] readTag = new long[PAGES], writeTag = new long[PAGES];
    final byte[][] readFrame = new byte[PAGES][], writeFrame = new byte[PAGES][];
    long pageGen = 1L << 52;
    final JitEngine engine;

    JitContext(Cpu cpu, Env env, JitEngine engine) {
        this.cpu = cpu;
        this.env = env;
        this.engine = engine;
    }

    /** Empties the access caches (see {@link JitRuntime}). */
    void forgetPages() {
        pageGen += 1L << 52;
        if (pageGen == 0) { // wrapped after 2^12 generations: clear for real so that no stale tag matches
            java.util.Arrays.fill(readTag, -1);
            java.util.Arrays.fill(writeTag, -1);
            pageGen = 1L << 52;
        }
    }
}
