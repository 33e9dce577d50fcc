package org.pvhconf.x86.jit;

import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.sem.Alu;
import org.pvhconf.x86.sem.Env;
import org.pvhconf.x86.sem.Helper;
import org.pvhconf.x86.sem.Ops;
import org.pvhconf.x86.sem.Sys;

/**
 * {@link Ops} compiled: every call emits JVM bytecode into the block's {@code run} method. A handle
 * is either a translation-time constant (folded: no code), a constant chosen by one condition
 * (a {@code select} of two constants, kept so that a branch target stays known), or a long local.
 * Guest registers and RFLAGS are long locals for the whole block; the {@link Translator} loads them
 * at entry and writes them back at exits.
 *
 * <p>Helpers are called generically by their owner, name and arity ({@link Helper#owner}): new ones
 * need nothing here. Pure helpers with constant arguments are evaluated at translation time through
 * {@link Helper#apply}, the interpreter's own entry.
 */
final class JitOps implements Ops, Opcodes {
    static final String CTX = Type.getInternalName(JitContext.class);
    static final String ENV = Type.getInternalName(Env.class);
    static final String FAULT = Type.getInternalName(Fault.class);

    /** Fixed locals of the run method. */
    static final int THIS = 0, L_CTX = 1, L_CPU = 2, L_ENV = 3, L_GPR = 4, L_ICOUNT = 5, L_LEFT = 6, L_REG0 = 8,
            L_FLAGS = L_REG0 + 32, L_JUMP = L_FLAGS + 2, L_TEMP0 = L_JUMP + 2;

    private static final int MAX = 512;

    private final Emitter e;
    private final boolean[] konst = new boolean[MAX];
    private final long[] value = new long[MAX];
    private final int[] slot = new int[MAX];
    /** Two-constant handles: {@code twoCond[h] != -1} means h = cond ? twoT : twoF. */
    private final int[] twoCond = new int[MAX];
    private final long[] twoT = new long[MAX], twoF = new long[MAX];
    private int n;
    private int nextSlot;

    private DecodedInsn d;
    private long rip;
    private int index;
    private boolean faultMarked;
    /** The handle passed to {@link #jump} in this instruction, or -1. */
    int jumpTarget;

    JitOps(Emitter e) {
        this.e = e;
    }

    void begin(DecodedInsn insn, long insnRip, int insnIndex) {
        n = 0;
        nextSlot = L_TEMP0;
        d = insn;
        rip = insnRip;
        index = insnIndex;
        faultMarked = false;
        jumpTarget = -1;
    }

    static int regSlot(int r) {
        return L_REG0 + 2 * r;
    }

    // ---- handles ----

    private int constant(long v) {
        int h = n++;
        konst[h] = true;
        value[h] = v;
        twoCond[h] = -1;
        return h;
    }

    /** Stores the long on the stack into a new local handle. */
    private int local() {
        int h = n++;
        konst[h] = false;
        twoCond[h] = -1;
        slot[h] = nextSlot;
        nextSlot += 2;
        e.var(LSTORE, slot[h]);
        return h;
    }

    boolean isConst(int h) {
        return konst[h];
    }

    long constValue(int h) {
        return value[h];
    }

    boolean isTwo(int h) {
        return twoCond[h] >= 0;
    }

    int twoCond(int h) {
        return twoCond[h];
    }

    long twoTrue(int h) {
        return twoT[h];
    }

    long twoFalse(int h) {
        return twoF[h];
    }

    /** Pushes handle {@code h} as a long. */
    void push(int h) {
        if (konst[h]) {
            e.lconst(value[h]);
        } else {
            e.var(LLOAD, slot[h]);
        }
    }

    /** Pushes 1 (int) if handle {@code h} is non-zero and branches to {@code ifZero} otherwise. */
    void branchIfZero(int h, Label ifZero) {
        push(h);
        e.lconst(0);
        e.insn(LCMP);
        e.jump(IFEQ, ifZero);
    }

