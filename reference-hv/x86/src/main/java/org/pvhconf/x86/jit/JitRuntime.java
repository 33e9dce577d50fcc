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
 * accesses them inline ({@link Mmu#get8} and the like). When they miss, a trace that loops to
 * itself probes the context's page caches ({@link #probeRead}/{@link #probeWrite}, inlined) and,
 * when those miss too, leaves ({@link Block#MISS}): no call is on the loop's path, so HotSpot can
 * keep its values in registers; the engine fills the cache from the MMU ({@link #fill}) and runs
 * the instruction again. Other traces call {@link #read}/{@link #write}, which keeps regions
 * small. A page is cached only when the MMU allows the access, for ES/CS/SS/DS (no base in 64-bit
 * mode), without alignment checking, and, for writes, only if no translation lives in it, so every
 * store to code reaches the interpreter and the write watch. FS and GS go through {@link #read} and
 * {@link #write}.
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

    /**
     * An access that missed the region's page locals, in a trace that calls on a miss (and every FS
     * or GS access): through the page caches, else the MMU; leaves in {@link JitContext#lastPage}
     * and {@link JitContext#lastFrame} the page the region may keep from then on (-1: none).
     */
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
        keep(c, page, cacheable && !c.env.alignmentChecked() ? cache(c, addr, false) : null);
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
        keep(c, page, cacheable && !c.env.alignmentChecked() ? cache(c, addr, true) : null);
    }

    /** Tells the region to keep {@code frame} as page {@code page}'s (null: keep nothing). */
    private static void keep(JitContext c, long page, byte[] frame) {
        c.lastPage = frame != null ? page : -1;
        c.lastFrame = frame;
    }

    /**
     * Puts the page of linear {@code addr} into the read or write cache and returns its frame, or
     * null for a write to a frame holding code (never cached, so that the write watch sees every
     * store to it). Faults as the access would; the caller has checked everything but the frame.
     */
    private static byte[] cache(JitContext c, long addr, boolean write) {
        long page = addr >>> 12;
        int i = (int) page & (JitContext.PAGES - 1);
        boolean user = c.env.user();
        if (!write) {
            byte[] f = c.env.mmu.frame(addr, GuestPhysMemory.READ, user);
            c.readFrame[i] = f;
            c.readTag[i] = page ^ c.pageGen;
            return f;
        }
        // the gfn through a read translation first: a write translation of a frame holding code would tell the watch
        long gfn = c.env.mmu.physical(addr, GuestPhysMemory.READ, user) >>> 12;
        if (c.engine.watched(gfn)) {
            return null;
        }
        byte[] f = c.env.mmu.frame(addr, GuestPhysMemory.WRITE, user);
        c.writeFrame[i] = f;
        c.writeTag[i] = page ^ c.pageGen;
        return f;
    }

    /** The frame of linear page {@code page} if the read cache holds it, else null (small: inlined into regions). */
    public static byte[] probeRead(JitContext c, long page) {
        int i = (int) page & (JitContext.PAGES - 1);
        return c.readTag[i] == (page ^ c.pageGen) ? c.readFrame[i] : null;
    }

    public static byte[] probeWrite(JitContext c, long page) {
        int i = (int) page & (JitContext.PAGES - 1);
        return c.writeTag[i] == (page ^ c.pageGen) ? c.writeFrame[i] : null;
    }

    /**
     * After {@link Block#MISS}: puts the page of the access the region left on into its cache, so
     * that the region finds it when it runs the instruction again. False when the access may not be
     * cached (FS/GS, across the page end, alignment checking, a frame that holds code) or faults:
     * the interpreter then runs the instruction. Nothing is written; a fault is not raised here.
     */
    static boolean fill(JitContext c) {
        long addr = c.missAddr;
        int bytes = c.missSize >>> 3;
        if (c.missSeg >= FLAT_SEGMENTS || (addr & 0xFFF) + bytes > 4096 || c.env.alignmentChecked()
                || !org.pvhconf.x86.mmu.PageWalk.canonical(addr)) {
            return false;
        }
        try {
            return cache(c, addr, c.missWrite) != null;
        } catch (org.pvhconf.x86.fault.Fault | org.pvhconf.x86.fault.ExitRequest e) {
            return false; // the interpreter raises it at the instruction
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
