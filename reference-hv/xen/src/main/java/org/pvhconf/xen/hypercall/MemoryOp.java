package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Memory.*;

import java.util.List;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;
import org.pvhconf.xen.mm.Physmap;

/**
 * do_memory_op + arch_memory_op, unfiltered for PVH (§11). The op is {@code cmd & MEMOP_CMD_MASK}; the
 * bits above carry a continuation's start_extent (§11.1). Each case copies its struct in, calls a worker
 * of {@link Physmap} and copies results out.
 *
 * <p>Preemption is deterministic: a reservation op or exchange checks for preemption every
 * {@link #PREEMPT_EXTENTS} extents (chunks), and a gmfn_range every {@link #PREEMPT_EXTENTS} pages, never
 * before the first; a preempted call becomes a continuation (§1.2).
 */
public final class MemoryOp implements Hypercall {
    /** Extents done per call before hypercall_preempt_check() says yes: the reference's choice. */
    public static final int PREEMPT_EXTENTS = 64;

    private final long maxPage;

    /** @param maxPage the host's max_page (XENMEM_maximum_ram_page) */
    public MemoryOp(long maxPage) {
        this.maxPage = maxPage;
    }

    @Override
    public long call(HypercallContext ctx, long[] a) {
        long cmd = a[0];
        long arg = a[1];
        int op = (int) (cmd & MEMOP_CMD_MASK);
        long startExtent = cmd >>> MEMOP_EXTENT_SHIFT;
        switch (op) {
            case XENMEM_increase_reservation:
            case XENMEM_decrease_reservation:
            case XENMEM_populate_physmap:
                return reservationOp(ctx, op, startExtent, arg);
            case XENMEM_exchange:
                return exchange(ctx, arg);
            case XENMEM_maximum_ram_page:
                return maxPage;
            case XENMEM_current_reservation:
            case XENMEM_maximum_reservation:
            case XENMEM_maximum_gpfn:
                return reservation(ctx, op, arg);
            case XENMEM_machphys_mfn_list:
                return machphysMfnList(ctx, arg);
            case XENMEM_add_to_physmap:
                return addToPhysmap(ctx, op, arg);
            case XENMEM_add_to_physmap_batch:
                return addToPhysmapBatch(ctx, arg);
            case XENMEM_remove_from_physmap:
                return removeFromPhysmap(ctx, arg);
            case XENMEM_memory_map:
                return memoryMap(ctx, arg);
            case XENMEM_set_memory_map:
                return setMemoryMap(ctx, arg);
            case XENMEM_machine_memory_map:
                return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM; // privileged only
            case XENMEM_machphys_mapping: {
                byte[] m = new byte[MACHPHYS_MAPPING_SIZE];
                LittleEndian.put64(m, 0, MACH2PHYS_VIRT_START);
                LittleEndian.put64(m, 8, MACH2PHYS_VIRT_END);
                LittleEndian.put64(m, 16, MACHPHYS_MAX_MFN);
                return ctx.copyTo(arg, m) ? 0 : -Errno.EFAULT;
            }
            case XENMEM_claim_pages:
                return claimPages(ctx, arg);
            case XENMEM_set_pod_target:
            case XENMEM_get_pod_target:
                return podTarget(ctx, arg);
            case XENMEM_get_sharing_freed_pages:
            case XENMEM_get_sharing_shared_pages:
                return 0; // no memory sharing on this host
            default:
                return -Errno.ENOSYS; // paging_op, access_op, sharing_op and unknown ops (see the issue note)
        }
    }

    // ---- increase_reservation, decrease_reservation, populate_physmap (§11.3) ----

