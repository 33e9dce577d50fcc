package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Memory.*;

import java.util.List;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_memory_op + arch_memory_op, unfiltered for PVH (§11). The op is {@code cmd & MEMOP_CMD_MASK}; the
 * bits above carry a continuation's start_extent. Implemented so far: the reservation queries, the
 * memory map, maximum_ram_page, machphys_mapping, machine_memory_map; the rest answer -ENOSYS for now.
 */
public final class MemoryOp implements Hypercall {
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
        switch (op) {
            case XENMEM_maximum_ram_page:
                return maxPage;
            case XENMEM_current_reservation:
            case XENMEM_maximum_reservation:
            case XENMEM_maximum_gpfn:
                return reservation(ctx, op, arg);
            case XENMEM_memory_map:
                return memoryMap(ctx, arg);
            case XENMEM_machine_memory_map:
                return ctx.xsmPriv() ? -Errno.ENOSYS : -Errno.EPERM; // privileged only
            case XENMEM_machphys_mapping: {
                byte[] m = new byte[MACHPHYS_MAPPING_SIZE];
                LittleEndian.put64(m, 0, MACH2PHYS_VIRT_START);
                LittleEndian.put64(m, 8, MACH2PHYS_VIRT_END);
                LittleEndian.put64(m, 16, MACHPHYS_MAX_MFN);
                return ctx.copyTo(arg, m) ? 0 : -Errno.EFAULT;
            }
            default:
                return -Errno.ENOSYS; // not implemented yet in this reference (see the issue note)
        }
    }

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
}
