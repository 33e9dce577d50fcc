package org.pvhconf.x86.jit;

/**
 * What one hidden class compiles: traces in one guest page, entered at any of their heads, with
 * direct jumps between them. Shared by the {@link Translation}s of its heads.
 */
final class Region {
    final Block block;
    /** Linear RIP of each trace head (the entry index is the position) and its instruction count. */
    final long[] heads;
    final int[] lengths;
    /** RIP of every compiled instruction, by region-wide index (the precise-fault table). */
    final long[] rips;
    /** Position of each instruction in its trace: a fault's handler reports the budget at its trace's start. */
    final int[] inTrace;
    /** Constant target of each exit, or -1 for a computed one. */
    final long[] exitTarget;
    /** Guest frame, and the page bytes from offset {@link #bytesAt} its instructions came from. */
    final long gfn;
    final int bytesAt;
    final byte[] bytes;

    Region(Block block, long[] heads, int[] lengths, long[] rips, int[] inTrace, long[] exitTarget, long gfn, int bytesAt,
            byte[] bytes) {
        this.block = block;
        this.heads = heads;
        this.lengths = lengths;
        this.rips = rips;
        this.inTrace = inTrace;
        this.exitTarget = exitTarget;
        this.gfn = gfn;
        this.bytesAt = bytesAt;
        this.bytes = bytes;
    }
}