    /** Before the first call that can fault: the fault handler reads which instruction this is. */
    private void faultPoint() {
        if (!faultMarked) {
            faultMarked = true;
            e.iconst(index);
            e.var(ISTORE, L_ICOUNT);
        }
    }

    private void mask(int size) {
        switch (size) {
            case 8 -> {
                e.lconst(0xFF);
                e.insn(LAND);
            }
            case 16 -> {
                e.lconst(0xFFFF);
                e.insn(LAND);
            }
            case 32 -> {
                e.lconst(0xFFFFFFFFL);
                e.insn(LAND);
            }
            default -> { }
        }
    }

    // ---- Ops ----

    @Override
    public int imm(long v) {
        return constant(v);
    }

    @Override
    public int reg(int r, int size) {
        if (r >= DecodedInsn.AH) {
            e.var(LLOAD, regSlot(r - DecodedInsn.AH));
            e.iconst(8);
            e.insn(LUSHR);
            mask(8);
            return local();
        }
        e.var(LLOAD, regSlot(r));
        mask(size);
        return local();
    }

    @Override
    public void setReg(int r, int size, int v) {
        if (r >= DecodedInsn.AH) {
            int s = regSlot(r - DecodedInsn.AH);
            e.var(LLOAD, s);
            e.lconst(~0xFF00L);
            e.insn(LAND);
            push(v);
            mask(8);
            e.iconst(8);
            e.insn(LSHL);
            e.insn(LOR);
            e.var(LSTORE, s);
            return;
        }
        int s = regSlot(r);
        switch (size) {
            case 8, 16 -> {
                long m = size == 8 ? 0xFF : 0xFFFF;
                e.var(LLOAD, s);
                e.lconst(~m);
                e.insn(LAND);
                push(v);
                e.lconst(m);
                e.insn(LAND);
                e.insn(LOR);
            }
            case 32 -> {
                push(v);
                mask(32);
            }
            default -> push(v);
        }
        e.var(LSTORE, s);
    }

    @Override
    public int flags() {
        e.var(LLOAD, L_FLAGS);
        return local();
    }

    @Override
    public void setFlags(int v, long m) {
        e.var(LLOAD, L_FLAGS);
        e.lconst(~m);
        e.insn(LAND);
        if (konst[v]) {
            e.lconst(value[v] & m | 2);
        } else {
            push(v);
            e.lconst(m);
            e.insn(LAND);
            e.lconst(2);
            e.insn(LOR);
        }
        e.insn(LOR);
        e.var(LSTORE, L_FLAGS);
    }

    @Override
    public int rip() {
        return constant(rip);
    }

    @Override
    public int nextRip() {
        return constant(rip + d.length);
    }

    @Override
    public void jump(int target) {
        jumpTarget = target;
    }

    @Override
    public int load(int seg, int addr, int size) {
        faultPoint();
        e.var(ALOAD, L_ENV);
        e.iconst(seg);
        push(addr);
        e.iconst(size);
        e.invoke(INVOKEVIRTUAL, ENV, "read", "(IJI)J");
        return local();
    }

    @Override
    public void store(int seg, int addr, int size, int v) {
        faultPoint();
        e.var(ALOAD, L_ENV);
        e.iconst(seg);
        push(addr);
        e.iconst(size);
        push(v);
        e.invoke(INVOKEVIRTUAL, ENV, "write", "(IJIJ)V");
    }

