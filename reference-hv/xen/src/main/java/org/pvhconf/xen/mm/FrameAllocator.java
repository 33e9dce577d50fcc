package org.pvhconf.xen.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.pvhconf.xen.abi.Xen;

/**
 * Machine memory: frames of 4096 bytes identified by mfn, each with an owner (a domid, or
 * {@code DOMID_XEN} for Xen-heap frames such as shared_info). Allocation is deterministic: the lowest
 * free mfn is handed out first, and a new frame is always zero.
 */
public final class FrameAllocator {
    private final long maxFrames;
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Integer> owners = new ArrayList<>();
    private final TreeSet<Long> freed = new TreeSet<>();
    private final java.util.Map<Integer, Long> owned = new java.util.TreeMap<>();

    public FrameAllocator(long maxFrames) {
        this.maxFrames = maxFrames;
    }

    /** {@code max_page}: frames the machine has. */
    public long maxPage() {
        return maxFrames;
    }

    /** A zeroed frame for {@code owner}, or -1 when machine memory is exhausted. */
    public long allocate(int owner) {
        long mfn;
        if (!freed.isEmpty()) {
            mfn = freed.pollFirst();
            frames.set((int) mfn, new byte[Xen.PAGE_SIZE]);
            owners.set((int) mfn, owner);
        } else {
            if (frames.size() >= maxFrames) {
                return -1;
            }
            mfn = frames.size();
            frames.add(new byte[Xen.PAGE_SIZE]);
            owners.add(owner);
        }
        owned.merge(owner, 1L, Long::sum);
        return mfn;
    }

    /** Returns a frame to the free pool; its contents are dropped. */
    public void free(long mfn) {
        checkValid(mfn);
        int owner = owners.get((int) mfn);
        owned.merge(owner, -1L, Long::sum);
        frames.set((int) mfn, null);
        owners.set((int) mfn, null);
        freed.add(mfn);
    }

    public boolean isValid(long mfn) {
        return mfn >= 0 && mfn < frames.size() && frames.get((int) mfn) != null;
    }

    public byte[] frame(long mfn) {
        checkValid(mfn);
        return frames.get((int) mfn);
    }

    public int owner(long mfn) {
        checkValid(mfn);
        return owners.get((int) mfn);
    }

    /** Frames currently owned by {@code domid} (its tot_pages when it is a domain). */
    public long framesOwnedBy(int domid) {
        return owned.getOrDefault(domid, 0L);
    }

    private void checkValid(long mfn) {
        if (!isValid(mfn)) {
            throw new IllegalArgumentException("mfn " + Long.toHexString(mfn) + " is not allocated");
        }
    }
}
