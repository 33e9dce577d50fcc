package org.pvhconf.x86.jit;

import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.mmu.Mmu;

/**
 * The memory accesses translated code makes: small direct-mapped page caches for reads and for writes in front
 * of {@link org.pvhconf.x86.sem.Env#read}/{@link org.pvhconf.x86.sem.Env#write} (the MMU, with all
 * its checks, on a miss). A page enters a cache only after an access through the MMU succeeded, for
 * ES/CS/SS/DS (no base in 64-bit mode) and, for writes, only if no translation lives in it, so the
 * write watch still sees every store to code. The engine empties both caches whenever anything that
 * decides an access (CPL, paging, the TLB, the watch) may have changed: at each run, each
 * interpreted instruction, each flush, and each new code frame.
 */
public final class JitRuntime {
    /** ES, CS, SS, DS: segments without a base in 64-bit mode. */
    private static final int FLAT_SEGMENTS = 4;

    private JitRuntime() {
    }

    public static long read(JitContext c, int seg, long addr, int size) {
        int off = (int) addr & 0xFFF;
        long page = addr >>> 12;
        int i = (int) page & (JitContext.PAGES - 1);
        if (c.readTag[i] == (page ^ c.pageGen) && seg < FLAT_SEGMENTS && off + (size >>> 3) <= 4096) {
            return Mmu.get(c.readFrame[i], off, size);
        }
        long v = c.env.read(seg, addr, size);
        if (seg < FLAT_SEGMENTS && off + (size >>> 3) <= 4096) {
            c.readFrame[i] = c.env.mmu.frame(addr, GuestPhysMemory.READ, c.env.user());
            c.readTag[i] = page ^ c.pageGen;
        }
        return v;
    }

    public static void write(JitContext c, int seg, long addr, int size, long value) {
        int off = (int) addr & 0xFFF;
        long page = addr >>> 12;
        int i = (int) page & (JitContext.PAGES - 1);
        if (c.writeTag[i] == (page ^ c.pageGen) && seg < FLAT_SEGMENTS && off + (size >>> 3) <= 4096) {
            Mmu.put(c.writeFrame[i], off, size, value);
            return;
        }
        c.env.write(seg, addr, size, value);
        if (seg < FLAT_SEGMENTS && off + (size >>> 3) <= 4096) {
            boolean user = c.env.user();
            long gfn = c.env.mmu.physical(addr, GuestPhysMemory.WRITE, user) >>> 12;
            if (!c.engine.watched(gfn)) {
                c.writeFrame[i] = c.env.mmu.frame(addr, GuestPhysMemory.WRITE, user);
                c.writeTag[i] = page ^ c.pageGen;
            }
        }
    }
}