    @Override
    public int alu(Alu op, int a, int b) {
        if (konst[a] && konst[b]) {
            return constant(op.apply(value[a], value[b]));
        }
        push(a);
        push(b);
        switch (op) {
            case ADD -> e.insn(LADD);
            case SUB -> e.insn(LSUB);
            case AND -> e.insn(LAND);
            case OR -> e.insn(LOR);
            case XOR -> e.insn(LXOR);
            case MUL -> e.insn(LMUL);
            case SHL, SHR, SAR -> {
                e.insn(L2I);
                e.insn(op == Alu.SHL ? LSHL : op == Alu.SHR ? LUSHR : LSHR);
            }
            case EQ, NE, LTU -> {
                if (op == Alu.LTU) {
                    e.invoke(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I");
                } else {
                    e.insn(LCMP);
                }
                Label no = new Label();
                Label end = new Label();
                e.jump(op == Alu.EQ ? IFNE : op == Alu.NE ? IFEQ : IFGE, no);
                e.lconst(1);
                e.jump(GOTO, end);
                e.label(no);
                e.lconst(0);
                e.label(end);
            }
            default -> throw new IllegalStateException("alu " + op);
        }
        return local();
    }

    @Override
    public int ext(int v, int size, boolean signed) {
        if (size == 64) {
            return v;
        }
        if (konst[v]) {
            int s = 64 - size;
            return constant(signed ? (value[v] << s) >> s : (value[v] << s) >>> s);
        }
        push(v);
        if (!signed) {
            mask(size);
        } else {
            e.insn(L2I);
            if (size == 8) {
                e.insn(I2B);
            } else if (size == 16) {
                e.insn(I2S);
            }
            e.insn(I2L);
        }
        return local();
    }

    @Override
    public int select(int cond, int ifTrue, int ifFalse) {
        if (konst[cond]) {
            return value[cond] != 0 ? ifTrue : ifFalse;
        }
        Label no = new Label();
        Label end = new Label();
        branchIfZero(cond, no);
        push(ifTrue);
        e.jump(GOTO, end);
        e.label(no);
        push(ifFalse);
        e.label(end);
        int h = local();
        if (konst[ifTrue] && konst[ifFalse]) {
            twoCond[h] = cond;
            twoT[h] = value[ifTrue];
            twoF[h] = value[ifFalse];
        }
        return h;
    }

    @Override
    public int call(Helper helper, int... args) {
        if (!helper.faulting) {
            int two = -1;
            boolean foldable = true;
            for (int a : args) {
                if (!konst[a]) {
                    if (twoCond[a] >= 0 && two < 0) {
                        two = a;
                    } else {
                        foldable = false;
                    }
                }
            }
            if (foldable) {
                long[] v = new long[args.length];
                for (int i = 0; i < args.length; i++) {
                    v[i] = konst[args[i]] ? value[args[i]] : twoT[args[i]];
                }
                long rt = helper.apply(v);
                if (two < 0) {
                    return constant(rt);
                }
                for (int i = 0; i < args.length; i++) {
                    if (args[i] == two) {
                        v[i] = twoF[two];
                    }
                }
                long rf = helper.apply(v);
                if (rt == rf) {
                    return constant(rt);
                }
                int h = select(twoCond[two], constant(rt), constant(rf));
                return h;
            }
        } else {
            faultPoint();
        }
        StringBuilder desc = new StringBuilder("(");
        for (int a : args) {
            push(a);
            desc.append('J');
        }
        desc.append(")J");
        e.invoke(INVOKESTATIC, Type.getInternalName(helper.owner), helper.method, desc.toString());
        return local();
    }

    @Override
    public void raise(int vector, int errorCode) {
        throw new IllegalStateException("the translator leaves faulting-only instructions to the interpreter");
    }

    @Override
    public void raiseIf(int cond, int vector, int errorCode) {
        if (konst[cond] && value[cond] == 0) {
            return;
        }
        faultPoint();
        Label no = new Label();
        branchIfZero(cond, no);
        e.type(NEW, FAULT);
        e.insn(DUP);
        e.iconst(vector);
        e.iconst(errorCode);
        e.lconst(0);
        e.invoke(INVOKESPECIAL, FAULT, "<init>", "(IIJ)V");
        e.insn(ATHROW);
        e.label(no);
    }

    @Override
    public int sys(Sys helper, int arg) {
        throw new IllegalStateException("the translator leaves system-helper instructions to the interpreter");
    }
}
