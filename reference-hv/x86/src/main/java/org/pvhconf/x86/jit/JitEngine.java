package org.pvhconf.x86.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.fault.ExitRequest;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.interp.Interpreter;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.mmu.Mmu;
import org.pvhconf.x86.sem.Delivery;
import org.pvhconf.x86.sem.Env;

/**
 * The compiling engine: interprets cold code, translates a region once its head has started
 * {@link #threshold} times, and runs translations chained exit to successor (inside a region,
 * traces chain by themselves; see {@link Translator}).
 *
 * <h2>Same run-loop contract as the interpreter</h2>
 * The interrupt-window and budget checks happen at the same instruction boundaries: a translation
 * is entered only when the budget covers its first trace (else the interpreter runs the rest of the
 * budget), a region enters its next trace only when the budget covers it, IF cannot change
 * inside one (CLI, STI, POPF and IRET are system helpers, which translations never contain), and a
 * block is never entered in an STI/MOV SS shadow. Faults are delivered exactly where the
 * interpreter delivers them: the translation names the faulting instruction and has written back
 * the state before it.
 *
 * <h2>Cache and invalidation</h2>
 * Translations are keyed by guest-physical address and CPU mode. A store to a frame holding code
 * reaches the {@link Mmu.WriteWatch} (the frame's write translation is never cached in the TLB), which
 * invalidates every translation in the frame and makes the running block leave after that
 * instruction. Writes the hypervisor makes between runs, and p2m changes, are caught by comparing a
 * translation's bytes with its frame the first time it runs in each run/flush epoch. TLB flushes
 * (CR3, INVLPG, p2m) drop every chain link. The cache is bounded; when full it is emptied.
 *
 * <h2>Page caches</h2>
 * The {@link JitContext}'s page caches, which translated code reads through, hold nothing the TLB
 * does not: the MMU reports every entry it drops ({@link Mmu.Listener}), and {@link #checkPages}
 * empties them when CPL, a control register, EFER or RFLAGS.AC changed, at each run, after each
 * interpreted instruction and after each delivery. A region that leaves on a page-cache miss
 * ({@link Block#MISS}) has the page filled here and runs the instruction again.
 */
public final class JitEngine implements Cpu.Engine, Mmu.WriteWatch, Mmu.Listener {
    /** System property: executions of a block start before it is translated (see README, "JIT"). */
    public static final String THRESHOLD_PROPERTY = "pvhconf.jit.threshold";
    static final int DEFAULT_THRESHOLD = 16;
    static final int MAX_TRANSLATIONS = 16384;

    private final int threshold;
    private Cpu bound;
    private Env env;
    private Mmu mmu;
    private Interpreter interp;
    private JitContext ctx;

    private final Map<Long, Translation> cache = new HashMap<>();
    /**
     * Translations by linear RIP, direct-mapped (QEMU's tb_jmp_cache): valid while the TLB is, so
     * emptied by every flush. Serves computed exits (RET, indirect jumps) that miss their link.
     */
    private final Translation[] jumpCache = new Translation[4096];
    private final Map<Long, int[]> counters = new HashMap<>();
    /** Translations by guest frame: the frames the write watch covers. */
    private final Map<Long, List<Translation>> byFrame = new HashMap<>();
    /** The keys of {@link #byFrame} below 2^31, as bits: the store path asks without boxing. */
    private final java.util.BitSet watchedFrames = new java.util.BitSet();
    /** Bumped by every TLB flush: links made before are not followed. */
    private long gen = 1;
    /** Bumped at every run and flush: a translation is re-checked against its frame once per epoch. */
    private long epoch = 1;
    /** Keys the dispatcher found untranslatable (their first instruction is interpreted). */
    private final Map<Long, Boolean> refused = new HashMap<>();
    /**
     * Frames whose translations stores have invalidated, and how often: past {@link #SMC_LIMIT} the
     * frame is left to the interpreter (code and data sharing a page, or a self-patching loop, would
     * otherwise be retranslated on every pass).
     */
    private final Map<Long, int[]> smcFrames = new HashMap<>();
    static final int SMC_LIMIT = 8;

    // statistics, for tests and the bench
    long blocksRun, interpreted, invalidations, pageMisses;


