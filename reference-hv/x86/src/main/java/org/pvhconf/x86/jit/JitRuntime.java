package org.pvhconf.x86.jit;

import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.mmu.Mmu;
import org.pvhconf.x86.sem.Flags;

/**
 * What translated code calls at run time.
 *
 * <h2>Memory</h2>
 * A region keeps the last page it read and the last page it wrote in locals (tag and frame), and
 * accesses them inline ({@link Mmu#get8} and the like); on a miss it calls {@link #read}/{@link #write}, which answer from small
 * direct-mapped page caches in front of {@link org.pvhconf.x86.sem.Env#read}/{@link
 * org.pvhconf.x86.sem.Env#write} (the MMU, with all its checks) and leave in
 * {@link JitContext#lastPage}/{@link JitContext#lastFrame} the page the caller may keep (-1: none).
 * A page is cached only after an access through the MMU succeeded, for ES/CS/SS/DS (no base in
 * 64-bit mode), without alignment checking, within the page, and, for writes, only if no translation
 * lives in it, so the write watch still sees every store to code. The engine empties the caches
 * whenever anything that decides an access (CPL, paging, the TLB, the watch) may have changed: at
 * each run, each interpreted instruction, each flush, and each new code frame; none of those can
 * happen inside a translation, so a region's locals live as long as one entry.
 *
 * <h2>Flags across edges</h2>
 * {@link #applyCc} computes the arithmetic flags a region carried across an internal edge as
 * (operation, operands) instead of computing them (QEMU's {@code cc_op}).
 */
public final class JitRuntime {
    /** ES, CS, SS, DS: segments without a base in 64-bit mode. */
    private static final int FLAT_SEGMENTS = 4;

    /** Operations a region carries across an edge ({@code CC_OP}); the operands are their {@link Flags} arguments. */
    static final int CC_NONE = 0, CC_SUB = 1, CC_ADD = 2, CC_LOGIC = 3, CC_INC = 4, CC_DEC = 5;

    private JitRuntime() {
    }

    public static long read(JitContext c, int seg, long addr, int size) {
        int off = (int) addr & 0xFFF;
        long page = addr >>> 12;
        int i = (int) page & (JitContext.PAGES - 1);
        boolean cacheable = seg < FLAT_SEGMENTS && off + (size >>> 3) <= 4096;
        if (c.readTag[i] == (page ^ c.pageGen) && cacheable) {
            c.lastPage = page;
            c.lastFrame = c.readFrame[i];
            return Mmu.get(c.readFrame[i], off, size);
        }
        long v = c.env.read(seg, addr, size);
        c.lastPage = -1;
        if (cacheable && !c.env.alignmentChecked()) {
            byte[] f = c.env.mmu.frame(addr, GuestPhysMemory.READ, c.env.user());
            c.readFrame[i] = f;
            c.readTag[i] = page ^ c.pageGen;
            c.lastPage = page;
            c.lastFrame = f;
        }
        return v;
    }

    public static void write(JitContext c, int seg, long addr, int size, long value) {
        int off = (int) addr & 0xFFF;
        long page = addr >>> 12;
        int i = (int) page & (JitContext.PAGES - 1);
        boolean cacheable = seg < FLAT_SEGMENTS && off + (size >>> 3) <= 4096;
        if (c.writeTag[i] == (page ^ c.pageGen) && cacheable) {
            c.lastPage = page;
            c.lastFrame = c.writeFrame[i];
            Mmu.put(c.writeFrame[i], off, size, value);
            return;
        }
        c.env.write(seg, addr, size, value);
        c.lastPage = -1;
        if (cacheable && !c.env.alignmentChecked()) {
            boolean user = c.env.user();
            long gfn = c.env.mmu.physical(addr, GuestPhysMemory.WRITE, user) >>> 12;
            if (!c.engine.watched(gfn)) {
                byte[] f = c.env.mmu.frame(addr, GuestPhysMemory.WRITE, user);
                c.writeFrame[i] = f;
                c.writeTag[i] = page ^ c.pageGen;
                c.lastPage = page;
                c.lastFrame = f;
            }
        }
    }

    /** CF (bit 0) of {@link #applyCc}, without computing the other flags: what INC and DEC keep. */
    public static long carriedCf(long rflags, int op, long a, long b, long c, long d) {
        return switch (op) {
            case CC_SUB -> Flags.subB(a, b, c, d);
            case CC_ADD -> Flags.addB(a, b, c, d);
            case CC_LOGIC -> 0;
            case CC_INC, CC_DEC -> d & RFlags.CF;
            default -> rflags & RFlags.CF;
        };
    }

    /**
     * RFLAGS with the arithmetic flags of the carried operation {@code op} applied; {@code a..d} are
     * the arguments of its {@link Flags} helper ({@link #CC_NONE}: RFLAGS unchanged).
     */
    public static long applyCc(long rflags, int op, long a, long b, long c, long d) {
        long f;
        switch (op) {
            case CC_SUB -> f = Flags.sub(a, b, c, d);
            case CC_ADD -> f = Flags.add(a, b, c, d);
            case CC_LOGIC -> f = Flags.logic(a, b);
            case CC_INC -> f = Flags.inc(a, b, c, d);
            case CC_DEC -> f = Flags.dec(a, b, c, d);
            default -> {
                return rflags;
            }
        }
        return rflags & ~RFlags.ARITH | f & RFlags.ARITH | 2;
    }
}
