package org.pvhconf.x86.jit;

/** One translated block and what the engine needs around it: where it came from, its exits and their links. */
final class Translation {
    /** The cache key: guest-physical address of the first instruction and the CPU mode. */
    final long key;
    /** Linear RIP it was translated at, its guest frame, and its bytes (checked against the frame before reuse). */
    final long rip;
    final long gfn;
    /** The page bytes from offset {@link #bytesAt} that its instructions came from. */
    final int bytesAt;
    final byte[] bytes;
    /** RIP of each instruction (the precise-fault table) and the instruction count. */
    final long[] rips;
    final int length;
    /** Constant target of each exit, or -1 for a computed one. */
    final long[] exitTarget;
    final Block block;

    /** The successor last reached from each exit, valid while {@link #linkGen} equals the engine's TLB generation. */
    final Translation[] link;
    final long[] linkGen;
    boolean valid = true;
    long verifiedEpoch;
    final int mode;

    Translation(long key, int mode, long rip, long gfn, int bytesAt, byte[] bytes, long[] rips, long[] exitTarget, Block block) {
        this.key = key;
        this.mode = mode;
        this.rip = rip;
        this.gfn = gfn;
        this.bytesAt = bytesAt;
        this.bytes = bytes;
        this.rips = rips;
        this.length = rips.length;
        this.exitTarget = exitTarget;
        this.block = block;
        this.link = new Translation[exitTarget.length];
        this.linkGen = new long[exitTarget.length];
    }
}
