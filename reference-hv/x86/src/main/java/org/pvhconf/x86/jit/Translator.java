package org.pvhconf.x86.jit;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.sem.Semantics;

/**
 * Guest code to a hidden class: decodes a basic block inside one guest page, dry-runs each
 * definition ({@link ProbeOps}) to decide whether it compiles, and drives the definitions through
 * {@link JitOps} to emit one {@code run} method.
 *
 * <h2>What a block compiles</h2>
 * Instructions whose definitions use only pure ops, loads, stores, pure helpers and conditional
 * raises. A block ends after the first jump, before an instruction that calls a system helper or
 * always raises (the interpreter runs those), before one that crosses the page end, and at
 * {@link #MAX_INSNS} instructions. A branch back to the block's own start becomes a JVM loop.
 *
 * <h2>Precise state</h2>
 * Guest registers live in locals; each exit writes back the ones the block writes. The body is one
 * try range: a fault or VM exit rethrown from it writes the locals back first (by the {@code Ops}
 * order nothing of the faulting instruction has been written yet) and names the instruction in
 * {@link JitContext#faultIndex}.
 */
final class Translator implements Opcodes {
    static final int MAX_INSNS = 32;
    /** HotSpot does not compile methods over 8000 bytes of bytecode (HugeMethodLimit). */
    private static final int MAX_CODE = 5500;
    private static final String BLOCK = Type.getInternalName(Block.class);
    private static final String CTX = JitOps.CTX;
    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
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

    /** A decoded instruction that the block will compile, with what the dry run saw. */
    private record Insn(DecodedInsn d, long rip, int regs, int regsWritten, boolean flags, boolean flagsWritten,
            boolean jumps, boolean stores, boolean flagsRead, long flagsMask, boolean faults) {
    }

    /**
     * Translates the block at linear {@code rip}, whose page is {@code frame} (guest frame {@code gfn}).
     * Returns null when its first instruction is not one the JIT compiles.
     */
    static Translation translate(long key, int mode, long rip, long gfn, byte[] frame) {
        List<Insn> insns = scan(rip, frame);
        if (insns.isEmpty()) {
            return null;
        }
        int regs = 0;
        int written = 0;
        boolean flags = false;
        boolean flagsWritten = false;
        for (Insn i : insns) {
            regs |= i.regs;
            written |= i.regsWritten;
            flags |= i.flags;
            flagsWritten |= i.flagsWritten;
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
        Body b = new Body(new Emitter(mv), insns, rip, written, flagsWritten);
        b.emit(regs, flags);
        insns = insns.subList(0, b.emitted);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cv.visitEnd();
        Block block;
        try {
            byte[] classBytes = cw.toByteArray();
            Class<?> c = LOOKUP.defineHiddenClass(classBytes, true).lookupClass();
            block = (Block) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot define the block at " + Long.toHexString(rip), ex);
        }
        translated++;
        int lo = 4096;
        int hi = 0;
        for (Insn i : insns) {
            lo = Math.min(lo, (int) (i.rip & 0xFFF));
            hi = Math.max(hi, (int) (i.rip & 0xFFF) + i.d.length);
        }
        long[] rips = new long[insns.size()];
        for (int i = 0; i < rips.length; i++) {
            rips[i] = insns.get(i).rip;
        }
        long[] exits = new long[b.exits.size()];
        for (int i = 0; i < exits.length; i++) {
            exits[i] = b.exits.get(i);
        }
        return new Translation(key, mode, rip, gfn, lo, Arrays.copyOfRange(frame, lo, hi), rips, exits, block);
    }

    private static List<Insn> scan(long rip, byte[] frame) {
        List<Insn> out = new ArrayList<>();
        ProbeOps probe = new ProbeOps();
        long pc = rip;
        int approx = 0;
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
            out.add(new Insn(d, pc, probe.regs, probe.regsWritten, probe.flags, probe.flagsWritten, probe.jumps,
                    probe.stores, probe.flagsRead, probe.flagsMask, probe.faults));
            approx += 120 + 40 * Integer.bitCount(probe.regs);
            pc += d.length;
            if (probe.jumps) {
                // A trace goes on through direct jumps and calls, and along the fall-through of a
                // conditional branch (its taken side becomes a side exit), within the page.
                if (d.operandIndex(OpKind.REL) < 0 || out.size() >= MAX_INSNS - 4) {
                    break;
                }
                long next = probe.conditional ? pc : pc + d.imm;
                if ((next ^ rip) >>> 12 != 0 || next == rip || pc + d.imm == rip) {
                    break; // a branch back to the start stays the block's last: it becomes a JVM loop
                }
                pc = next;
            }
        }
        return out;
    }