    public JitEngine() {
        this(Integer.getInteger(THRESHOLD_PROPERTY, DEFAULT_THRESHOLD));
    }

    public JitEngine(int threshold) {
        this.threshold = Math.max(1, threshold);
    }

    private void bind(Cpu cpu) {
        if (bound != cpu) {
            bound = cpu;
            mmu = new Mmu(cpu);
            mmu.setWriteWatch(this);
            mmu.setListener(this);
            env = new Env(cpu, mmu);
            interp = new Interpreter(env);
            ctx = new JitContext(cpu, env, this);
            cache.clear();
            byFrame.clear();
            watchedFrames.clear();
            counters.clear();
            java.util.Arrays.fill(jumpCache, null);
        }
    }

    @Override
    public VmExit run(Cpu cpu, long budget) {
        bind(cpu);
        epoch++;
        checkPages(); // the hypervisor may have changed anything between runs
        VmExit injected = interp.deliverPending(cpu);
        checkPages(); // delivery may have changed CPL
        if (injected != null) {
            return injected;
        }
        long done = 0;
        int stalls = 0;
        Translation next = null;
        long tail = 0; // with less budget left than this, interpret
        boolean interpretNext = false; // after a page-cache miss the caches cannot serve
        long lastMiss = -1;

        for (;;) {
            if (cpu.interruptWindowExiting() && cpu.interruptWindowOpen()) {
                return VmExit.of(VmExit.Reason.INTERRUPT_WINDOW);
            }
            if (done >= budget || stalls >= Interpreter.STALL_LIMIT) {
                return VmExit.of(VmExit.Reason.BUDGET);
            }
            long left = budget - done;
            Translation t = null;
            if (!cpu.interruptShadow && left >= tail && !interpretNext) {
                t = next != null ? next : dispatch(cpu);
            }
            next = null;
            if (t != null && left < t.length) {
                // The budget ends inside this translation: the interpreter runs the rest of it, without
                // looking for translations (nor counting heads) at every instruction of the tail.
                tail = left + 1;
                t = null;
            }
            if (t == null) {
                interpreted++;
                interpretNext = false;
                try {
                    if (interp.step(cpu) == Interpreter.RETIRED) {
                        done++;
                        stalls = 0;
                    } else {
                        stalls++;
                    }
                } catch (ExitRequest e) {
                    return e.exit;
                } finally {
                    checkPages(); // the instruction may have changed CPL, paging or the TLB
                }
                continue;
            }
            blocksRun++;
            ctx.left = left;
            ctx.codeWritten = false;
            ctx.entry = t.entry;
            int exit;
            try {
                exit = t.region.block.run(ctx);
            } catch (Fault f) {
                long retired = finishPartial(cpu, t, left);
                done += retired;
                stalls = retired > 0 ? 1 : stalls + 1;
                try {
                    Delivery.exception(env, f);
                } catch (ExitRequest e) {
                    return e.exit;
                } finally {
                    checkPages(); // delivery changes CPL
                }
                continue;
            } catch (ExitRequest e) {
                finishPartial(cpu, t, left);
                return e.exit;
            }
            if (exit == Block.MISS) {
                // An access found its page in no cache: fill the cache and run the instruction again,
                // in the region; the interpreter runs it when the cache may not hold that page, or
                // when the region came back to the same instruction without retiring anything.
                pageMisses++;
                long retired = finishPartial(cpu, t, left);
                done += retired;
                stalls = 0;
                boolean again = retired == 0 && cpu.rip == lastMiss;
                lastMiss = cpu.rip;
                interpretNext = again || !JitRuntime.fill(ctx); // (a TLB entry it replaces reaches evicted())
                continue;
            }
            long retired = left - ctx.left;
            cpu.retire(retired);
            done += retired;
            stalls = 0;
            if (!ctx.codeWritten) {
                next = follow(cpu, t, exit);
            }
        }
    }

    private long pagesCr0, pagesCr3, pagesCr4, pagesEfer, pagesAc;
    private int pagesCpl = -1;

