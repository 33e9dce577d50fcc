package org.pvhconf.x86.jit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.decode.Decoder;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.sem.Semantics;

/**
 * Guest code to a hidden class: a <em>region</em> of traces in one guest page, compiled into one
 * {@code run} method whose traces jump to each other directly (QEMU chains its blocks; here the
 * chained blocks share one JVM method, so guest registers stay in JVM locals across the chain).
 *
 * <h2>Traces</h2>
 * A trace decodes from its head inside one guest page, dry-runs each definition ({@link ProbeOps})
 * to decide whether it compiles, and goes on along the fall-through of conditional branches (the
 * taken side is a side exit); a direct jump or call ends it (the target is another trace). It compiles instructions
 * whose definitions use only pure ops, loads, stores, pure helpers and conditional raises; it ends
 * after a jump it cannot follow, before an instruction that calls a system helper or always raises
 * (the interpreter runs those), before one that crosses the page end, and at {@link #MAX_INSNS}.
 *
 * <h2>Regions</h2>
 * From the hot head, the region takes every trace its traces can reach by a constant edge in the
 * page (both sides of branches, the instruction after each call) and no translation holds yet, breadth first, up to
 * {@link #MAX_REGION_INSNS} instructions and HotSpot's compile limit. An edge to a trace of the
 * region is a JVM {@code goto} after a budget check (the next trace runs only if the budget covers
 * all of it: the engine's rule for entering a translation); a computed edge (RET, indirect JMP)
 * looks its target up among the heads after calls; any other edge leaves the region. Flags cross
 * an edge as the operands of their last update ({@link JitOps#edgeFlags}); an operand that every
 * edge into a head has in the same guest register or as the same constant is named by the head
 * (a first pass over the region finds them) and costs the edges nothing.
 *
 * <h2>Precise state</h2>
 * Guest registers live in locals; each exit writes back the ones the region writes. The traces that
 * can fault are try ranges of one handler: a fault or VM exit rethrown from them writes the locals
 * back first (by the {@code Ops} order nothing of the faulting instruction has been written yet),
 * names the instruction in {@link JitContext#faultIndex} and leaves the budget at its trace's start
 * (the engine adds {@link Region#inTrace}). Traces that cannot fault are outside every range, so no
 * value of a register-only loop is live into the handler.
 */
