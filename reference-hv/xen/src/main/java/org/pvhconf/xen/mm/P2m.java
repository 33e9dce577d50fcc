package org.pvhconf.xen.mm;

import java.util.Arrays;
import java.util.TreeMap;

import org.pvhconf.x86.cpu.GuestPhysMemory;

/**
 * One domain's physical-to-machine map (gfn → mfn with a type), the EPT of §11.3. The CPU reads guest
 * frames through it as its second translation stage. Every change calls the flush hook, which flushes
 * the TLBs of the domain's vCPUs, because the CPU may cache the frames it was given.
 */
public final class P2m implements GuestPhysMemory {

    /**
     * p2m types a PVHv1 domain uses (Xen's p2m_ram_rw, p2m_ram_ro, p2m_grant_map_rw, p2m_grant_map_ro).
     * A grant type maps a frame another domain owns (§12.3: the mapper's host_addr is a gfn).
     */
    public enum Type {
        RAM_RW, RAM_RO, GRANT_RW, GRANT_RO;

        public boolean writable() {
            return this == RAM_RW || this == GRANT_RW;
        }

        public boolean isGrant() {
            return this == GRANT_RW || this == GRANT_RO;
        }
    }

    public static final long INVALID_MFN = -1;

    /** gfns below this are kept in arrays; others (rare, e.g. far grant mappings) in a map. */
    private static final int DENSE_LIMIT = 1 << 20;

    private final FrameAllocator machine;
    private long[] mfns = new long[0];
    private byte[][] frames = new byte[0][];
    private Type[] types = new Type[0];
    private final TreeMap<Long, long[]> sparse = new TreeMap<>(); // gfn -> {mfn, type ordinal}
    /** The M2P of this domain for its own frames (get_gpfn_from_mfn): mfn → gfn, RAM types only. */
    private final TreeMap<Long, Long> m2p = new TreeMap<>();
    private Runnable flushHook = () -> { };

    public P2m(FrameAllocator machine) {
        this.machine = machine;
    }

    public void setFlushHook(Runnable hook) {
        this.flushHook = hook;
    }

    /** Maps {@code gfn} to {@code mfn}; whatever was there is replaced (the caller frees it). */
    public void set(long gfn, long mfn, Type type) {
        if (gfn < 0) {
            throw new IllegalArgumentException("negative gfn");
        }
        long old = lookup(gfn);
        if (old != INVALID_MFN) {
            m2p.remove(old, gfn);
        }
        if (!type.isGrant()) {
            m2p.put(mfn, gfn);
        }
        if (gfn < DENSE_LIMIT) {
            grow((int) gfn + 1);
            mfns[(int) gfn] = mfn;
            frames[(int) gfn] = machine.frame(mfn);
            types[(int) gfn] = type;
        } else {
            sparse.put(gfn, new long[] {mfn, type.ordinal()});
        }
        flushHook.run();
    }

    /** Unmaps {@code gfn}; returns the mfn that was mapped, or INVALID_MFN. */
    public long remove(long gfn) {
        long old = lookup(gfn);
        if (old == INVALID_MFN) {
            return old;
        }
        m2p.remove(old, gfn);
        if (gfn < DENSE_LIMIT) {
            mfns[(int) gfn] = INVALID_MFN;
            frames[(int) gfn] = null;
            types[(int) gfn] = null;
        } else {
            sparse.remove(gfn);
        }
        flushHook.run();
        return old;
    }

    /** The mfn behind {@code gfn}, or INVALID_MFN. */
    public long lookup(long gfn) {
        if (gfn < 0) {
            return INVALID_MFN;
        }
        if (gfn < DENSE_LIMIT) {
            return gfn < mfns.length ? mfns[(int) gfn] : INVALID_MFN;
        }
        long[] e = sparse.get(gfn);
        return e == null ? INVALID_MFN : e[0];
    }

    /** get_gpfn_from_mfn: the gfn at which this p2m maps {@code mfn} as a non-grant frame, or -1. */
    public long gfnOf(long mfn) {
        Long g = m2p.get(mfn);
        return g == null ? -1 : g;
    }

    /** The type of a mapped gfn, or null. */
    public Type type(long gfn) {
        if (gfn < 0) {
            return null;
        }
        if (gfn < DENSE_LIMIT) {
            return gfn < types.length ? types[(int) gfn] : null;
        }
        long[] e = sparse.get(gfn);
        return e == null ? null : Type.values()[(int) e[1]];
    }

    /** The highest mapped gfn, or -1 when nothing is mapped ({@code domain_get_maximum_gpfn}). */
    public long maxMappedGfn() {
        if (!sparse.isEmpty()) {
            return sparse.lastKey();
        }
        for (int i = mfns.length - 1; i >= 0; i--) {
            if (mfns[i] != INVALID_MFN) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public byte[] frame(long gfn, int access) {
        byte[] f;
        Type t;
        if (gfn >= 0 && gfn < frames.length) {
            f = frames[(int) gfn];
            t = types[(int) gfn];
        } else {
            long mfn = lookup(gfn);
            if (mfn == INVALID_MFN) {
                return null;
            }
            f = machine.frame(mfn);
            t = type(gfn);
        }
        if (f == null || ((access & WRITE) != 0 && !t.writable())) {
            return null;
        }
        return f;
    }

    private void grow(int size) {
        if (size <= mfns.length) {
            return;
        }
        int n = Math.max(size, Math.min(DENSE_LIMIT, Math.max(16, mfns.length * 2)));
        int old = mfns.length;
        mfns = Arrays.copyOf(mfns, n);
        Arrays.fill(mfns, old, n, INVALID_MFN);
        frames = Arrays.copyOf(frames, n);
        types = Arrays.copyOf(types, n);
    }
}