    /**
     * Empties the page caches when anything that decides an access beside the TLB may have changed
     * since they were filled: CPL, CR0, CR3, CR4, EFER or RFLAGS.AC. (The TLB tells the caches
     * itself what it drops: {@link #evicted}, {@link #flushed}.) Every page they hold is then in the
     * TLB, with the rights it had when cached.
     */
    private void checkPages() {
        Cpu c = bound;
        if (c.cpl() != pagesCpl || c.cr0 != pagesCr0 || c.cr3 != pagesCr3 || c.cr4 != pagesCr4 || c.efer != pagesEfer
                || (c.rflags & RFlags.AC) != pagesAc) {
            ctx.forgetPages();
            pagesCpl = c.cpl();
            pagesCr0 = c.cr0;
            pagesCr3 = c.cr3;
            pagesCr4 = c.cr4;
            pagesEfer = c.efer;
            pagesAc = c.rflags & RFlags.AC;
        }
    }

    /**
     * After a fault or VM exit inside {@code t}, entered with {@code left}: retires what ran before
     * the instruction (the handler left the budget at its trace's start) and points RIP at it.
     */
    private long finishPartial(Cpu cpu, Translation t, long left) {
        long retired = left - ctx.left + t.region.inTrace[ctx.faultIndex];
        cpu.retire(retired);
        cpu.rip = t.region.rips[ctx.faultIndex];
        return retired;
    }

    /** The successor linked from exit {@code e} of {@code t}, linking it on first use. */
    private Translation follow(Cpu cpu, Translation t, int e) {
        Translation n = t.link[e];
        if (n != null && t.linkGen[e] == gen && n.valid && n.verifiedEpoch == epoch
                && (t.region.exitTarget[e] >= 0 || n.rip == cpu.rip)) {
            return n;
        }
        n = dispatch(cpu);
        if (n != null) {
            t.link[e] = n;
            t.linkGen[e] = gen;
        }
        return n;
    }

    private static int mode(Cpu cpu) {
        return cpu.cpl() | (cpu.is64BitMode() ? 4 : 0);
    }

    /** Finds, checks or makes the translation at RIP; null to interpret one instruction. */
    private Translation dispatch(Cpu cpu) {
        if ((cpu.rflags & RFlags.TF) != 0) {
            return null; // single-stepping: the interpreter raises #DB after each instruction
        }
        long rip = cpu.rip;
        int slot = (int) (rip ^ rip >>> 12) & (jumpCache.length - 1);
        Translation j = jumpCache[slot];
        if (j != null && j.rip == rip && j.valid && j.verifiedEpoch == epoch && j.mode == mode(cpu)) {
            return j;
        }
        Translation t = lookup(cpu, rip);
        if (t != null) {
            jumpCache[slot] = t;
        }
        return t;
    }

    private Translation lookup(Cpu cpu, long rip) {
        if (!cpu.is64BitMode()) {
            return null;
        }
        boolean user = cpu.cpl() == 3;
        long gpa;
        byte[] frame;
        try {
            gpa = mmu.physical(rip, GuestPhysMemory.FETCH, user);
            frame = mmu.frame(rip, GuestPhysMemory.FETCH, user);
        } catch (Fault | ExitRequest e) {
            return null; // the interpreter raises it at the right point
        }
        int mode = mode(cpu);
        long key = gpa | (long) mode << 56;
        Translation t = cache.get(key);
        if (t != null) {
            if (t.rip != rip || t.mode != mode) {
                invalidate(t); // the frame is mapped at another linear address: RIPs are baked in
            } else if (t.verifiedEpoch != epoch && !sameBytes(t.region.bytes, frame, t.region.bytesAt)) {
                invalidate(t);
                return null;
            } else {
                t.verifiedEpoch = epoch;
                return t;
            }
        }
        if (refused.containsKey(key)) {
            return null;
        }
        int[] smc = smcFrames.get(gpa >>> 12);
        if (smc != null && smc[0] >= SMC_LIMIT) {
            return null;
        }
        int[] c = counters.computeIfAbsent(key, k -> new int[1]);
        if (++c[0] < threshold) {
            return null;
        }
        counters.remove(key);
        if (cache.size() >= MAX_TRANSLATIONS) {
            evictAll();
        }
        Region region = Translator.translate(rip, gpa >>> 12, frame, h -> {
            Translation o = cache.get(key & ~0xFFFL | h & 0xFFF);
            return o != null && o.valid && o.rip == h;
        });
        if (region == null) {
            refused.put(key, Boolean.TRUE);
            return null;
        }
        // Every trace head of the region becomes an entry; an older translation at one is replaced.
        long pageKey = key & ~0xFFFL;
        for (int i = 0; i < region.heads.length; i++) {
            long k = pageKey | region.heads[i] & 0xFFF;
            Translation entry = new Translation(k, mode, region, i);
            entry.verifiedEpoch = epoch;
            Translation old = cache.get(k);
            if (old != null) {
                invalidate(old);
            }
            counters.remove(k);
            cache.put(k, entry);
            List<Translation> inFrame = byFrame.get(entry.region.gfn);
            if (inFrame == null) {
                byFrame.put(entry.region.gfn, inFrame = new ArrayList<>());
                watch(entry.region.gfn, true);
                mmu.forgetWrites(entry.region.gfn); // from now on writes to this frame reach written()
                ctx.forgetPages();
            }
            inFrame.add(entry);
            if (i == 0) {
                t = entry;
            }
        }
        return t;
    }