    /** The method body of one block. */
    private static final class Body {
        final Emitter e;
        final List<Insn> insns;
        final long start;
        final int written;
        final boolean flagsWritten;
        final List<Long> exits = new ArrayList<>();
        final Label loopHead = new Label();
        /**
         * The instruction that first writes every arithmetic flag, when nothing before it reads
         * RFLAGS or jumps (-1 otherwise): a self-loop's back edge then leaves its pending flags
         * unapplied and sets {@link JitOps#L_STALE}; exits and faults before this instruction apply
         * them first (their operands' locals are not reassigned before it).
         */
        int overwrite = -1;
        /** Code is being emitted before {@link #overwrite}'s flag write. */
        boolean staleLive;
        /** The pending updates the back edge left unapplied (set when the back edge is emitted). */
        List<JitOps.Pending> backEdge = List.of();
        final List<Label[]> fixups = new ArrayList<>();
        JitOps ops;
        /** Instructions actually compiled (a trace is cut where a jump does not fall through). */
        int emitted;

        Body(Emitter e, List<Insn> insns, long start, int written, boolean flagsWritten) {
            this.e = e;
            this.insns = insns;
            this.start = start;
            this.written = written;
            this.flagsWritten = flagsWritten;
        }

        void emit(int regs, boolean flags) {
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
            if (flags) {
                e.var(ALOAD, JitOps.L_CPU);
                e.field(GETFIELD, CPU, "rflags", "J");
                e.var(LSTORE, JitOps.L_FLAGS);
            }
            e.var(ALOAD, JitOps.L_CTX);
            e.field(GETFIELD, CTX, "left", "J");
            e.var(LSTORE, JitOps.L_LEFT);
            e.iconst(0);
            e.var(ISTORE, JitOps.L_ICOUNT);
            Label init = new Label();
            Label body = new Label();
            e.jump(GOTO, init);
            e.label(body);
            Label tryStart = new Label();
            Label tryEnd = new Label();
            Label handler = new Label();
            e.label(tryStart);
            e.label(loopHead);
            JitOps ops = new JitOps(e);
            this.ops = ops;
            int n = insns.size();
            emitted = n;
            overwrite = overwriteIndex();
            staleLive = overwrite >= 0;
            for (int k = 0; k < n; k++) {
                Insn in = insns.get(k);
                ops.begin(in.d, in.rip, k);
                Semantics.of(in.d.form).emit(in.d, ops);
                if (k == overwrite) {
                    staleLive = false;
                    e.iconst(0);
                    e.var(ISTORE, JitOps.L_STALE);
                }
                long next = in.rip + in.d.length;
                int target = ops.jumpTarget;
                if (in.stores) {
                    // A store into translated code: leave before the next instruction runs.
                    if (target >= 0) {
                        ops.force(target);
                    }
                    Label cont = new Label();
                    e.var(ALOAD, JitOps.L_CTX);
                    e.field(GETFIELD, CTX, "codeWritten", "Z");
                    e.jump(IFEQ, cont);
                    if (target < 0) {
                        exitConst(next, k + 1);
                    } else {
                        exitTo(ops, target, k + 1);
                    }
                    e.label(cont);
                }
                if (target >= 0 && k < n - 1 && fallsThrough(ops, target, insns.get(k + 1).rip, k + 1)) {
                    continue;
                }
                if (target >= 0) {
                    branch(ops, target, k + 1);
                    emitted = k + 1;
                    break;
                } else if (k == n - 1) {
                    exitConst(next, n);
                }
            }
            e.label(tryEnd);
            e.tryCatch(tryStart, tryEnd, handler, "java/lang/RuntimeException");
            e.label(handler);
            if (overwrite >= 0) {
                Label fresh = new Label();
                e.var(ILOAD, JitOps.L_STALE);
                e.jump(IFEQ, fresh);
                ops.materialize(backEdge);
                e.label(fresh);
            }
            if (!ops.pendingAtFault.isEmpty()) {
                // Flags still pending at the faulting instruction are computed now, from their operands.
                Label done = new Label();
                int[] keys = ops.pendingAtFault.keySet().stream().mapToInt(Integer::intValue).toArray();
                Label[] cases = new Label[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    cases[i] = new Label();
                }
                e.var(ILOAD, JitOps.L_ICOUNT);
                e.lookupSwitch(done, keys, cases);
                for (int i = 0; i < keys.length; i++) {
                    e.label(cases[i]);
                    ops.materialize(ops.pendingAtFault.get(keys[i]));
                    e.jump(GOTO, done);
                }
                e.label(done);
            }
            spill();
            e.var(ALOAD, JitOps.L_CTX);
            e.var(ILOAD, JitOps.L_ICOUNT);
            e.field(PUTFIELD, CTX, "faultIndex", "I");
            e.var(ALOAD, JitOps.L_CTX);
            e.var(LLOAD, JitOps.L_LEFT);
            e.var(ILOAD, JitOps.L_ICOUNT);
            e.insn(I2L);
            e.insn(LSUB);
            e.field(PUTFIELD, CTX, "left", "J");
            e.insn(ATHROW);
            // Block-lifetime locals start at 0, so that the verifier sees them assigned in the handler.
            for (Label[] f : fixups) {
                // An exit before the overwrite on a later pass: apply what the back edge left, then exit.
                e.label(f[0]);
                ops.materialize(backEdge);
                e.iconst(0);
                e.var(ISTORE, JitOps.L_STALE);
                e.jump(GOTO, f[1]);
            }
            e.label(init);
            e.iconst(0);
            e.var(ISTORE, JitOps.L_STALE);
            for (int s = JitOps.L_LAZY0; s < ops.lazyEnd(); s += 2) {
                e.lconst(0);
                e.var(LSTORE, s);
            }
            e.jump(GOTO, body);
        }

