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
    private long allocated;
    /** Extra references (get_page) on frames, e.g. a grant mapping in another domain's p2m. */
    private final java.util.TreeMap<Long, Integer> refs = new java.util.TreeMap<>();
    /** Frames freed by their owner while still referenced: released by the last {@link #put}. */
    private final TreeSet<Long> freeWhenUnreferenced = new TreeSet<>();

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
        allocated++;
        return mfn;
    }

    /**
     * Returns a frame to the free pool; its contents are dropped. A frame that still has references (a
     * grant mapping elsewhere) stays allocated, and owned, until the last {@link #put}, as Xen's page
     * reference counts keep it.
     */
    public void free(long mfn) {
        checkValid(mfn);
        if (refs.containsKey(mfn)) {
            freeWhenUnreferenced.add(mfn);
            return;
        }
        int owner = owners.get((int) mfn);
        owned.merge(owner, -1L, Long::sum);
        allocated--;
        frames.set((int) mfn, null);
        owners.set((int) mfn, null);
        freed.add(mfn);
    }

    /** get_page: one more reference to an allocated frame. */
    public void get(long mfn) {
        checkValid(mfn);
        refs.merge(mfn, 1, Integer::sum);
    }

    /** put_page: drops a reference; the last one frees a frame its owner already freed. */
    public void put(long mfn) {
        Integer n = refs.get(mfn);
        if (n == null) {
            throw new IllegalStateException("put of unreferenced mfn " + Long.toHexString(mfn));
        }
        if (n > 1) {
            refs.put(mfn, n - 1);
            return;
        }
        refs.remove(mfn);
        if (freeWhenUnreferenced.remove(mfn)) {
            free(mfn);
        }
    }

    /** References held on {@code mfn} besides its allocation. */
    public int refs(long mfn) {
        return refs.getOrDefault(mfn, 0);
    }

    /** True when the owner freed the frame but a reference keeps it allocated. */
    public boolean isFreePending(long mfn) {
        return freeWhenUnreferenced.contains(mfn);
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

    /** Frames allocated to anyone (domains and Xen) right now: the machine-wide total the leak checks use. */
    public long totalAllocated() {
        return allocated;
    }

    /** Frames still free: {@code max_page} less what is allocated. */
    public long freeFrames() {
        return maxFrames - allocated;
    }

    private void checkValid(long mfn) {
        if (!isValid(mfn)) {
            throw new IllegalArgumentException("mfn " + Long.toHexString(mfn) + " is not allocated");
        }
    }
}