    private static boolean sameBytes(byte[] bytes, byte[] frame, int off) {
        return java.util.Arrays.equals(bytes, 0, bytes.length, frame, off, off + bytes.length);
    }

    private void invalidate(Translation t) {
        t.valid = false;
        invalidations++;
        cache.remove(t.key);
        List<Translation> inFrame = byFrame.get(t.region.gfn);
        if (inFrame != null) {
            inFrame.remove(t);
            if (inFrame.isEmpty()) {
                byFrame.remove(t.region.gfn);
                watch(t.region.gfn, false);
            }
        }
    }

    private void evictAll() {
        for (Translation t : cache.values()) {
            t.valid = false;
        }
        cache.clear();
        byFrame.clear();
        watchedFrames.clear();
        counters.clear();
        refused.clear();
        smcFrames.clear();
        java.util.Arrays.fill(jumpCache, null);
        gen++;
    }

    // ---- Mmu.WriteWatch ----

    @Override
    public boolean watched(long gfn) {
        return gfn >= 0 && gfn <= Integer.MAX_VALUE ? watchedFrames.get((int) gfn) : byFrame.containsKey(gfn);
    }

    private void watch(long gfn, boolean on) {
        if (gfn >= 0 && gfn <= Integer.MAX_VALUE) {
            watchedFrames.set((int) gfn, on);
        }
    }

    @Override
    public void written(long gfn) {
        List<Translation> inFrame = byFrame.remove(gfn);
        watch(gfn, false);
        if (inFrame != null) {
            for (Translation t : inFrame) {
                t.valid = false;
                invalidations++;
                cache.remove(t.key);
            }
            refusedInFrame(gfn);
            smcFrames.computeIfAbsent(gfn, g -> new int[1])[0]++;
        }
        ctx.codeWritten = true;
    }

    private void refusedInFrame(long gfn) {
        refused.keySet().removeIf(k -> ((k & ((1L << 56) - 1)) >>> 12) == gfn);
    }

    // ---- Mmu.Listener ----

    @Override
    public void evicted(long linearPage) {
        ctx.forgetPage(linearPage);
    }

    @Override
    public void flushed() {
        ctx.forgetPages();
    }

    // ---- Cpu.Engine ----

    @Override
    public void flush(Cpu cpu) {
        bind(cpu);
        mmu.flush(); // which empties the page caches too (flushed)
        java.util.Arrays.fill(jumpCache, null);
        gen++;
        epoch++;
    }

    @Override
    public void flushPage(Cpu cpu, long linear) {
        bind(cpu);
        mmu.flushPage(linear);
        ctx.forgetPages();
        java.util.Arrays.fill(jumpCache, null);
        gen++;
    }

    /** Counters for reports: translated blocks entered, instructions interpreted, invalidations, cache size. */
    public String stats() {
        return String.format(java.util.Locale.ROOT, "%d translations cached, %d blocks run, %d instructions interpreted,"
                + " %d page-cache misses, %d invalidations, %d frames left to the interpreter", cache.size(), blocksRun,
                interpreted, pageMisses, invalidations, smcFrames.values().stream().filter(c -> c[0] >= SMC_LIMIT).count());
    }

    /** Translations made by this JVM so far. */
    public static long translations() {
        return Translator.translated;
    }
}
