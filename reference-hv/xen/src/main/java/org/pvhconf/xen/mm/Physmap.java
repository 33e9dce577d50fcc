package org.pvhconf.xen.mm;

import org.pvhconf.xen.abi.GrantTable;
import org.pvhconf.xen.abi.Memory;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;

/**
 * The p2m workers behind memory_op and grant-table frames for an auto-translated domain (§11.3): they take
 * plain values, never touch guest memory, and keep the frame accounting exact. A domain's RAM frames are
 * owned by its domid (tot_pages); shared_info and grant frames are Xen's and are only hooked into the p2m.
 */
public final class Physmap {
    private Physmap() {
    }

    /**
     * Highest gfn + 1 a p2m entry may have: a 4-level EPT translates 48-bit guest-physical addresses. Not in
     * pvh-abi.md; a request beyond it fails like a p2m set_entry failure.
     */
    public static final long MAX_GFN = 1L << 36;

    /**
     * populate_physmap of one extent: 2^order fresh frames owned by {@code d}, mapped at gpfn.. . False
     * (the extent fails and the count stops) when gpfn is misaligned or out of range, the domain would go
     * over max_pages (assign_pages), or the machine is out of frames. A RAM frame already at one of the
     * gfns stays owned by the domain but is mapped nowhere afterwards, as guest_physmap_add_entry leaves it;
     * a grant mapping there crashes the domain, as 4.4 does ("shouldn't be unmapping grant maps this way").
     */
    public static boolean populate(Domain d, long gpfn, int order, long maxMfnExclusive) {
        long pages = 1L << order;
        if (gpfn < 0 || (gpfn & (pages - 1)) != 0 || gpfn + pages > MAX_GFN) {
            return false;
        }
        P2m p2m = d.p2m();
        for (long j = 0; j < pages; j++) {
            P2m.Type t = p2m.type(gpfn + j);
            if (t != null && t.isGrant()) {
                d.crash(String.format("populate_physmap over the grant mapping at gfn 0x%x", gpfn + j));
                return false;
            }
        }
        if (d.totPages() + pages > d.maxPages()) {
            return false;
        }
        long[] mfns = allocate(d, pages, maxMfnExclusive);
        if (mfns == null) {
            return false;
        }
        for (long j = 0; j < pages; j++) {
            p2m.set(gpfn + j, mfns[(int) j], P2m.Type.RAM_RW);
        }
        return true;
    }

    /**
     * increase_reservation of one extent: 2^order frames owned by {@code d} but mapped nowhere (§11.3: useless
     * for PVH). Returns the first mfn, or -1.
     */
    public static long increase(Domain d, int order, long maxMfnExclusive) {
        long pages = 1L << order;
        if (d.totPages() + pages > d.maxPages()) {
            return -1;
        }
        long[] mfns = allocate(d, pages, maxMfnExclusive);
        return mfns == null ? -1 : mfns[0];
    }

    private static long[] allocate(Domain d, long pages, long maxMfnExclusive) {
        FrameAllocator m = d.machine();
        long[] mfns = new long[(int) pages];
        for (int j = 0; j < pages; j++) {
            long mfn = m.allocate(d.domid());
            if (mfn < 0 || mfn >= maxMfnExclusive) {
                if (mfn >= 0) {
                    m.free(mfn);
                }
                for (int k = 0; k < j; k++) {
                    m.free(mfns[k]);
                }
                return null;
            }
            mfns[j] = mfn;
        }
        return mfns;
    }

    /**
     * guest_remove_page: releases the domain's RAM frame at gfn. False for a hole, a grant mapping (the
     * frame is not the domain's) or a Xen frame (shared_info, grant frames). A frame another domain still
     * has grant-mapped is freed when that mapping goes.
     */
    public static boolean removeRam(Domain d, long gfn) {
        P2m p2m = d.p2m();
        long mfn = p2m.lookup(gfn);
        P2m.Type t = p2m.type(gfn);
        if (mfn == P2m.INVALID_MFN || t.isGrant() || d.machine().owner(mfn) != d.domid()) {
            return false;
        }
        p2m.remove(gfn);
        d.machine().free(mfn);
        return true;
    }