        /** Writes back the registers and flags the block changes. */
        private void spill() {
            for (int r = 0; r < 16; r++) {
                if ((written & 1 << r) != 0) {
                    e.var(ALOAD, JitOps.L_GPR);
                    e.iconst(r);
                    e.var(LLOAD, JitOps.regSlot(r));
                    e.insn(LASTORE);
                }
            }
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
        private boolean fallsThrough(JitOps ops, int target, long nextRip, int done) {
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
            exitConst(t == nextRip ? f : t, done);
            e.label(stay);
            return true;
        }

        /** The last instruction jumped to {@code target}. */
        private void branch(JitOps ops, int target, int done) {
            if (ops.isConst(target)) {
                constBranch(ops.constValue(target), done);
            } else if (ops.isTwo(target)) {
                Label no = new Label();
                ops.branchIfZero(ops.twoCond(target), no);
                constBranch(ops.twoTrue(target), done);
                e.label(no);
                constBranch(ops.twoFalse(target), done);
            } else {
                exitTo(ops, target, done);
            }
        }

        private void constBranch(long target, int done) {
            if (target != start || done != insns.size()) {
                exitConst(target, done);
                return;
            }
            // A self-loop: one more pass if the budget allows it. The loop head expects no pending flags,
            // unless the loop overwrites them before reading them ({@link #overwrite}): then they stay
            // unapplied, L_STALE says so, and the budget exit below applies them as any exit does.
            boolean leave = overwrite >= 0 && arithOnly(ops.pendingFlags());
            if (leave) {
                backEdge = List.copyOf(ops.pendingFlags());
            } else {
                ops.materialize(ops.pendingFlags());
            }
            Label out = new Label();
            e.var(LLOAD, JitOps.L_LEFT);
            e.lconst(done);
            e.insn(LSUB);
            e.insn(DUP2);
            e.var(LSTORE, JitOps.L_LEFT);
            e.lconst(done);
            e.insn(LCMP);
            e.jump(IFLT, out);
            if (leave) {
                e.iconst(1);
                e.var(ISTORE, JitOps.L_STALE);
            }
            e.jump(GOTO, loopHead);
            e.label(out);
            exit(() -> e.lconst(target), 0, target);
        }

        private static boolean arithOnly(List<JitOps.Pending> pending) {
            for (JitOps.Pending p : pending) {
                if ((p.mask() & ~RFlags.ARITH) != 0) {
                    return false;
                }
            }
            return true;
        }

        /** See {@link #overwrite}. */
        private int overwriteIndex() {
            for (int k = 0; k < insns.size(); k++) {
                Insn in = insns.get(k);
                if (in.flagsRead || in.jumps) {
                    return -1;
                }
                if ((in.flagsMask & RFlags.ARITH) == RFlags.ARITH) {
                    return k;
                }
            }
            return -1;
        }

        private void exitConst(long target, int done) {
            exit(() -> e.lconst(target), done, target);
        }

        private void exitTo(JitOps ops, int target, int done) {
            if (ops.isConst(target)) {
                exitConst(ops.constValue(target), done);
            } else {
                exit(() -> ops.push(target), done, -1);
            }
        }

        private void exit(Runnable pushTarget, int done, long constTarget) {
            if (staleLive) {
                Label[] f = {new Label(), new Label()};
                fixups.add(f);
                e.var(ILOAD, JitOps.L_STALE);
                e.jump(IFNE, f[0]);
                e.label(f[1]);
            }
            ops.materialize(ops.pendingFlags());
            spill();
            e.var(ALOAD, JitOps.L_CPU);
            pushTarget.run();
            e.field(PUTFIELD, CPU, "rip", "J");
            e.var(ALOAD, JitOps.L_CTX);
            e.var(LLOAD, JitOps.L_LEFT);
            if (done != 0) {
                e.lconst(done);
                e.insn(LSUB);
            }
            e.field(PUTFIELD, CTX, "left", "J");
            e.iconst(exits.size());
            exits.add(constTarget);
            e.insn(IRETURN);
        }
    }
}
