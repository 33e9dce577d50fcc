package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.GrantTable.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Memory;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.grant.GrantState;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;
import org.pvhconf.xen.mm.Physmap;

/**
 * do_grant_table_op (§12.3), grant tables v1: {@code (cmd, uop, count)}. The array ops (map, unmap, copy,
 * swap) handle {@code count} structs, each with its own in-struct GNTST status; a fault copying a struct is
 * -EFAULT for the call. Every {@link MemoryOp#PREEMPT_EXTENTS} structs a long array is preempted and continues
 * with uop advanced and count reduced (§1.2). A PVH mapper's host_addr is a guest-physical address: the
 * granted frame goes into its p2m with a grant type (create_grant_p2m_mapping).
 *
 * <p>Version 2 tables can be selected with set_version, but map and copy of a v2 granter's entries answer
 * GNTST_general_error: this reference implements the v1 entry format only.
 */
public final class GrantTableOp implements Hypercall {
    private static final int PREEMPT_OPS = MemoryOp.PREEMPT_EXTENTS;

    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        long uop = a[1];
        int count = (int) a[2];
        if (count < 0) {
            return -Errno.EINVAL;
        }
        switch (cmd) {
            case GNTTABOP_query_size:
                return count != 1 ? -Errno.EINVAL : querySize(ctx, uop);
            case GNTTABOP_setup_table:
                return count != 1 ? -Errno.EINVAL : setupTable(ctx, uop);
            case GNTTABOP_set_version:
                return setVersion(ctx, uop);
            case GNTTABOP_get_version:
                return getVersion(ctx, uop);
            case GNTTABOP_map_grant_ref:
                return array(ctx, cmd, uop, count, MAP_GRANT_REF_SIZE, GrantTableOp::mapGrantRef);
            case GNTTABOP_unmap_grant_ref:
                return array(ctx, cmd, uop, count, UNMAP_GRANT_REF_SIZE, GrantTableOp::unmapGrantRef);
            case GNTTABOP_copy:
                return array(ctx, cmd, uop, count, COPY_SIZE, GrantTableOp::copy);
            case GNTTABOP_swap_grant_ref:
                return array(ctx, cmd, uop, count, SWAP_GRANT_REF_SIZE, GrantTableOp::swap);
            default:
                return -Errno.ENOSYS;
        }
    }

    private interface Worker {
        /** Acts on one struct in place (its status field included). */
        void apply(HypercallContext ctx, byte[] op);
    }

    private static long array(HypercallContext ctx, int cmd, long uop, int count, int size, Worker w) {
        for (int i = 0; i < count; i++) {
            if (i != 0 && i % PREEMPT_OPS == 0) {
                return ctx.createContinuation(cmd, uop + (long) i * size, count - i);
            }
            long va = uop + (long) i * size;
            byte[] op = ctx.copyFrom(va, size);
            if (op == null) {
                return -Errno.EFAULT;
            }
            w.apply(ctx, op);
            if (ctx.domain().isShutdown()) {
                return 0; // the worker crashed the caller
            }
            if (!ctx.copyTo(va, op)) {
                return -Errno.EFAULT;
            }
        }
        return 0;
    }

    // ---- the shared entries (v1: flags u16 @0, domid u16 @2, frame u32 @4) ----

    private static int nrEntries(Domain d) {
        return d.grantFrameMfns().size() * ENTRIES_PER_FRAME_V1;
    }

    private static byte[] entryFrame(Domain d, long ref) {
        return d.machine().frame(d.grantFrameMfns().get((int) (ref / ENTRIES_PER_FRAME_V1)));
    }

    private static int entryOffset(long ref) {
        return (int) (ref % ENTRIES_PER_FRAME_V1) * GRANT_ENTRY_V1_SIZE;
    }

    /** _set_status_v1's checks: a permit_access entry for {@code grantee}, and not read-only for a writer. */
    private static int checkEntry(Domain rd, int ref, int grantee, boolean readonly) {
        byte[] f = entryFrame(rd, ref);
        int o = entryOffset(ref);
        int flags = LittleEndian.u16(f, o + GRANT_ENTRY_flags);
        if ((flags & GTF_type_mask) != GTF_permit_access || LittleEndian.u16(f, o + GRANT_ENTRY_domid) != grantee) {
            return GNTST_general_error;
        }
        if (!readonly && (flags & GTF_readonly) != 0) {
            return GNTST_general_error; // an attempt to write-pin a read-only grant
        }
        return GNTST_okay;
    }

    /** GTF_reading while any pin is held, GTF_writing while a writable pin is held; the other flags kept. */
    private static void syncBusyFlags(Domain rd, int ref, boolean transientRead, boolean transientWrite) {
        GrantState.Active act = rd.grants().active(ref);
        boolean writing = transientWrite || (act != null && act.writePins > 0);
        boolean reading = transientRead || writing || (act != null && act.pinned());
        byte[] f = entryFrame(rd, ref);
        int o = entryOffset(ref);
        int flags = LittleEndian.u16(f, o) & ~(GTF_reading | GTF_writing);
        LittleEndian.put16(f, o, flags | (reading ? GTF_reading : 0) | (writing ? GTF_writing : 0));
    }

    /** __get_paged_frame: the frame a non-grant p2m entry of {@code d} maps at gfn, or -1. */
    private static long pagedFrame(Domain d, long gfn, boolean writable) {
        P2m.Type t = d.p2m().type(gfn);
        if (t == null || t.isGrant() || (writable && !t.writable())) {
            return -1;
        }
        return d.p2m().lookup(gfn);
    }

    /** The frame behind ref for a new pin by {@code grantee}: a GNTST code (negative) or the mfn. */
    private static long acquire(Domain rd, int ref, int grantee, boolean readonly) {
        if (ref < 0 || ref >= nrEntries(rd)) {
            return GNTST_bad_gntref;
        }
        if (rd.grantVersion() != 1) {
            return GNTST_general_error;
        }
        GrantState.Active act = rd.grants().active(ref);
        if (act != null && act.grantee != grantee) {
            return GNTST_general_error; // pinned by another domain
        }
        if (act == null || (!readonly && act.writePins == 0)) {
            int st = checkEntry(rd, ref, grantee, readonly);
            if (st != GNTST_okay) {
                return st;
            }
        }
        if (act != null) {
            return act.mfn;
        }
        long gfn = LittleEndian.u32(entryFrame(rd, ref), entryOffset(ref) + GRANT_ENTRY_frame);
        long mfn = pagedFrame(rd, gfn, false);
        return mfn < 0 ? GNTST_bad_page : mfn;
    }

    // ---- map_grant_ref / unmap_grant_ref ----

    private static void mapGrantRef(HypercallContext ctx, byte[] op) {
        int status = map(ctx, op);
        LittleEndian.put16(op, MAP_status, status);
    }

    private static int map(HypercallContext ctx, byte[] op) {
        Domain ld = ctx.domain();
        long hostAddr = LittleEndian.u64(op, MAP_host_addr);
        int flags = (int) LittleEndian.u32(op, MAP_flags);
        int ref = (int) LittleEndian.u32(op, MAP_ref);
        if ((flags & (GNTMAP_device_map | GNTMAP_host_map)) == 0) {
            return GNTST_bad_gntref; // 4.4 reports bad flags this way
        }
        if ((flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) != 0) {
            return GNTST_general_error; // no device or PTE mappings for an external-paging domain
        }
        Domain rd = ctx.domainById(LittleEndian.u16(op, MAP_dom));
        if (rd == null) {
            return GNTST_bad_domain;
        }
        if (ld.grants().mappedCount() >= GrantState.MAPTRACK_LIMIT) {
            return GNTST_no_device_space;
        }
        boolean readonly = (flags & GNTMAP_readonly) != 0;
        long mfn = acquire(rd, ref, ld.domid(), readonly);
        if (mfn < 0) {
            return (int) mfn;
        }
        int eflags = LittleEndian.u16(entryFrame(rd, ref), entryOffset(ref));
        // create_grant_p2m_mapping (§12.3): exactly host_map [| readonly], and no cache attributes.
        if ((eflags & (GTF_PAT | GTF_PWT | GTF_PCD)) != 0 || (flags & ~GNTMAP_readonly) != GNTMAP_host_map) {
            return GNTST_general_error;
        }
        long gfn = hostAddr >>> Xen.PAGE_SHIFT;
        if (gfn >= Physmap.MAX_GFN) {
            return GNTST_general_error;
        }
        P2m p2m = ld.p2m();
        P2m.Type old = p2m.type(gfn);
        if (old != null && old.isGrant()) {
            ld.crash(String.format("map_grant_ref over the grant mapping at gfn 0x%x", gfn));
            return GNTST_general_error;
        }
        int handle = ld.grants().newHandle(new GrantState.Mapping(rd.domid(), ref, gfn, mfn, readonly));
        if (handle < 0) {
            return GNTST_no_device_space;
        }
        GrantState.Active act = rd.grants().activate(ref, mfn,
                LittleEndian.u32(entryFrame(rd, ref), entryOffset(ref) + GRANT_ENTRY_frame), ld.domid());
        if (readonly) {
            act.readPins++;
        } else {
            act.writePins++;
        }
        syncBusyFlags(rd, ref, false, false);
        ld.machine().get(mfn);
        // Whatever was at gfn is replaced: a Xen frame is unhooked, a RAM frame stays the domain's, mapped
        // nowhere, as guest_physmap_add_entry leaves it.
        p2m.set(gfn, mfn, readonly ? P2m.Type.GRANT_RO : P2m.Type.GRANT_RW);
        LittleEndian.put32(op, MAP_handle, handle);
        LittleEndian.put64(op, MAP_dev_bus_addr, 0);
        return GNTST_okay;
    }

    private static void unmapGrantRef(HypercallContext ctx, byte[] op) {
        LittleEndian.put16(op, UNMAP_status, unmap(ctx, op));
    }

    private static int unmap(HypercallContext ctx, byte[] op) {
        Domain ld = ctx.domain();
        long handle = LittleEndian.u32(op, UNMAP_handle);
        GrantState.Mapping m = ld.grants().mapping(handle);
        if (m == null) {
            return GNTST_bad_handle;
        }
        long devBusAddr = LittleEndian.u64(op, UNMAP_dev_bus_addr);
        if (devBusAddr != 0 && devBusAddr != m.mfn() << Xen.PAGE_SHIFT) {
            return GNTST_general_error; // the bus address does not match the grant
        }
        long hostAddr = LittleEndian.u64(op, UNMAP_host_addr);
        if (hostAddr == 0) {
            return GNTST_okay; // 4.4: a zero host_addr leaves the host mapping in place
        }
        long gfn = hostAddr >>> Xen.PAGE_SHIFT;
        P2m.Type t = ld.p2m().type(gfn);
        if (t == null || !t.isGrant() || ld.p2m().lookup(gfn) != m.mfn()) {
            return GNTST_general_error; // replace_grant_p2m_mapping: no such grant mapping at host_addr
        }
        ld.p2m().remove(gfn);
        ld.grants().releaseHandle((int) handle);
        Domain rd = ctx.domainById(m.granterDomid());
        if (rd != null) {
            GrantState.Active act = rd.grants().active(m.ref());
            if (act != null) {
                if (m.readonly()) {
                    act.readPins--;
                } else {
                    act.writePins--;
                }
                syncBusyFlags(rd, m.ref(), false, false);
                rd.grants().deactivateIfUnpinned(m.ref());
            }
        }
        ld.machine().put(m.mfn());
        return GNTST_okay;
    }

    // ---- copy ----

    private static void copy(HypercallContext ctx, byte[] op) {
        LittleEndian.put16(op, COPY_status, doCopy(ctx, op));
    }

    private static int doCopy(HypercallContext ctx, byte[] op) {
        int len = LittleEndian.u16(op, COPY_len);
        int flags = LittleEndian.u16(op, COPY_flags);
        int srcOff = LittleEndian.u16(op, COPY_source + COPY_PTR_offset);
        int dstOff = LittleEndian.u16(op, COPY_dest + COPY_PTR_offset);
        if (srcOff + len > Xen.PAGE_SIZE || dstOff + len > Xen.PAGE_SIZE) {
            return GNTST_bad_copy_arg;
        }
        boolean srcGref = (flags & GNTCOPY_source_gref) != 0;
        boolean dstGref = (flags & GNTCOPY_dest_gref) != 0;
        int srcDom = LittleEndian.u16(op, COPY_source + COPY_PTR_domid);
        int dstDom = LittleEndian.u16(op, COPY_dest + COPY_PTR_domid);
        if ((srcDom != Xen.DOMID_SELF && !srcGref) || (dstDom != Xen.DOMID_SELF && !dstGref)) {
            return GNTST_permission_denied; // copy by gmfn only for DOMID_SELF
        }
        Domain sd = srcDom == Xen.DOMID_SELF ? ctx.domain() : ctx.domainById(srcDom);
        Domain dd = dstDom == Xen.DOMID_SELF ? ctx.domain() : ctx.domainById(dstDom);
        if (sd == null || dd == null) {
            return GNTST_bad_domain;
        }
        int me = ctx.domain().domid();
        long srcU = LittleEndian.u64(op, COPY_source + COPY_PTR_u);
        long dstU = LittleEndian.u64(op, COPY_dest + COPY_PTR_u);
        long sMfn = srcGref ? acquire(sd, (int) srcU, me, true) : orBadPage(pagedFrame(sd, srcU, false));
        if (sMfn < 0) {
            return (int) sMfn;
        }
        if (srcGref) {
            syncBusyFlags(sd, (int) srcU, true, false);
        }
        long dMfn = dstGref ? acquire(dd, (int) dstU, me, false) : orBadPage(pagedFrame(dd, dstU, true));
        if (dMfn >= 0) {
            if (dstGref) {
                syncBusyFlags(dd, (int) dstU, true, true);
            }
            System.arraycopy(ctx.domain().machine().frame(sMfn), srcOff, ctx.domain().machine().frame(dMfn), dstOff, len);
            if (dstGref) {
                syncBusyFlags(dd, (int) dstU, false, false);
            }
        }
        if (srcGref) {
            syncBusyFlags(sd, (int) srcU, false, false);
        }
        return dMfn < 0 ? (int) dMfn : GNTST_okay;
    }

    private static long orBadPage(long mfn) {
        return mfn < 0 ? GNTST_bad_page : mfn;
    }

    // ---- swap_grant_ref ----

    private static void swap(HypercallContext ctx, byte[] op) {
        Domain d = ctx.domain();
        long a = LittleEndian.u32(op, 0);
        long b = LittleEndian.u32(op, 4);
        int status;
        if (a >= nrEntries(d) || b >= nrEntries(d)) {
            status = GNTST_bad_gntref;
        } else if (d.grants().active((int) a) != null || d.grants().active((int) b) != null) {
            status = GNTST_eagain; // a pinned entry is busy
        } else {
            byte[] fa = entryFrame(d, a);
            byte[] fb = entryFrame(d, b);
            byte[] tmp = new byte[GRANT_ENTRY_V1_SIZE];
            System.arraycopy(fa, entryOffset(a), tmp, 0, GRANT_ENTRY_V1_SIZE);
            System.arraycopy(fb, entryOffset(b), fa, entryOffset(a), GRANT_ENTRY_V1_SIZE);
            System.arraycopy(tmp, 0, fb, entryOffset(b), GRANT_ENTRY_V1_SIZE);
            status = GNTST_okay;
        }
        LittleEndian.put16(op, 8, status);
    }

    // ---- setup_table, query_size, set_version, get_version ----

    /**
     * gnttab_setup_table: count must be 1 (-EINVAL); nr_frames above max_nr_grant_frames is GNTST_general_error;
     * frame_list gets, per frame, the gfn where the domain has mapped it, or INVALID_M2P_ENTRY while it is
     * mapped nowhere (for a translated domain the gmfns mean something only after add_to_physmap, §12.3).
     */
    private static long setupTable(HypercallContext ctx, long uop) {
        byte[] s = ctx.copyFrom(uop, SETUP_TABLE_SIZE);
        if (s == null) {
            return -Errno.EFAULT;
        }
        long nrFrames = LittleEndian.u32(s, SETUP_TABLE_nr_frames);
        int status;
        Domain d = ctx.domainByAnyId(LittleEndian.u16(s, SETUP_TABLE_dom));
        if (nrFrames > MAX_NR_GRANT_FRAMES) {
            status = GNTST_general_error;
        } else if (d == null) {
            status = GNTST_bad_domain;
        } else if (!ctx.xsmTarget(d)) {
            status = GNTST_permission_denied;
        } else if (nrFrames > d.grantFrameMfns().size() && !Physmap.growGrantTable(d, (int) nrFrames)) {
            status = GNTST_general_error;
        } else {
            status = GNTST_okay;
            long list = LittleEndian.u64(s, SETUP_TABLE_frame_list);
            for (int i = 0; i < nrFrames; i++) {
                long gfn = d.p2m().gfnOf(d.grantFrameMfns().get(i));
                byte[] g = new byte[8];
                LittleEndian.put64(g, 0, gfn < 0 ? Memory.INVALID_M2P_ENTRY : gfn);
                if (!ctx.copyTo(list + i * 8L, g)) {
                    status = GNTST_bad_virt_addr;
                }
            }
        }
        LittleEndian.put16(s, SETUP_TABLE_status, status);
        return ctx.copyTo(uop + SETUP_TABLE_status, s, SETUP_TABLE_status, 2) ? 0 : -Errno.EFAULT;
    }

    /** gnttab_query_size: errors go into status; the call itself returns 0 unless a copy faults. */
    private static long querySize(HypercallContext ctx, long uop) {
        byte[] q = ctx.copyFrom(uop, QUERY_SIZE_SIZE);
        if (q == null) {
            return -Errno.EFAULT;
        }
        Domain d = ctx.domainByAnyId(LittleEndian.u16(q, QUERY_SIZE_dom));
        int status;
        if (d == null) {
            status = GNTST_bad_domain;
        } else if (!ctx.xsmTarget(d)) {
            status = GNTST_permission_denied;
        } else {
            LittleEndian.put32(q, QUERY_SIZE_nr_frames, d.grantFrameMfns().size());
            LittleEndian.put32(q, QUERY_SIZE_max_nr_frames, MAX_NR_GRANT_FRAMES);
            status = GNTST_okay;
        }
        LittleEndian.put16(q, QUERY_SIZE_status, status);
        return ctx.copyTo(uop, q) ? 0 : -Errno.EFAULT;
    }

    /**
     * gnttab_set_version: 1 or 2, else -EINVAL; -EBUSY while a non-reserved entry is pinned. The version
     * in force is written back whatever the result.
     */
    private static long setVersion(HypercallContext ctx, long uop) {
        byte[] b = ctx.copyFrom(uop, SET_VERSION_SIZE);
        if (b == null) {
            return -Errno.EFAULT;
        }
        long v = LittleEndian.u32(b, 0);
        Domain d = ctx.domain();
        long rc = 0;
        if (v != 1 && v != 2) {
            rc = -Errno.EINVAL;
        } else if (v != d.grantVersion()) {
            if (d.grants().anyPinnedFrom(GNTTAB_NR_RESERVED_ENTRIES)) {
                rc = -Errno.EBUSY;
            } else {
                d.setGrantVersion((int) v);
            }
        }
        LittleEndian.put32(b, 0, d.grantVersion());
        return ctx.copyTo(uop, b) ? rc : -Errno.EFAULT;
    }

    /** gnttab_get_version: -EFAULT, -ESRCH, XSM_TARGET -EPERM, else the version. */
    private static long getVersion(HypercallContext ctx, long uop) {
        byte[] b = ctx.copyFrom(uop, GET_VERSION_SIZE);
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
        LittleEndian.put32(b, 4, d.grantVersion());
        return ctx.copyTo(uop, b) ? 0 : -Errno.EFAULT;
    }
}