    /** True when gfn holds a RAM frame the domain owns and nobody else references (steal_page succeeds). */
    public static boolean isStealable(Domain d, long gfn) {
        long mfn = d.p2m().lookup(gfn);
        P2m.Type t = d.p2m().type(gfn);
        return mfn != P2m.INVALID_MFN && !t.isGrant() && d.machine().owner(mfn) == d.domid()
                && d.machine().refs(mfn) == 0;
    }

    /**
     * gnttab_grow_table: grant frames (Xen's, zeroed) until the table has {@code frames}; false when that
     * passes max_nr_grant_frames or the machine is out of frames.
     */
    public static boolean growGrantTable(Domain d, int frames) {
        if (frames > GrantTable.MAX_NR_GRANT_FRAMES) {
            return false;
        }
        while (d.grantFrameMfns().size() < frames) {
            long mfn = d.machine().allocate(Xen.DOMID_XEN);
            if (mfn < 0) {
                return false;
            }
            d.grantFrameMfns().add(mfn);
        }
        return true;
    }

    /**
     * xenmem_add_to_physmap_one for spaces shared_info, grant_table and gmfn (§11.3): finds the frame,
     * releases whatever was at gpfn (a RAM page is freed, a Xen frame unhooked), unmaps the frame from its
     * old gfn and maps it at gpfn. Returns 0 or -EINVAL.
     */
    public static int addToPhysmap(Domain d, int space, long idx, long gpfn) {
        P2m p2m = d.p2m();
        long mfn = -1;
        switch (space) {
            case Memory.XENMAPSPACE_shared_info:
                if (idx == 0) {
                    mfn = d.sharedInfoMfn();
                }
                break;
            case Memory.XENMAPSPACE_grant_table:
                // v2 status frames (idx | XENMAPIDX_grant_table_status) are not implemented: such an idx is
                // never below the frame count, so it is -EINVAL like any bad idx.
                if (idx >= d.grantFrameMfns().size() && idx < GrantTable.MAX_NR_GRANT_FRAMES) {
                    growGrantTable(d, (int) idx + 1);
                }
                if (idx >= 0 && idx < d.grantFrameMfns().size()) {
                    mfn = d.grantFrameMfns().get((int) idx);
                }
                break;
            case Memory.XENMAPSPACE_gmfn: {
                // get_page_from_pagenr(idx, d): the domain's own RAM frame at gfn idx.
                P2m.Type t = p2m.type(idx);
                long m = p2m.lookup(idx);
                if (m != P2m.INVALID_MFN && !t.isGrant() && d.machine().owner(m) == d.domid()) {
                    mfn = m;
                }
                break;
            }
            default:
                break;
        }
        if (mfn < 0 || gpfn < 0 || gpfn >= MAX_GFN) {
            return -org.pvhconf.xen.abi.Errno.EINVAL;
        }
        long prev = p2m.lookup(gpfn);
        if (prev == mfn) {
            return 0; // already there: nothing to move (the reference's choice; see the issue note)
        }
        if (prev != P2m.INVALID_MFN) {
            if (p2m.type(gpfn).isGrant()) {
                d.crash(String.format("add_to_physmap over the grant mapping at gfn 0x%x", gpfn));
                return -org.pvhconf.xen.abi.Errno.EINVAL;
            }
            if (d.machine().owner(prev) == d.domid()) {
                removeRam(d, gpfn);        // normal domain memory is freed, so it does not leak
            } else {
                p2m.remove(gpfn);          // a Xen frame is only unhooked
            }
        }
        long old = p2m.gfnOf(mfn);
        if (old >= 0) {
            p2m.remove(old);
        }
        p2m.set(gpfn, mfn, P2m.Type.RAM_RW);
        return 0;
    }
}
