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
     * The access a region left on ({@link Block#MISS}): its segment, offset, size in bits and
     * direction; the engine fills the page caches for it ({@link JitRuntime#fill}).
     */
    public int missSeg;
    public long missAddr;
    public int missSize;
    public boolean missWrite;

    /**
     * The page caches translated code probes when its own page locals miss, direct-mapped by linear
     * page: an entry is valid when its tag is {@code page ^ pageGen}; {@link #forgetPages} empties
     * them all by moving to a new generation (generations are multiples of 2^52, above every linear
     * page number). They live across runs: the engine empties them when anything that decides an
     * access may have changed ({@link JitEngine}, "Page caches").
     */
    static final int PAGES = 1024;
    public final long[] readTag = new long[PAGES], writeTag = new long[PAGES];
    public final byte[][] readFrame = new byte[PAGES][], writeFrame = new byte[PAGES][];
    public long pageGen = 1L << 52;
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
            java.util.Arrays.fill(readTag, 0); // no tag is 0: every generation is at least 2^52
            java.util.Arrays.fill(writeTag, 0);
            pageGen = 1L << 52;
        }
    }

    /** Drops linear page {@code page} from the access caches. */
    void forgetPage(long page) {
        int i = (int) page & (PAGES - 1);
        if (readTag[i] == (page ^ pageGen)) {
            readTag[i] = 0;
        }
        if (writeTag[i] == (page ^ pageGen)) {
            writeTag[i] = 0;
        }
    }
}
