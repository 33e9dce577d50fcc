package org.pvhconf.x86.jit;

/** One entry into a translated {@link Region}, and what the engine needs around it: where it came from, its exits' links. */
final class Translation {
    /** The cache key: guest-physical address of the first instruction and the CPU mode. */
    final long key;
    /** Linear RIP it was translated at, and its trace in the region. */
    final long rip;
    final int entry;
    final Region region;
    /** Instructions of its trace: the budget an entry needs. */
    final int length;

    /** The successor last reached from each exit, valid while {@link #linkGen} equals the engine's TLB generation. */
    final Translation[] link;
    final long[] linkGen;
    boolean valid = true;
    long verifiedEpoch;
    final int mode;

    Translation(long key, int mode, Region region, int entry) {
        this.key = key;
        this.mode = mode;
        this.region = region;
        this.entry = entry;
        this.rip = region.heads[entry];
        this.length = region.lengths[entry];
        this.link = new Translation[region.exitTarget.length];
        this.linkGen = new long[region.exitTarget.length];
    }
}