final class Translator implements Opcodes {
    static final int MAX_INSNS = 32;
    /** Instructions per region. */
    static final int MAX_REGION_INSNS = 96;
    /** Per trace: an estimate that keeps one trace well under HotSpot's limit. */
    private static final int MAX_CODE = 5500;
    /**
     * Bytecode per region. HotSpot compiles no method over 8000 bytes (HugeMethodLimit), and C2 stops
     * inlining once a compilation holds 8000 bytes of bytecode (DesiredMethodLimit): a region leaves
     * room for the helpers it calls (flag conditions, frame accesses) to be inlined.
     */
    static final int CODE_LIMIT = 2500;
    private static final String BLOCK = Type.getInternalName(Block.class);
    private static final String CTX = JitOps.CTX;
    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final RuntimeException PAGE_END = new RuntimeException("page end", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Decorates the class writer (a checker or a text dump in tests); identity by default. */
    interface Decorator {
        ClassVisitor wrap(ClassVisitor cv);
    }

    static Decorator decorator = cv -> cv;

    /** Translations defined so far (for tests and the bench report). */
    static long translated;

    private Translator() {
    }

    /** A decoded instruction that a trace will compile, with what the dry run saw. */
    private record Insn(DecodedInsn d, long rip, int regs, int regsWritten, boolean flagsWritten, boolean stores,
            boolean flagsRead, boolean faults, boolean jumps, long flagsMask) {
    }

    /**
     * A trace and the heads its constant edges lead to (in the page). {@code flagsDead}: it writes
     * every arithmetic flag before anything can read, fault or leave, so an edge to it need not
     * bring the flags along (the code that leaves on the budget still does).
     */
    private record Trace(long head, List<Insn> insns, List<Long> successors, boolean flagsDead) {
    }

    /**
     * Translates the region whose first trace starts at linear {@code rip}, in page {@code frame}
     * (guest frame {@code gfn}). Returns null when the first instruction is not one the JIT compiles.
     */
    static Region translate(long rip, long gfn, byte[] frame, java.util.function.LongPredicate known) {
        Set<Long> returnSites = new HashSet<>();
        List<Trace> traces = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        ArrayDeque<Long> work = new ArrayDeque<>(List.of(rip));
        int total = 0;
        while (!work.isEmpty()) {
            long h = work.poll();
            if (!seen.add(h) || h != rip && known.test(h)) {
                continue; // an edge to code translated before leaves the region and is linked there
            }
            Trace t = scan(h, frame, returnSites);
            if (t.insns.isEmpty()) {
                if (h == rip) {
                    return null;
                }
                continue;
            }
            if (total + t.insns.size() > MAX_REGION_INSNS) {
                continue;
            }
            traces.add(t);
            total += t.insns.size();
            work.addAll(t.successors);
        }
        for (int count = traces.size();; count = Math.max(1, count - 1)) {
            Region r = emit(rip, gfn, frame, traces.subList(0, count), returnSites, count == 1);
            if (r != null) {
                translated++;
                return r;
            }
        }
    }

    /** System property: a directory to write each region's class file to, for {@code javap -c -p} (see README, "JIT"). */
    static final String DUMP_PROPERTY = "pvhconf.jit.dump";
    private static final String DUMP = System.getProperty(DUMP_PROPERTY);

    private static void dump(long rip, byte[] classBytes) {
        if (DUMP != null) {
            try {
                java.nio.file.Path dir = java.nio.file.Path.of(DUMP);
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.write(dir.resolve("Tb_" + Long.toHexString(rip) + "_" + translated + ".class"), classBytes);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException("cannot dump the region at " + Long.toHexString(rip), ex);
            }
        }
    }

    /**
     * Compiles {@code traces}; null if the method would be over {@link #CODE_LIMIT} (unless
     * {@code anyway}): the caller then drops the last-found trace and tries again.
     */
    private static Region emit(long rip, long gfn, byte[] frame, List<Trace> traces, Set<Long> returnSites,
            boolean anyway) {
        int regs = 0;
        int written = 0;
        boolean flagsWritten = false;
        int lo = 4096;
        int hi = 0;
        int count = 0;
        for (Trace t : traces) {
            for (Insn i : t.insns) {
                regs |= i.regs;
                written |= i.regsWritten;
                flagsWritten |= i.flagsWritten;
                lo = Math.min(lo, (int) (i.rip & 0xFFF));
                hi = Math.max(hi, (int) (i.rip & 0xFFF) + i.d.length);
                count++;
            }
        }
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        ClassVisitor cv = decorator.wrap(cw);
        cv.visit(V17, ACC_FINAL | ACC_SUPER, "org/pvhconf/x86/jit/Tb", null, "java/lang/Object", new String[] {BLOCK});
        MethodVisitor init = cv.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(L" + CTX + ";)I", null, null);
        mv.visitCode();
        // A first pass learns where each edge's carried flag operands are (JitOps.Src); the second
        // names, at each head, those that every edge into it has in the same place, and carries the rest.
        Body dry = new Body(new Emitter(new MethodVisitor(ASM9) { }), traces, rip & ~0xFFFL, written, flagsWritten,
                returnSites, null);
        dry.emit(regs);
        Body b = new Body(new Emitter(mv), traces, rip & ~0xFFFL, written, flagsWritten, returnSites, dry.carried());
        Label end = new Label();
        b.emit(regs);
        mv.visitLabel(end);
        if (end.getOffset() > CODE_LIMIT && !anyway) {
            return null;
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cv.visitEnd();
        Block block;
        try {
            byte[] classBytes = cw.toByteArray();
            dump(rip, classBytes);
            block = RegionClasses.define(classBytes);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot define the region at " + Long.toHexString(rip), ex);
        }
        long[] heads = new long[traces.size()];
        int[] lengths = new int[traces.size()];
        long[] rips = new long[count];
        int[] inTrace = new int[count];
        int g = 0;
        for (int i = 0; i < heads.length; i++) {
            Trace t = traces.get(i);
            heads[i] = t.head;
            lengths[i] = t.insns.size();
            for (int k = 0; k < t.insns.size(); k++) {
                inTrace[g] = k;
                rips[g++] = t.insns.get(k).rip;
            }
        }
        long[] exits = new long[b.exits.size()];
        for (int i = 0; i < exits.length; i++) {
            exits[i] = b.exits.get(i);
        }
        return new Region(block, heads, lengths, rips, inTrace, exits, gfn, lo, Arrays.copyOfRange(frame, lo, hi));
    }

    /** The trace at {@code rip}; the return site of each call it makes goes into {@code returnSites}. */
    private static Trace scan(long rip, byte[] frame, Set<Long> returnSites) {
        List<Insn> out = new ArrayList<>();
        List<Long> succ = new ArrayList<>();
        ProbeOps probe = new ProbeOps();
        long pc = rip;
        int approx = 0;
        boolean ended = false; // the last instruction's successors are in succ already
        while (out.size() < MAX_INSNS && approx < MAX_CODE && (pc ^ rip) >>> 12 == 0) {
            int off = (int) (pc & 0xFFF);
            DecodedInsn d;
            try {
                d = Decoder.decode(i -> {
                    if (off + i >= 4096) {
                        throw PAGE_END;
                    }
                    return frame[off + i] & 0xFF;
                });
            } catch (Fault f) {
                break;
            } catch (RuntimeException ex) {
                if (ex != PAGE_END) {
                    throw ex;
                }
                break;
            }
            if (!Semantics.defined(d.form)) {
                break;
            }
            probe.reset();
            Semantics.of(d.form).emit(d, probe);
            if (probe.sys || probe.raises) {
                break;
            }
            out.add(new Insn(d, pc, probe.regs, probe.regsWritten, probe.flagsWritten, probe.stores, probe.flagsRead,
                    probe.faults, probe.jumps, probe.flagsMask));
            approx += 120 + 40 * Integer.bitCount(probe.regs);
            pc += d.length;
            if (probe.jumps) {
                ended = true;
                if (d.operandIndex(OpKind.REL) < 0) {
                    break; // computed: its targets are looked up at run time
                }
                long taken = pc + d.imm;
                boolean call = probe.stores; // a relative jump that stores is CALL: its return comes back here
                if (call) {
                    returnSites.add(pc);
                    succ.add(pc);
                }
                if (probe.conditional) {
                    succ.add(taken); // the side exit
                }
                // A trace goes on along the fall-through of a conditional branch, within the page; it
                // ends at a direct jump or call (its target is another trace of the region: following
                // it would copy code, unrolling every loop and recursion into the trace).
                long next = probe.conditional ? pc : taken;
                if (!probe.conditional || out.size() >= MAX_INSNS - 4 || (next ^ rip) >>> 12 != 0 || taken == rip) {
                    succ.add(next);
                    break;
                }
                pc = next;
                ended = false;
            }
        }
        if (!ended) {
            succ.add(pc);
        }
        succ.removeIf(s -> (s ^ rip) >>> 12 != 0);
        return new Trace(rip, out, succ, flagsDead(out));
    }

    private static boolean flagsDead(List<Insn> insns) {
        for (Insn in : insns) {
            if (in.flagsRead || in.faults || in.jumps || in.stores) {
                return false;
            }
            if ((in.flagsMask & org.pvhconf.x86.isa.RFlags.ARITH) == org.pvhconf.x86.isa.RFlags.ARITH) {
                return true;
            }
        }
        return false;
    }

    /** The method body of one region. */
    private static final class Body {
        final Emitter e;
        final List<Trace> traces;
        final long pageBase;
        final int written;
        final boolean flagsWritten;
        final Map<Long, Integer> headIndex = new HashMap<>();
        final Label[] heads;
        final Label[] budgetExit;
        /** Heads a computed edge looks up: those after a call (RET), or all of them in a small region. */
        final int[] lookupHeads;
        final Label stub = new Label();
        /** The exit stub past its register write-back. */
        final Label stubTail = new Label();
        /** Per head: its budget exit past the register write-back. */
        final Label[] budgetExitSpilled;
        final Label dispatch = new Label();
        final List<Long> exits = new ArrayList<>();
        /** Per head: where its carried flag operands are (null: all in the CC locals); null in the first pass. */
        final JitOps.Src[][] want;
        /** First pass: what the edges into each head carry, met. */
        final JitOps.Src[][] seen;
        JitOps ops;

        Body(Emitter e, List<Trace> traces, long pageBase, int written, boolean flagsWritten, Set<Long> returnSites,
                JitOps.Src[][] want) {
            this.e = e;
            this.want = want;
            this.seen = new JitOps.Src[traces.size()][];
            this.traces = traces;
            this.pageBase = pageBase;
            this.written = written;
            this.flagsWritten = flagsWritten;
            this.heads = new Label[traces.size()];
            this.budgetExit = new Label[traces.size()];
            this.budgetExitSpilled = new Label[traces.size()];
            List<Integer> lookup = new ArrayList<>();
            for (int i = 0; i < heads.length; i++) {
                heads[i] = new Label();
                headIndex.put(traces.get(i).head, i);
                if (traces.size() <= 8 || returnSites.contains(traces.get(i).head)) {
                    lookup.add(i);
                }
            }
            lookupHeads = lookup.stream().sorted((a, b) -> Long.compare(traces.get(a).head, traces.get(b).head))
                    .mapToInt(Integer::intValue).toArray();
        }

        void emit(int regs) {
            e.var(ALOAD, JitOps.L_CTX);
            e.field(GETFIELD, CTX, "cpu", "L" + CPU + ";");
            e.var(ASTORE, JitOps.L_CPU);
            e.var(ALOAD, JitOps.L_CTX);
            e.field(GETFIELD, CTX, "env", "L" + JitOps.ENV + ";");
            e.var(ASTORE, JitOps.L_ENV);
            e.var(ALOAD, JitOps.L_CPU);
            e.field(GETFIELD, CPU, "gpr", "[J");
            e.var(ASTORE, JitOps.L_GPR);
            for (int r = 0; r < 16; r++) {
                if ((regs & 1 << r) != 0) {
                    e.var(ALOAD, JitOps.L_GPR);
                    e.iconst(r);
                    e.insn(LALOAD);
                    e.var(LSTORE, JitOps.regSlot(r));
                }
            }
            e.var(ALOAD, JitOps.L_CPU);
            e.field(GETFIELD, CPU, "rflags", "J");
            e.var(LSTORE, JitOps.L_FLAGS);
            e.var(ALOAD, JitOps.L_CTX);
            e.field(GETFIELD, CTX, "left", "J");
            e.var(LSTORE, JitOps.L_LEFT);
            e.iconst(0);
            e.var(ISTORE, JitOps.L_ICOUNT);
            Label init = new Label();
            e.jump(GOTO, init);
            e.label(dispatch);
            e.var(ILOAD, JitOps.L_NEXT);
            e.tableSwitch(0, heads[0], heads);
            ops = new JitOps(e);
            int first = 0;
            // The traces that can fault are covered by the handler; the others are not, so that no
            // value of a loop without memory accesses is live into it. An access that misses every
            // page cache jumps to the same code with null for the exception, and returns MISS.
            Label handler = new Label();
            Label missExit = new Label();
            ops.missExit = missExit;
            for (int i = 0; i < traces.size(); i++) {
                Label start = new Label();
                Label end = new Label();
                e.label(start);
                emitTrace(i, first);
                e.label(end);
                int lo = first;
                int hi = first + traces.get(i).insns.size();
                if (ops.pendingAtFault.keySet().stream().anyMatch(k -> k >= lo && k < hi)) {
                    e.tryCatch(start, end, handler, "java/lang/RuntimeException");
                }
                first = hi;
            }
            Label common = new Label();
            // The handler's first instruction is reached only by a throw (C1 refuses to compile a
            // method whose handler normal code also enters); a miss joins it after that.
            Label handlerBody = new Label();
            e.label(missExit);
            e.insn(ACONST_NULL);
            e.var(ASTORE, JitOps.L_EXC);
            e.jump(GOTO, handlerBody);
            e.label(handler);
            e.var(ASTORE, JitOps.L_EXC);
            e.label(handlerBody);
            spillRegs();
            // Flags still pending at the faulting instruction are computed now, from their operands.
            int[] keys = ops.pendingAtFault.keySet().stream().mapToInt(Integer::intValue).toArray();
            Label[] cases = new Label[keys.length];
            for (int i = 0; i < keys.length; i++) {
                cases[i] = new Label();
            }
            e.var(ILOAD, JitOps.L_ICOUNT);
            e.lookupSwitch(common, keys, cases);
            for (int i = 0; i < keys.length; i++) {
                e.label(cases[i]);
                ops.materialize(ops.pendingAtFault.get(keys[i]), ops.viewAtFault.get(keys[i]));
                e.jump(GOTO, common);
            }
            e.label(common);
            spillFlags();
            e.var(ALOAD, JitOps.L_CTX);
            e.var(ILOAD, JitOps.L_ICOUNT);
            e.field(PUTFIELD, CTX, "faultIndex", "I");
            e.var(ALOAD, JitOps.L_CTX);
            e.var(LLOAD, JitOps.L_LEFT); // at the start of the faulting trace: the engine adds Region.inTrace
            e.field(PUTFIELD, CTX, "left", "J");
            Label missed = new Label();
            e.var(ALOAD, JitOps.L_EXC);
            e.jump(IFNULL, missed);
            e.var(ALOAD, JitOps.L_EXC);
            e.insn(ATHROW);
            e.label(missed);
            e.iconst(Block.MISS);
            e.insn(IRETURN);
            for (int i = 0; i < budgetExit.length; i++) {
                if (budgetExit[i] != null) {
                    e.label(budgetExit[i]);
                    spillRegs();
                    e.label(budgetExitSpilled[i]);
                    ops.loadCarried(wantAt(i)); // the edge left the operands its head names to the head
                    long head = traces.get(i).head;
                    e.lconst(head);
                    e.var(LSTORE, JitOps.L_XRIP);
                    e.iconst(exitNumber(head));
                    e.var(ISTORE, JitOps.L_XNO);
                    e.jump(GOTO, stubTail);
                }
            }
            // Every exit: the registers back, then the carried flags into RFLAGS, RIP and the budget
            // left. Registers first: no guest register is then live across the flags' call, and C2
            // keeps no value in a register across a call (README, "Exits write the registers first").
            e.label(stub);
            spillRegs();
            e.label(stubTail);
            if (flagsWritten) {
                ops.materialize(List.of(JitOps.CARRIED), JitOps.ALL_DYN); // every exit leaves them in the CC locals
            }
            spillFlags();
            e.var(ALOAD, JitOps.L_CPU);
            e.var(LLOAD, JitOps.L_XRIP);
            e.field(PUTFIELD, CPU, "rip", "J");
            e.var(ALOAD, JitOps.L_CTX);
            e.var(LLOAD, JitOps.L_LEFT);
            e.field(PUTFIELD, CTX, "left", "J");
            e.var(ILOAD, JitOps.L_XNO);
            e.insn(IRETURN);
            // Region-lifetime locals start defined, so that the verifier sees them assigned everywhere.
            e.label(init);
            for (int s = JitOps.L_LAZY0; s < ops.lazyEnd(); s += 2) {
                e.lconst(0);
                e.var(LSTORE, s);
            }
            for (int s : new int[] {JitOps.L_CC0, JitOps.L_CC0 + 2, JitOps.L_CC0 + 4, JitOps.L_CC0 + 6, JitOps.L_TADDR,
                    JitOps.L_XRIP}) {
                e.lconst(0);
                e.var(LSTORE, s);
            }
            e.lconst(-1);
            e.var(LSTORE, JitOps.L_RPAGE);
            e.lconst(-1);
            e.var(LSTORE, JitOps.L_WPAGE);
            e.insn(ACONST_NULL);
            e.var(ASTORE, JitOps.L_RFRAME);
            e.insn(ACONST_NULL);
            e.var(ASTORE, JitOps.L_WFRAME);
            for (int s : new int[] {JitOps.L_CCOP, JitOps.L_XNO, JitOps.L_CW, JitOps.L_NEXT}) {
                e.iconst(0);
                e.var(ISTORE, s);
            }
            e.var(ALOAD, JitOps.L_CTX);
            e.field(GETFIELD, CTX, "entry", "I");
            e.var(ISTORE, JitOps.L_NEXT);
            e.jump(GOTO, dispatch);
        }

        /** After the first pass: per head, the operands every edge into it carries alike; null when none. */
        JitOps.Src[][] carried() {
            JitOps.Src[][] c = new JitOps.Src[seen.length][];
            for (int h = 0; h < c.length; h++) {
                if (seen[h] != null && !traces.get(h).flagsDead
                        && java.util.Arrays.stream(seen[h]).anyMatch(JitOps.Src::named)) {
                    c[h] = seen[h];
                }
            }
            return c;
        }

        /** What an edge into head {@code h} may leave in the CC locals; null: everything. */
        private JitOps.Src[] wantAt(int h) {
            return want == null ? null : want[h];
        }

        private void saw(int h, JitOps.Src[] have) {
            seen[h] = JitOps.meet(seen[h], have);
        }

        private int exitNumber(long constTarget) {
            exits.add(constTarget);
            return exits.size() - 1;
        }

        private void emitTrace(int ti, int first) {
            Trace t = traces.get(ti);
            List<Insn> insns = t.insns;
            e.label(heads[ti]);
            ops.startTrace(wantAt(ti), changedWhileCarried(insns));
            // A loop's accesses leave the region on a page-cache miss: no call on the loop's path (see JitRuntime).
            ops.leaveOnMiss = t.successors.contains(t.head);
            int n = insns.size();
            for (int k = 0; k < n; k++) {
                Insn in = insns.get(k);
                ops.begin(in.d, in.rip, first + k);
                Semantics.of(in.d.form).emit(in.d, ops);
                long next = in.rip + in.d.length;
                int target = ops.jumpTarget;
                if (in.stores) {
                    // A store into translated code: leave the region before the next instruction runs.
                    if (target >= 0) {
                        ops.force(target);
                    }
                    Label cont = new Label();
                    e.var(ILOAD, JitOps.L_CW);
                    e.jump(IFEQ, cont);
                    if (target < 0 || ops.isConst(target)) {
                        long to = target < 0 ? next : ops.constValue(target);
                        leave(() -> e.lconst(to), k + 1, to);
                    } else {
                        int h = target;
                        leave(() -> ops.push(h), k + 1, -1);
                    }
                    e.label(cont);
                }
                if (target >= 0 && k < n - 1 && fallsThrough(target, insns.get(k + 1).rip, k + 1)) {
                    continue;
                }
                if (target >= 0) {
                    branch(target, k + 1);
                    break;
                } else if (k == n - 1) {
                    edge(next, n);
                }
            }
        }

        /**
         * The registers a trace writes while the flags carried into it may still be read: before its
         * first instruction that overwrites every arithmetic flag without reading any.
         */
        private static int changedWhileCarried(List<Insn> insns) {
            int regs = 0;
            for (Insn in : insns) {
                if ((in.flagsMask & org.pvhconf.x86.isa.RFlags.ARITH) == org.pvhconf.x86.isa.RFlags.ARITH && !in.flagsRead) {
                    break; // its own writes come after its last possible fault
                }
                regs |= in.regsWritten;
            }
            return regs;
        }

        /** Writes back the registers the region changes: on every way out, before anything it calls. */
        private void spillRegs() {
            for (int r = 0; r < 16; r++) {
                if ((written & 1 << r) != 0) {
                    e.var(ALOAD, JitOps.L_GPR);
                    e.iconst(r);
                    e.var(LLOAD, JitOps.regSlot(r));
                    e.insn(LASTORE);
                }
            }
        }

        /** Writes back RFLAGS, when the region changes it. */
        private void spillFlags() {
            if (flagsWritten) {
                e.var(ALOAD, JitOps.L_CPU);
                e.var(LLOAD, JitOps.L_FLAGS);
                e.field(PUTFIELD, CPU, "rflags", "J");
            }
        }

        /**
         * A jump inside a trace: falls through to the next traced instruction when the target is it,
         * leaving by a side exit on the other side of a two-way branch. False when the target is not
         * known to be the next instruction (the trace then ends here).
         */
        private boolean fallsThrough(int target, long nextRip, int done) {
            if (ops.isConst(target)) {
                return ops.constValue(target) == nextRip;
            }
            if (!ops.isTwo(target)) {
                return false;
            }
            long t = ops.twoTrue(target);
            long f = ops.twoFalse(target);
            if (t != nextRip && f != nextRip) {
                return false;
            }
            Label stay = new Label();
            ops.push(ops.twoCond(target));
            e.lconst(0);
            e.insn(LCMP);
            // cond != 0 selects t: leave when the condition picks the side that is not traced
            e.jump(t == nextRip ? IFNE : IFEQ, stay);
            edge(t == nextRip ? f : t, done);
            e.label(stay);
            return true;
        }

        /** The last instruction of a trace jumped to {@code target}. */
        private void branch(int target, int done) {
            if (ops.isConst(target)) {
                edge(ops.constValue(target), done);
            } else if (ops.isTwo(target)) {
                Label no = new Label();
                ops.branchIfZero(ops.twoCond(target), no);
                edge(ops.twoTrue(target), done);
                e.label(no);
                edge(ops.twoFalse(target), done);
            } else {
                computedEdge(target, done);
            }
        }

        /** Budget: {@code done} instructions of the current trace retired. */
        private void retire(int done) {
            if (done != 0) {
                e.var(LLOAD, JitOps.L_LEFT);
                e.lconst(done);
                e.insn(LSUB);
                e.var(LSTORE, JitOps.L_LEFT);
            }
        }

        /** An edge to a constant target: to its trace if the region has it and the budget covers it, else out. */
        private void edge(long target, int done) {
            Integer h = headIndex.get(target);
            if (h == null) {
                leave(() -> e.lconst(target), done, target);
                return;
            }
            Trace t = traces.get(h);
            if (!t.flagsDead) {
                saw(h, ops.edgeFlags(wantAt(h)));
            }
            retire(done);
            if (budgetExit[h] == null) {
                budgetExit[h] = new Label();
                budgetExitSpilled[h] = new Label();
            }
            e.var(LLOAD, JitOps.L_LEFT);
            e.lconst(t.insns.size());
            e.insn(LCMP);
            if (!t.flagsDead) {
                e.jump(IFLT, budgetExit[h]);
            } else {
                Label enter = new Label();
                e.jump(IFGE, enter);
                spillRegs();
                ops.edgeFlags(null); // leaving after all: the flags go out with it
                e.jump(GOTO, budgetExitSpilled[h]);
                e.label(enter);
            }
            jumpTo(h);
        }

        private void jumpTo(int h) {
            e.jump(GOTO, heads[h]);
        }

        /** RET or an indirect jump: a head of the region by its page offset, else out. */
        private void computedEdge(int target, int done) {
            ops.edgeFlags(null);
            for (int h : lookupHeads) {
                saw(h, JitOps.ALL_DYN); // every operand is in its CC local
            }
            ops.push(target);
            e.var(LSTORE, JitOps.L_XRIP);
            retire(done);
            Label out = new Label();
            if (lookupHeads.length > 0) {
                e.var(LLOAD, JitOps.L_XRIP);
                e.iconst(12);
                e.insn(LUSHR);
                e.lconst(pageBase >>> 12);
                e.insn(LCMP);
                e.jump(IFNE, out);
                int[] keys = new int[lookupHeads.length];
                Label[] cases = new Label[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = (int) (traces.get(lookupHeads[i]).head & 0xFFF);
                    cases[i] = new Label();
                }
                e.var(LLOAD, JitOps.L_XRIP);
                e.insn(L2I);
                e.iconst(0xFFF);
                e.insn(IAND);
                e.lookupSwitch(out, keys, cases);
                for (int i = 0; i < keys.length; i++) {
                    e.label(cases[i]);
                    e.var(LLOAD, JitOps.L_LEFT);
                    e.lconst(traces.get(lookupHeads[i]).insns.size());
                    e.insn(LCMP);
                    e.jump(IFLT, out);
                    jumpTo(lookupHeads[i]);
                }
            }
            e.label(out);
            e.iconst(exitNumber(-1));
            e.var(ISTORE, JitOps.L_XNO);
            e.jump(GOTO, stub);
        }

        /** Leaves the region: the engine continues at the target. */
        private void leave(Runnable pushTarget, int done, long constTarget) {
            spillRegs();
            ops.edgeFlags(null);
            pushTarget.run();
            e.var(LSTORE, JitOps.L_XRIP);
            retire(done);
            e.iconst(exitNumber(constTarget));
            e.var(ISTORE, JitOps.L_XNO);
            e.jump(GOTO, stubTail);
        }
    }
}