    /** Returns the number of extents done (with start_extent counted); errors are short counts, not errnos. */
    private long reservationOp(HypercallContext ctx, int op, long startExtent, long arg) {
        byte[] r = ctx.copyFrom(arg, RESERVATION_SIZE);
        if (r == null) {
            return startExtent;
        }
        long nrExtents = LittleEndian.u64(r, RESERVATION_nr_extents);
        if (Long.compareUnsigned(nrExtents, MAX_NR_EXTENTS) > 0 || Long.compareUnsigned(startExtent, nrExtents) >= 0) {
            return startExtent;
        }
        long order = LittleEndian.u32(r, RESERVATION_extent_order);
        if (order > MAX_ORDER_WITHOUT_IO_CAPS) {
            return startExtent; // multipage_allocation_permitted: no I/O capabilities
        }
        long memFlags = LittleEndian.u32(r, RESERVATION_mem_flags);
        long maxMfn = Long.MAX_VALUE;
        if (op != XENMEM_decrease_reservation) {
            int addressBits = (int) (memFlags & XENMEMF_address_bits_mask);
            if (addressBits != 0 && addressBits < 64 - Long.numberOfLeadingZeros(maxPage - 1) + Xen.PAGE_SHIFT) {
                if (addressBits <= Xen.PAGE_SHIFT) {
                    return startExtent;
                }
                maxMfn = 1L << (addressBits - Xen.PAGE_SHIFT); // MEMF_bits: frames below 2^address_bits
            }
            if (op == XENMEM_populate_physmap && (memFlags & XENMEMF_populate_on_demand) != 0) {
                return startExtent; // no populate-on-demand for PVH here (see the issue note)
            }
        }
        int domid = LittleEndian.u16(r, RESERVATION_domid);
        Domain d = domid == Xen.DOMID_SELF ? ctx.domain() : ctx.domainById(domid);
        if (d == null) {
            return startExtent;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        long list = LittleEndian.u64(r, RESERVATION_extent_start);
        long i;
        for (i = startExtent; i < nrExtents; i++) {
            if (i != startExtent && (i - startExtent) % PREEMPT_EXTENTS == 0) {
                return ctx.createContinuation(op | (i << MEMOP_EXTENT_SHIFT), arg);
            }
            if (op == XENMEM_increase_reservation) {
                long mfn = Physmap.increase(d, (int) order, maxMfn);
                if (mfn < 0) {
                    break;
                }
                if (list != 0 && !ctx.copyTo(list + i * 8, u64(mfn))) {
                    break; // the frames stay the domain's, as in Xen
                }
                continue;
            }
            byte[] e = ctx.copyFrom(list + i * 8, 8);
            if (e == null) {
                break;
            }
            long gfn = LittleEndian.u64(e, 0);
            if (op == XENMEM_populate_physmap) {
                if (!Physmap.populate(d, gfn, (int) order, maxMfn)) {
                    break;
                }
            } else if (!decrease(d, gfn, (int) order)) {
                break;
            }
        }
        return i;
    }

    private static boolean decrease(Domain d, long gfn, int order) {
        for (long j = 0; j < 1L << order; j++) {
            if (gfn + j < 0 || !Physmap.removeRam(d, gfn + j)) {
                return false;
            }
        }
        return true;
    }

    // ---- exchange (§11.3 leaves it unverified; this follows memory_exchange for a translated domain) ----

    private long exchange(HypercallContext ctx, long arg) {
        byte[] x = ctx.copyFrom(arg, MEMORY_EXCHANGE_SIZE);
        if (x == null) {
            return -Errno.EFAULT;
        }
        long inList = LittleEndian.u64(x, MEMORY_EXCHANGE_in + RESERVATION_extent_start);
        long inNr = LittleEndian.u64(x, MEMORY_EXCHANGE_in + RESERVATION_nr_extents);
        long inOrder = LittleEndian.u32(x, MEMORY_EXCHANGE_in + RESERVATION_extent_order);
        int inDomid = LittleEndian.u16(x, MEMORY_EXCHANGE_in + RESERVATION_domid);
        long outList = LittleEndian.u64(x, MEMORY_EXCHANGE_out + RESERVATION_extent_start);
        long outNr = LittleEndian.u64(x, MEMORY_EXCHANGE_out + RESERVATION_nr_extents);
        long outOrder = LittleEndian.u32(x, MEMORY_EXCHANGE_out + RESERVATION_extent_order);
        int outDomid = LittleEndian.u16(x, MEMORY_EXCHANGE_out + RESERVATION_domid);
        long exchanged = LittleEndian.u64(x, MEMORY_EXCHANGE_nr_exchanged);
        long rc;
        if (Long.compareUnsigned(exchanged, inNr) > 0 || inDomid != outDomid || inOrder >= 64 || outOrder >= 64
                || Long.compareUnsigned(-1L >>> inOrder, inNr) < 0 || Long.compareUnsigned(-1L >>> outOrder, outNr) < 0
                || inNr << inOrder != outNr << outOrder) {
            rc = -Errno.EINVAL;
        } else if (inOrder > MAX_ORDER_WITHOUT_IO_CAPS || outOrder > MAX_ORDER_WITHOUT_IO_CAPS) {
            rc = -Errno.EPERM; // multi-page extents need I/O capabilities
        } else {
            Domain d = ctx.domainByAnyId(inDomid);
            if (d == null) {
                rc = -Errno.ESRCH;
            } else if (!ctx.xsmTarget(d)) {
                rc = -Errno.EPERM;
            } else {
                long[] done = {exchanged};
                rc = exchangeChunks(ctx, d, arg, inList, inNr, (int) inOrder, outList, (int) outOrder, done);
                if (ctx.hasContinuation()) {
                    return rc;
                }
                exchanged = done[0];
            }
        }
        LittleEndian.put64(x, MEMORY_EXCHANGE_nr_exchanged, exchanged);
        if (!ctx.copyTo(arg + MEMORY_EXCHANGE_nr_exchanged, x, MEMORY_EXCHANGE_nr_exchanged, 8)) {
            return -Errno.EFAULT;
        }
        return rc;
    }

    /** One chunk = 2^max(inOrder, outOrder) pages: all its input gfns are taken before any output is mapped. */
    private long exchangeChunks(HypercallContext ctx, Domain d, long arg, long inList, long inNr, int inOrder,
                                long outList, int outOrder, long[] done) {
        int inChunk = inOrder <= outOrder ? outOrder - inOrder : 0;
        int outChunk = inOrder <= outOrder ? 0 : inOrder - outOrder;
        long first = done[0] >>> inChunk;
        for (long i = first; i < inNr >>> inChunk; i++) {
            done[0] = i << inChunk;
            if (i != first && (i - first) % PREEMPT_EXTENTS == 0) {
                byte[] n = u64(done[0]);
                if (!ctx.copyTo(arg + MEMORY_EXCHANGE_nr_exchanged, n)) {
                    return -Errno.EFAULT;
                }
                return ctx.createContinuation(XENMEM_exchange, arg);
            }
            long pages = 1L << (inChunk + inOrder);
            long[] inGfns = new long[(int) pages];
            int k = 0;
            for (long j = 0; j < 1L << inChunk; j++) {
                byte[] e = ctx.copyFrom(inList + ((i << inChunk) + j) * 8, 8);
                if (e == null) {
                    return -Errno.EFAULT;
                }
                long gfn = LittleEndian.u64(e, 0);
                for (long p = 0; p < 1L << inOrder; p++) {
                    if (gfn + p < 0 || !Physmap.isStealable(d, gfn + p)) {
                        return -Errno.EINVAL; // steal_page fails: nothing of this chunk changed
                    }
                    inGfns[k++] = gfn + p;
                }
            }
            long[] outMfns = new long[(int) pages];
            for (int p = 0; p < pages; p++) {
                outMfns[p] = d.machine().allocate(d.domid());
                if (outMfns[p] < 0) {
                    for (int q = 0; q < p; q++) {
                        d.machine().free(outMfns[q]);
                    }
                    return -Errno.ENOMEM;
                }
            }
            for (long gfn : inGfns) {
                Physmap.removeRam(d, gfn);
            }
            long rc = 0;
            int m = 0;
            for (long j = 0; j < 1L << outChunk; j++) {
                byte[] e = ctx.copyFrom(outList + ((i << outChunk) + j) * 8, 8);
                long gpfn = e == null ? -1 : LittleEndian.u64(e, 0);
                for (long p = 0; p < 1L << outOrder; p++, m++) {
                    if (e == null || gpfn + p < 0 || gpfn + p >= Physmap.MAX_GFN) {
                        rc = -Errno.EFAULT; // the frame stays the domain's, mapped nowhere
                        continue;
                    }
                    long prev = d.p2m().lookup(gpfn + p);
                    if (prev != P2m.INVALID_MFN && d.p2m().type(gpfn + p).isGrant()) {
                        d.crash(String.format("exchange over the grant mapping at gfn 0x%x", gpfn + p));
                        return -Errno.EINVAL;
                    }
                    d.p2m().set(gpfn + p, outMfns[m], P2m.Type.RAM_RW);
                }
            }
            if (rc != 0) {
                done[0] = (i + 1) << inChunk;
                return rc;
            }
        }
        done[0] = inNr;
        return 0;
    }

    // ---- queries ----

    /** §11.3: arg points to a domid_t; tot_pages, max_pages or the highest gpfn. */
    private static long reservation(HypercallContext ctx, int op, long arg) {
        byte[] b = ctx.copyFrom(arg, 2);
        if (b == null) {
            return -Errno.EFAULT;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(b, 0));
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        switch (op) {
            case XENMEM_current_reservation: return d.totPages();
            case XENMEM_maximum_reservation: return d.maxPages();
            default: return d.p2m().maxMappedGfn();
        }
    }

    /** §11.3: "works, but means nothing to PVH". This host keeps no M2P a guest could map: 0 extents. */
    private static long machphysMfnList(HypercallContext ctx, long arg) {
        byte[] l = ctx.copyFrom(arg, MACHPHYS_MFN_LIST_SIZE);
        if (l == null) {
            return -Errno.EFAULT;
        }
        LittleEndian.put32(l, MACHPHYS_MFN_LIST_nr_extents, 0);
        return ctx.copyTo(arg, l) ? 0 : -Errno.EFAULT;
    }

    // ---- add_to_physmap, add_to_physmap_batch, remove_from_physmap (§11.3) ----

    private long addToPhysmap(HypercallContext ctx, int op, long arg) {
        byte[] x = ctx.copyFrom(arg, ADD_TO_PHYSMAP_SIZE);
        if (x == null) {
            return -Errno.EFAULT;
        }
        int space = (int) LittleEndian.u32(x, ADD_TO_PHYSMAP_space);
        if (space == XENMAPSPACE_gmfn_foreign) {
            return -Errno.ENOSYS; // §11.3: batch only
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(x, ADD_TO_PHYSMAP_domid));
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        long idx = LittleEndian.u64(x, ADD_TO_PHYSMAP_idx);
        long gpfn = LittleEndian.u64(x, ADD_TO_PHYSMAP_gpfn);
        if (space != XENMAPSPACE_gmfn_range) {
            return Physmap.addToPhysmap(d, space, idx, gpfn);
        }
        // gmfn_range: page by page; the struct tracks progress. On a preemption or an error the updated struct
        // is copied back, and a preempted call continues with the same cmd (4.4's -EAGAIN path).
        int size = LittleEndian.u16(x, ADD_TO_PHYSMAP_size);
        long rc = 0;
        int done = 0;
        while (size > 0) {
            rc = Physmap.addToPhysmap(d, XENMAPSPACE_gmfn, idx, gpfn);
            if (rc < 0) {
                break;
            }
            idx++;
            gpfn++;
            size--;
            if (size > 0 && ++done % PREEMPT_EXTENTS == 0) {
                rc = -Errno.EAGAIN;
                break;
            }
        }
        if (rc != 0) {
            LittleEndian.put16(x, ADD_TO_PHYSMAP_size, size);
            LittleEndian.put64(x, ADD_TO_PHYSMAP_idx, idx);
            LittleEndian.put64(x, ADD_TO_PHYSMAP_gpfn, gpfn);
            if (!ctx.copyTo(arg, x)) {
                return -Errno.EFAULT;
            }
            if (rc == -Errno.EAGAIN) {
                return ctx.createContinuation(op, arg);
            }
        }
        return rc;
    }

    /**
     * add_to_physmap_batch (§11.3): per-entry results in errs[]; gmfn_range is -EOPNOTSUPP and a foreign
     * mapping -EINVAL per entry on x86 4.4. Returns 0 once every entry has a result.
     */
    private static long addToPhysmapBatch(HypercallContext ctx, long arg) {
        byte[] x = ctx.copyFrom(arg, ADD_TO_PHYSMAP_BATCH_SIZE);
        if (x == null) {
            return -Errno.EFAULT;
        }
        int space = LittleEndian.u16(x, ADD_TO_PHYSMAP_BATCH_space);
        if (space == XENMAPSPACE_gmfn_range) {
            return -Errno.EOPNOTSUPP;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(x, ADD_TO_PHYSMAP_BATCH_domid));
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        int size = LittleEndian.u16(x, ADD_TO_PHYSMAP_BATCH_size);
        long idxs = LittleEndian.u64(x, ADD_TO_PHYSMAP_BATCH_idxs);
        long gpfns = LittleEndian.u64(x, ADD_TO_PHYSMAP_BATCH_gpfns);
        long errs = LittleEndian.u64(x, ADD_TO_PHYSMAP_BATCH_errs);
        for (int i = 0; i < size; i++) {
            byte[] idx = ctx.copyFrom(idxs + i * 8L, 8);
            byte[] gpfn = ctx.copyFrom(gpfns + i * 8L, 8);
            if (idx == null || gpfn == null) {
                return -Errno.EFAULT;
            }
            int rc = space == XENMAPSPACE_gmfn_foreign ? -Errno.EINVAL
                    : Physmap.addToPhysmap(d, space, LittleEndian.u64(idx, 0), LittleEndian.u64(gpfn, 0));
            byte[] err = new byte[4];
            LittleEndian.put32(err, 0, rc);
            if (!ctx.copyTo(errs + i * 4L, err)) {
                return -Errno.EFAULT;
            }
        }
        return 0;
    }

    /** §11.3: 0, or -ENOENT when the gpfn is not backed by a page the domain may take a reference on. */
    private static long removeFromPhysmap(HypercallContext ctx, long arg) {
        byte[] x = ctx.copyFrom(arg, REMOVE_FROM_PHYSMAP_SIZE);
        if (x == null) {
            return -Errno.EFAULT;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(x, 0));
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        long gpfn = LittleEndian.u64(x, 8);
        P2m.Type t = d.p2m().type(gpfn);
        if (t == null || t.isGrant()) {
            return -Errno.ENOENT; // a hole, or a grant mapping (get_page_from_gfn takes RAM only)
        }
        d.p2m().remove(gpfn); // a RAM frame stays the domain's (tot_pages unchanged), a Xen frame is unhooked
        return 0;
    }

    // ---- memory maps (§6.2, §11.3) ----

    /** §11.3, §6.2: the toolstack's map, nr_entries clamped; -ENOSYS when none was set. */
    private static long memoryMap(HypercallContext ctx, long arg) {
        byte[] map = ctx.copyFrom(arg, MEMORY_MAP_SIZE);
        if (map == null) {
            return -Errno.EFAULT;
        }
        List<long[]> e820 = ctx.domain().e820();
        if (e820.isEmpty()) {
            return -Errno.ENOSYS;
        }
        long n = Math.min(LittleEndian.u32(map, MEMORY_MAP_nr_entries), e820.size());
        byte[] entries = new byte[(int) n * E820_ENTRY_SIZE];
        for (int i = 0; i < n; i++) {
            long[] e = e820.get(i);
            LittleEndian.put64(entries, i * E820_ENTRY_SIZE, e[0]);
            LittleEndian.put64(entries, i * E820_ENTRY_SIZE + 8, e[1]);
            LittleEndian.put32(entries, i * E820_ENTRY_SIZE + 16, e[2]);
        }
        if (!ctx.copyTo(LittleEndian.u64(map, MEMORY_MAP_buffer), entries)) {
            return -Errno.EFAULT;
        }
        LittleEndian.put32(map, MEMORY_MAP_nr_entries, n);
        return ctx.copyTo(arg, map) ? 0 : -Errno.EFAULT;
    }

    /** §11.3: -EFAULT, -EINVAL above 128 entries, -ESRCH, XSM_TARGET -EPERM; PVH is not HVM, so allowed. */
    private static long setMemoryMap(HypercallContext ctx, long arg) {
        byte[] f = ctx.copyFrom(arg, FOREIGN_MEMORY_MAP_SIZE);
        if (f == null) {
            return -Errno.EFAULT;
        }
        long n = LittleEndian.u32(f, FOREIGN_MEMORY_MAP_nr_entries);
        if (n > E820MAX) {
            return -Errno.EINVAL;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(f, FOREIGN_MEMORY_MAP_domid));
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        byte[] entries = ctx.copyFrom(LittleEndian.u64(f, FOREIGN_MEMORY_MAP_buffer), (int) n * E820_ENTRY_SIZE);
        if (entries == null) {
            return -Errno.EFAULT;
        }
        d.e820().clear();
        for (int i = 0; i < n; i++) {
            d.e820().add(new long[] {LittleEndian.u64(entries, i * E820_ENTRY_SIZE),
                LittleEndian.u64(entries, i * E820_ENTRY_SIZE + 8), LittleEndian.u32(entries, i * E820_ENTRY_SIZE + 16)});
        }
        return 0;
    }

    // ---- privileged ops whose argument checks come first (§11.3) ----

    private static long claimPages(HypercallContext ctx, long arg) {
        byte[] r = ctx.copyFrom(arg, RESERVATION_SIZE);
        if (r == null) {
            return -Errno.EFAULT;
        }
        if (LittleEndian.u64(r, RESERVATION_extent_start) != 0 || LittleEndian.u32(r, RESERVATION_extent_order) != 0
                || LittleEndian.u32(r, RESERVATION_mem_flags) != 0) {
            return -Errno.EINVAL;
        }
        if (ctx.domainById(LittleEndian.u16(r, RESERVATION_domid)) == null) {
            return -Errno.EINVAL; // DOMID_SELF is not translated here
        }
        return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM;
    }

    private static long podTarget(HypercallContext ctx, long arg) {
        byte[] t = ctx.copyFrom(arg, POD_TARGET_SIZE);
        if (t == null) {
            return -Errno.EFAULT;
        }
        if (ctx.domainByAnyId(LittleEndian.u16(t, POD_TARGET_domid)) == null) {
            return -Errno.ESRCH;
        }
        return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM;
    }

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        LittleEndian.put64(b, 0, v);
        return b;
    }
}
