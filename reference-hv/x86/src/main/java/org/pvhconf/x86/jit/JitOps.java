package org.pvhconf.x86.jit;

import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;
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
    static final String RUNTIME = Type.getInternalName(JitRuntime.class);
    static final String MMU = Type.getInternalName(org.pvhconf.x86.mmu.Mmu.class);

    /** Long locals for the operands of pending flag computations, per trace (past it, flags are computed eagerly). */
    static final int LAZY_CAP = 48;
    /**
     * Fixed locals of the run method: the context, CPU, register file; the instruction that may fault
     * (region-wide index); the budget left at the start of the current
     * trace; the guest registers and RFLAGS; the flags carried across edges (CC_OP and four
     * operands, {@link JitRuntime#applyCc}); the pages kept for loads and stores (tag, frame); a
     * store hit code; an exit's target and number; the trace the dispatch switch enters next; the
     * exception the fault handler rethrows (null: a page-cache miss).
     */
    static final int THIS = 0, L_CTX = 1, L_CPU = 2, L_ENV = 3, L_GPR = 4, L_ICOUNT = 5, L_LEFT = 6, L_REG0 = 8,
            L_FLAGS = L_REG0 + 32, L_CC0 = L_FLAGS + 2, L_TADDR = L_CC0 + 8, L_RPAGE = L_TADDR + 2,
            L_WPAGE = L_RPAGE + 2, L_XRIP = L_WPAGE + 2, L_CCOP = L_XRIP + 2, L_XNO = L_CCOP + 1,
            L_CW = L_XNO + 1, L_RFRAME = L_CW + 1, L_WFRAME = L_RFRAME + 1, L_NEXT = L_WFRAME + 1, L_EXC = L_NEXT + 1, L_LAZY0 = L_EXC + 1,
            L_TEMP0 = L_LAZY0 + 2 * LAZY_CAP;

    private static final int MAX = 512;

    /**
     * A flag update not yet applied to the RFLAGS local: RFLAGS = RFLAGS &amp; ~mask | value &amp; mask,
     * where value is {@code helper(args)} or, without a helper, {@code args[0]}. Each argument is a
     * constant ({@code slot == -1}) or a block-lifetime local.
     */
    record Pending(Helper helper, long[] constant, int[] slot, Snapshot[] nested, long mask) {
    }

    /** RFLAGS as a definition read it: a copy of the RFLAGS local then, with the updates pending then. */
    record Snapshot(int baseSlot, java.util.List<Pending> pending) {
    }

    /**
     * The flags carried into the trace: RFLAGS is the RFLAGS local with {@code CC_OP}'s operation
     * applied ({@link JitRuntime#applyCc}). Always first in a pending list, and only at a trace head.
     */
    static final Pending CARRIED = new Pending(null, new long[0], new int[0], new Snapshot[0], RFlags.ARITH);

    /** Flag updates since the RFLAGS local was last brought up to date, oldest first. */
    private java.util.List<Pending> pending = new java.util.ArrayList<>();
    private int nextLazy = L_LAZY0;
    /** The highest lazy local any trace used (the translator zeroes them at entry, for the verifier). */
    private int lazyHigh = L_LAZY0;
    /** The pending list at each instruction's first fault point, for the fault handler. */
    final java.util.Map<Integer, java.util.List<Pending>> pendingAtFault = new java.util.TreeMap<>();
    /** Where the carried operands are at each instruction's first fault point. */
    final java.util.Map<Integer, Src[]> viewAtFault = new java.util.HashMap<>();

    private final Emitter e;
    private final boolean[] konst = new boolean[MAX];
    private final long[] value = new long[MAX];
    private final int[] slot = new int[MAX];
    /** Two-constant handles: {@code twoCond[h] != -1} means h = cond ? twoT : twoF. */
    private final int[] twoCond = new int[MAX];
    /** Deferred pure-helper calls: emitted when first pushed (or never, when only dead flags use them). */
    private final Helper[] deferred = new Helper[MAX];
    private final int[][] deferredArgs = new int[MAX][];
    /** Lazy reads of RFLAGS: computed only if something other than a pending flag update uses them. */
    private final Snapshot[] snapshot = new Snapshot[MAX];
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

    /**
     * A trace head: the flags are the RFLAGS local plus what the edges carried; lazy locals start over.
     * {@code carried} (null: all dynamic) says where the carried operands are: the operands it names
     * are copied into the CC locals here, the others are there already.
     */
    void startTrace(Src[] carried, int copyRegs) {
        pending = new java.util.ArrayList<>(java.util.List.of(CARRIED));
        lazyHigh = Math.max(lazyHigh, nextLazy);
        nextLazy = L_LAZY0;
        System.arraycopy(regVersion, 0, headVersion, 0, 16);
        headSrc = carried == null ? ALL_DYN : carried;
        // A register the trace changes while the carried flags may still be read is copied now; the
        // other named operands are read where they are needed (carriedView).
        for (int i = 0; i < 4; i++) {
            copied[i] = headSrc[i].kind() == Src.REG && (copyRegs & 1 << (int) headSrc[i].value()) != 0;
            if (copied[i]) {
                e.var(LLOAD, regSlot((int) headSrc[i].value()));
                e.var(LSTORE, L_CC0 + 2 * i);
            }
        }
    }

    private final boolean[] copied = new boolean[4];

    /**
     * How to read each carried operand here: a constant, a guest register's local, the difference or
     * sum of operands 1 and 2, or (DYN) its CC local.
     */
    Src[] carriedView() {
        Src[] v = new Src[4];
        for (int i = 0; i < 4; i++) {
            Src src = headSrc[i];
            if (src.kind() == Src.REG && !copied[i]) {
                int r = (int) src.value();
                v[i] = regVersion[r] == headVersion[r] ? src : LOST; // (the head copies a register that can change)
            } else {
                v[i] = src.named() && src.kind() != Src.REG ? src : DYN;
            }
        }
        return v;
    }

    /** Pushes carried operand {@code i} as {@code view} says. */
    private void pushCarried(Src[] view, int i) {
        switch (view[i].kind()) {
            case Src.CONST -> e.lconst(view[i].value());
            case Src.REG -> e.var(LLOAD, regSlot((int) view[i].value()));
            case Src.DIFF, Src.SUM -> {
                pushCarried(view, 1);
                pushCarried(view, 2);
                e.insn(view[i].kind() == Src.DIFF ? LSUB : LADD);
            }
            case Src.LOST -> throw new IllegalStateException("carried operand " + i + " read after its register changed");
            default -> e.var(LLOAD, L_CC0 + 2 * i);
        }
    }

    /** Pushes CC_OP and the four carried operands, the arguments of {@code applyCc} after RFLAGS. */
    private void pushCarried(Src[] view) {
        e.var(ILOAD, L_CCOP);
        for (int i = 0; i < 4; i++) {
            pushCarried(view, i);
        }
    }

    // ---- carried operands by name ----

    /**
     * Where a flag operand carried to a trace head is, the same on every edge into it: a constant,
     * a guest register, the difference or sum of operands 1 and 2 (a SUB's or ADD's result), or only
     * in its CC local (DYN, stored by each edge). ANY: the edge carries no operation there (CC_NONE,
     * or an operand the operation does not have). Operands are equal modulo the operation's size,
     * which is all the {@link org.pvhconf.x86.sem.Flags} helpers read.
     */
    record Src(int kind, long value) {
        static final int ANY = 0, DYN = 1, CONST = 2, REG = 3, DIFF = 4, SUM = 5, LOST = 6;

        boolean named() {
            return kind >= CONST && kind <= SUM;
        }
    }

    static final Src ANY = new Src(Src.ANY, 0), DYN = new Src(Src.DYN, 0), LOST = new Src(Src.LOST, 0);
    static final Src[] ALL_DYN = {DYN, DYN, DYN, DYN}, NOTHING = {ANY, ANY, ANY, ANY};

    /** Combines what two edges into one head carry: a slot stays named only if both name it alike. */
    static Src[] meet(Src[] a, Src[] b) {
        if (a == null) {
            return b.clone();
        }
        Src[] m = new Src[4];
        for (int i = 0; i < 4; i++) {
            m[i] = a[i].kind() == Src.ANY ? b[i] : b[i].kind() == Src.ANY || a[i].equals(b[i]) ? a[i] : DYN;
        }
        return m;
    }

    /** The named operands of {@code carried} into their CC locals (at a head, and before a budget exit to it). */
    void loadCarried(Src[] carried) {
        if (carried == null) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            if (carried[i].named()) {
                pushCarried(carried, i);
                e.var(LSTORE, L_CC0 + 2 * i);
            }
        }
    }

    /** Where an access that misses every page cache goes: the precise exit the translator emits ({@link Block#MISS}). */
    Label missExit;
    private final int[] regVersion = new int[16];
    private final int[] headVersion = new int[16];
    private int versions;
    private Src[] headSrc = ALL_DYN;
    /** Per handle: the guest register (and its version and the size written) that holds its value, or -1. */
    private final long[] origin = new long[MAX];
    /** Per handle: the lazy local it was stored into by this instruction's flag update, or -1. */
    private final int[] lazyOf = new int[MAX];
    /** Per lazy local: {@link #origin} of the value stored in it. */
    private final long[] lazyOrigin = new long[LAZY_CAP];

    private int fresh() {
        int h = n++;
        origin[h] = -1;
        lazyOf[h] = -1;
        return h;
    }

    private static long origin(int r, int version, int size) {
        return (long) version << 16 | (long) size << 8 | r;
    }

    /** The register holding the value of lazy local {@code slot} now, for an operation of {@code size}, or -1. */
    private int liveRegister(int slot, long size) {
        long o = lazyOrigin[(slot - L_LAZY0) / 2];
        if (o < 0) {
            return -1;
        }
        int r = (int) (o & 0xFF);
        return regVersion[r] == (int) (o >>> 16) && ((o >>> 8) & 0xFF) >= size ? r : -1;
    }

    /** Where the operands of carried update {@code p} (of CC kind {@code kind}) are at this point. */
    private Src[] sources(Pending p, int kind) {
        Src[] s = NOTHING.clone();
        int args = p.slot().length;
        long size = p.slot()[0] < 0 && p.nested()[0] == null ? p.constant()[0] : 64;
        for (int i = 0; i < args; i++) {
            if (p.nested()[i] != null) {
                s[i] = DYN;
            } else if (p.slot()[i] < 0) {
                s[i] = new Src(Src.CONST, p.constant()[i]);
            } else {
                int r = liveRegister(p.slot()[i], size);
                s[i] = r >= 0 ? new Src(Src.REG, r) : DYN;
            }
        }
        if ((kind == JitRuntime.CC_SUB || kind == JitRuntime.CC_ADD) && !s[3].named() && s[1].named() && s[2].named()) {
            s[3] = new Src(kind == JitRuntime.CC_SUB ? Src.DIFF : Src.SUM, 0);
        }
        return s;
    }

    private static boolean fits(Src[] have, Src[] want) {
        for (int i = 0; i < 4; i++) {
            if (have[i].kind() != Src.ANY && want[i].kind() != Src.DYN && !have[i].equals(want[i])) {
                return false;
            }
        }
        return true;
    }

    static int regSlot(int r) {
        return L_REG0 + 2 * r;
    }

    // ---- handles ----

    private int constant(long v) {
        int h = fresh();
        konst[h] = true;
        value[h] = v;
        twoCond[h] = -1;
        deferred[h] = null;
        snapshot[h] = null;
        return h;
    }

    /** Stores the long on the stack into a new local handle. */
    private int local() {
        int h = fresh();
        konst[h] = false;
        twoCond[h] = -1;
        deferred[h] = null;
        snapshot[h] = null;
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
            return;
        }
        if (snapshot[h] != null) {
            Snapshot sn = snapshot[h];
            snapshot[h] = null;
            e.var(LLOAD, sn.baseSlot());
            apply(sn.pending());
            slot[h] = nextSlot;
            nextSlot += 2;
            e.var(LSTORE, slot[h]);
        }
        if (deferred[h] != null) {
            Helper helper = deferred[h];
            deferred[h] = null;
            invoke(helper, deferredArgs[h]);
            slot[h] = nextSlot;
            nextSlot += 2;
            e.var(LSTORE, slot[h]);
        }
        e.var(LLOAD, slot[h]);
    }

    /** Emits a deferred helper call now, so that every later path sees its local assigned. */
    void force(int h) {
        if (!konst[h] && (deferred[h] != null || snapshot[h] != null)) {
            push(h);
            e.insn(POP2);
        }
    }

    private void invoke(Helper helper, int[] args) {
        StringBuilder desc = new StringBuilder("(");
        for (int a : args) {
            push(a);
            desc.append('J');
        }
        desc.append(")J");
        e.invoke(INVOKESTATIC, Type.getInternalName(helper.owner), helper.method, desc.toString());
    }

    // ---- lazy flags ----

    /** Emits the pending updates of {@code list} into the RFLAGS local (the list itself is kept). */
    void materialize(java.util.List<Pending> list) {
        materialize(list, null);
    }

    /** As {@link #materialize(java.util.List)}, reading the carried operands as {@code view} says. */
    void materialize(java.util.List<Pending> list, Src[] view) {
        if (list.isEmpty()) {
            return;
        }
        Src[] saved = this.view;
        this.view = view;
        e.var(LLOAD, L_FLAGS);
        apply(list);
        e.var(LSTORE, L_FLAGS);
        this.view = saved;
    }

    /** The carried-operand view {@link #apply} reads with; null: {@link #carriedView} now. */
    private Src[] view;

    /** Applies {@code list} to the RFLAGS value on the stack. */
    private void apply(java.util.List<Pending> list) {
        for (Pending p : list) {
            if (p == CARRIED) {
                pushCarried(view != null ? view : carriedView());
                e.invoke(INVOKESTATIC, RUNTIME, "applyCc", "(JIJJJJ)J");
                continue;
            }
            e.lconst(~p.mask());
            e.insn(LAND);
            if (p.helper() == null) {
                pushLazy(p, 0);
            } else {
                StringBuilder desc = new StringBuilder("(");
                for (int i = 0; i < p.slot().length; i++) {
                    pushLazy(p, i);
                    desc.append('J');
                }
                desc.append(")J");
                e.invoke(INVOKESTATIC, Type.getInternalName(p.helper().owner), p.helper().method, desc.toString());
            }
            e.lconst(p.mask());
            e.insn(LAND);
            e.insn(LOR);
            e.lconst(2);
            e.insn(LOR);
        }
    }

    private void pushLazy(Pending p, int i) {
        if (p.nested()[i] != null) {
            e.var(LLOAD, p.nested()[i].baseSlot());
            apply(p.nested()[i].pending());
        } else if (p.slot()[i] < 0) {
            e.lconst(p.constant()[i]);
        } else {
            e.var(LLOAD, p.slot()[i]);
        }
    }

    /** Brings the RFLAGS local up to date (before a read, an exit or a loop back edge). */
    void flushFlags() {
        materialize(pending);
        pending = new java.util.ArrayList<>();
    }

    java.util.List<Pending> pendingFlags() {
        return pending;
    }

    /** The lazy locals used by any trace so far (the translator zeroes them at entry, for the verifier). */
    int lazyEnd() {
        return Math.max(lazyHigh, nextLazy);
    }

    /**
     * Before an edge (to a trace of the region or out of it): makes {@code CC_OP} and its operands,
     * with the RFLAGS local, describe the flags. A single SUB/ADD/logic/INC/DEC update that wrote
     * every arithmetic flag is carried as its operands; anything else is computed into the RFLAGS
     * local. The pending list is left as it is (the code after a side exit still uses it).
     */
    Src[] edgeFlags(Src[] want) {
        java.util.List<Pending> list = pending;
        if (list.size() == 1 && list.get(0) == CARRIED) {
            // Nothing happened to the flags since the trace head: the carried state stays. Operands
            // read from elsewhere go into their CC locals where the next head (or an exit) wants them.
            Src[] view = carriedView();
            Src[] have = new Src[4];
            for (int i = 0; i < 4; i++) {
                have[i] = view[i].named() ? view[i] : DYN;
            }
            if (want != null && !fits(have, want)) {
                return materializeAtEdge(list);
            }
            for (int i = 0; i < 4; i++) {
                if (view[i].named() && (want == null || !want[i].named())) {
                    pushCarried(view, i);
                    e.var(LSTORE, L_CC0 + 2 * i); // (the same value: DIFF and SUM read slots 1 and 2 either way)
                }
            }
            return have;
        }
        int kind = list.size() == 1 ? carriedKind(list.get(0)) : JitRuntime.CC_NONE;
        if (kind == JitRuntime.CC_NONE) {
            return materializeAtEdge(list);
        }
        Pending p = list.get(0);
        Src[] have = sources(p, kind);
        if (want != null && !fits(have, want)) {
            return materializeAtEdge(list);
        }
        int args = p.slot().length;
        boolean[] stored = new boolean[args];
        for (int i = 0; i < args; i++) {
            if (want != null && want[i].named()) {
                continue; // the head names it: nothing to carry
            }
            stored[i] = true;
            if ((kind == JitRuntime.CC_INC || kind == JitRuntime.CC_DEC) && i == 3 && p.nested()[i] != null
                    && pushCondition(2, p.nested()[i])) {
                continue; // INC/DEC read only CF of the flags before them: condition B is CF, in bit 0
            }
            pushLazy(p, i);
        }
        for (int i = args - 1; i >= 0; i--) {
            if (stored[i]) {
                e.var(LSTORE, L_CC0 + 2 * i); // every operand is on the stack before the first store
            }
        }
        e.iconst(kind);
        e.var(ISTORE, L_CCOP);
        return have;
    }

    /** The flags computed into the RFLAGS local at an edge: nothing is carried. */
    private Src[] materializeAtEdge(java.util.List<Pending> list) {
        materialize(list);
        e.iconst(JitRuntime.CC_NONE);
        e.var(ISTORE, L_CCOP);
        return NOTHING;
    }

    private static int carriedKind(Pending p) {
        if (p.helper() == null || p.mask() != RFlags.ARITH) {
            return JitRuntime.CC_NONE;
        }
        return switch (p.helper()) {
            case FLAGS_SUB -> JitRuntime.CC_SUB;
            case FLAGS_ADD -> JitRuntime.CC_ADD;
            case FLAGS_LOGIC -> JitRuntime.CC_LOGIC;
            case FLAGS_INC -> JitRuntime.CC_INC;
            case FLAGS_DEC -> JitRuntime.CC_DEC;
            default -> JitRuntime.CC_NONE;
        };
    }

    private void defer(Helper helper, int[] args, long mask) {
        if (nextLazy + 2 * args.length > L_TEMP0) {
            flushFlags(); // out of block-lifetime locals: this update is applied at once
            e.var(LLOAD, L_FLAGS);
            e.lconst(~mask);
            e.insn(LAND);
            if (helper == null) {
                push(args[0]);
            } else {
                invoke(helper, args);
            }
            e.lconst(mask);
            e.insn(LAND);
            e.insn(LOR);
            e.lconst(2);
            e.insn(LOR);
            e.var(LSTORE, L_FLAGS);
            return;
        }
        long[] c = new long[args.length];
        int[] sl = new int[args.length];
        Snapshot[] nested = new Snapshot[args.length];
        for (int i = 0; i < args.length; i++) {
            if (!konst[args[i]] && snapshot[args[i]] != null) {
                nested[i] = snapshot[args[i]];
                sl[i] = -1;
            } else if (konst[args[i]]) {
                c[i] = value[args[i]];
                sl[i] = -1;
            } else {
                push(args[i]);
                sl[i] = nextLazy;
                nextLazy += 2;
                e.var(LSTORE, sl[i]);
                lazyOrigin[(sl[i] - L_LAZY0) / 2] = origin[args[i]];
                lazyOf[args[i]] = sl[i];
            }
        }
        pending.removeIf(p -> (p.mask() & ~mask) == 0); // wholly overwritten: never computed
        pending.add(new Pending(helper, c, sl, nested, mask));
    }

    /**
     * Condition {@code cc} of a flags snapshot whose last pending update wrote every arithmetic flag
     * from a SUB/CMP, ADD, logic op, INC or DEC: one {@code Flags.condX} call on that update's operands
     * computes only the bits the condition reads (instead of the whole RFLAGS and then {@code cond}).
     * Returns -1 (nothing emitted) when the snapshot has another shape.
     */
    private int condition(long cc, Snapshot sn) {
        return pushCondition(cc, sn) ? local() : -1;
    }

    private static final String[] COND_SUFFIX = {"O", "B", "Z", "Be", "S", "P", "L", "Le"};
    private static final String FLAGS = Type.getInternalName(org.pvhconf.x86.sem.Flags.class);

    /**
     * {@link #condition}, leaving the long on the stack; false (nothing emitted) for another shape.
     * Calls the one-condition helper ({@code Flags.subB}, {@code addZ}, ...) that {@code condX} itself
     * uses for this condition, so HotSpot inlines it into the region.
     */
    private boolean pushCondition(long cc, Snapshot sn) {
        java.util.List<Pending> list = sn.pending();
        if (list.isEmpty()) {
            return false;
        }
        Pending p = list.get(list.size() - 1);
        if (p == CARRIED && list.size() == 1 && cc == 2) {
            e.var(LLOAD, sn.baseSlot()); // CF of what the edges carried in
            pushCarried(view != null ? view : carriedView());
            e.invoke(INVOKESTATIC, RUNTIME, "carriedCf", "(JIJJJJ)J");
            return true;
        }
        if (p.helper() == null || (p.mask() & RFlags.ARITH) != RFlags.ARITH) {
            return false;
        }
        int c = (int) (cc >> 1);
        String desc = "(JJJJ)J";
        int[] args; // pending arguments to pass, -1: the constant 1 (INC/DEC as ADD/SUB 1)
        String method;
        switch (p.helper()) {
            case FLAGS_SUB, FLAGS_ADD -> {
                method = (p.helper() == Helper.FLAGS_SUB ? "sub" : "add") + COND_SUFFIX[c];
                args = new int[] {0, 1, 2, 3};
            }
            case FLAGS_LOGIC -> {
                if (c <= 1) {
                    e.lconst((cc & 1) != 0 ? 1 : 0); // CF and OF are clear after a logic op
                    return true;
                }
                method = "logic" + (c <= 3 ? "Z" : c == 5 ? "P" : c == 7 ? "Le" : "S");
                args = new int[] {0, 1};
                desc = "(JJ)J";
            }
            case FLAGS_INC, FLAGS_DEC -> {
                if (c == 1 || c == 3) {
                    method = c == 1 ? "keptB" : "keptBe"; // CF is the one kept from before
                    args = new int[] {0, 1, 2, 3};
                } else {
                    method = (p.helper() == Helper.FLAGS_DEC ? "sub" : "add") + COND_SUFFIX[c];
                    args = new int[] {0, 1, -1, 2};
                }
            }
            default -> {
                return false;
            }
        }
        for (int i : args) {
            if (i < 0) {
                e.lconst(1);
            } else if (i == 3 && method.startsWith("kept") && p.nested()[3] != null && pushCondition(2, p.nested()[3])) {
                continue; // only CF of the flags before: condition B of the update before, in bit 0
            } else {
                pushLazy(p, i);
            }
        }
        e.invoke(INVOKESTATIC, FLAGS, method, desc);
        if ((cc & 1) != 0) {
            e.lconst(1);
            e.insn(LXOR);
        }
        return true;
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
            pendingAtFault.put(index, java.util.List.copyOf(pending)); // also when empty: its trace needs a handler
            viewAtFault.put(index, carriedView());
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
        int h = local();
        origin[h] = origin(r, regVersion[r], size);
        return h;
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
            regVersion[r - DecodedInsn.AH] = ++versions;
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
        // The register now holds v (in its low size bits): a flag operand stored from v is this register.
        regVersion[r] = ++versions;
        origin[v] = origin(r, regVersion[r], size);
        if (lazyOf[v] >= 0) {
            lazyOrigin[(lazyOf[v] - L_LAZY0) / 2] = origin[v];
        }
    }

    @Override
    public int flags() {
        if (pending.isEmpty() || nextLazy + 2 > L_TEMP0) {
            flushFlags();
            e.var(LLOAD, L_FLAGS);
            return local();
        }
        int base = nextLazy;
        nextLazy += 2;
        e.var(LLOAD, L_FLAGS);
        e.var(LSTORE, base);
        lazyOrigin[(base - L_LAZY0) / 2] = -1;
        int h = fresh();
        konst[h] = false;
        twoCond[h] = -1;
        deferred[h] = null;
        snapshot[h] = new Snapshot(base, java.util.List.copyOf(pending));
        return h;
    }

    @Override
    public void setFlags(int v, long m) {
        if (deferred[v] != null) {
            defer(deferred[v], deferredArgs[v], m);
        } else {
            defer(null, new int[] {v}, m);
        }
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

    /** ES, CS, SS, DS: no base in 64-bit mode, so the region's page locals can serve them. */
    private static final int FLAT_SEGMENTS = 4;

    /**
     * Leaves the page offset (int) of {@code L_TADDR} on the stack if it is in the page {@code pageSlot}
     * names and the access stays in it; else jumps to {@code miss} (empty stack) or, when it crosses
     * the page end, to {@code missOff} (the offset on the stack).
     */
    private void pageHit(int pageSlot, int size, Label miss, Label missOff) {
        e.var(LLOAD, L_TADDR);
        e.iconst(12);
        e.insn(LUSHR);
        e.var(LLOAD, pageSlot);
        e.insn(LCMP);
        e.jump(IFNE, miss);
        pageOffset(size, missOff);
    }

    /** Leaves the page offset (int) of {@code L_TADDR} on the stack; jumps to {@code missOff} with it when the access crosses the page end. */
    private void pageOffset(int size, Label missOff) {
        e.var(LLOAD, L_TADDR);
        e.insn(L2I);
        e.iconst(0xFFF);
        e.insn(IAND);
        if (size > 8) {
            e.insn(DUP);
            e.iconst(4096 - size / 8);
            e.jump(IF_ICMPGT, missOff);
        }
    }

    @Override
    public int load(int seg, int addr, int size) {
        faultPoint();
        access(seg, addr, size, -1);
        return local();
    }

    @Override
    public void store(int seg, int addr, int size, int v) {
        faultPoint();
        force(addr);
        force(v);
        access(seg, addr, size, v);
    }

    /**
     * A load ({@code v < 0}: leaves the value on the stack) or a store of {@code v}: inline through
     * the page the region keeps. In a loop ({@link #leaveOnMiss}), another page comes from the
     * context's page cache, whose page the region keeps from then on; when that misses too, or the
     * access crosses the page end, the region leaves before this instruction ({@link #missExit}).
     * Elsewhere a miss calls the JitRuntime ({@link #callRuntime}), as FS and GS accesses always do.
     */
    private void access(int seg, int addr, int size, int v) {
        boolean write = v >= 0;
        push(addr);
        e.var(LSTORE, L_TADDR);
        if (seg >= FLAT_SEGMENTS) {
            callRuntime(seg, size, v);
            return;
        }
        int pageSlot = write ? L_WPAGE : L_RPAGE;
        int frameSlot = write ? L_WFRAME : L_RFRAME;
        Label miss = new Label();
        Label missPop = new Label();
        Label leave = new Label();
        Label done = new Label();
        pageHit(pageSlot, size, miss, missPop);
        frameAccess(frameSlot, size, v);
        e.jump(GOTO, done);
        if (size > 8) {
            e.label(missPop);
            e.insn(POP);
            if (leaveOnMiss) {
                e.jump(GOTO, leave); // across the page end
            }
        }
        e.label(miss);
        if (!leaveOnMiss) {
            callRuntime(seg, size, v);
            // the page JitRuntime reports becomes the region's
            e.var(ALOAD, L_CTX);
            e.field(GETFIELD, CTX, "lastPage", "J");
            e.var(LSTORE, pageSlot);
            e.var(ALOAD, L_CTX);
            e.field(GETFIELD, CTX, "lastFrame", "[B");
            e.var(ASTORE, frameSlot);
            e.label(done);
            return;
        }
        e.var(ALOAD, L_CTX);
        e.var(LLOAD, L_TADDR);
        e.iconst(12);
        e.insn(LUSHR);
        e.invoke(INVOKESTATIC, RUNTIME, write ? "probeWrite" : "probeRead", "(L" + CTX + ";J)[B");
        e.insn(DUP);
        Label found = new Label();
        e.jump(IFNONNULL, found);
        e.insn(POP);
        e.label(leave);
        e.var(ALOAD, L_CTX);
        e.iconst(seg);
        e.field(PUTFIELD, CTX, "missSeg", "I");
        e.var(ALOAD, L_CTX);
        e.var(LLOAD, L_TADDR);
        e.field(PUTFIELD, CTX, "missAddr", "J");
        e.var(ALOAD, L_CTX);
        e.iconst(size);
        e.field(PUTFIELD, CTX, "missSize", "I");
        e.var(ALOAD, L_CTX);
        e.iconst(write ? 1 : 0);
        e.field(PUTFIELD, CTX, "missWrite", "Z");
        e.jump(GOTO, missExit);
        e.label(found);
        e.var(ASTORE, frameSlot);
        e.var(LLOAD, L_TADDR);
        e.iconst(12);
        e.insn(LUSHR);
        e.var(LSTORE, pageSlot);
        // the access again, with the page just found (not a jump back: that would make every access a loop)
        pageOffset(size, missPop);
        frameAccess(frameSlot, size, v);
        e.label(done);
    }

    /** The access at {@code L_TADDR} through {@link JitRuntime#read}/{@link JitRuntime#write} (a load leaves its value on the stack). */
    private void callRuntime(int seg, int size, int v) {
        e.var(ALOAD, L_CTX);
        e.iconst(seg);
        e.var(LLOAD, L_TADDR);
        e.iconst(size);
        if (v >= 0) {
            push(v);
            e.invoke(INVOKESTATIC, RUNTIME, "write", "(L" + CTX + ";IJIJ)V");
            codeWritten();
        } else {
            e.invoke(INVOKESTATIC, RUNTIME, "read", "(L" + CTX + ";IJI)J");
        }
    }

    /**
     * Set by the translator for each trace: true when the trace loops to its own head, whose accesses
     * then leave the region on a miss instead of calling ({@link #access}).
     */
    boolean leaveOnMiss;

    /** The access itself, on the page offset on the stack, in the frame in {@code frameSlot}. */
    private void frameAccess(int frameSlot, int size, int v) {
        e.var(ALOAD, frameSlot);
        e.insn(SWAP);
        if (v >= 0) {
            push(v);
            e.invoke(INVOKESTATIC, MMU, "put" + size, "([BIJ)V");
        } else {
            e.invoke(INVOKESTATIC, MMU, "get" + size, "([BI)J");
        }
    }

    /** Only a store through {@link JitRuntime#write} can hit code (the page locals never hold a watched frame). */
    private void codeWritten() {
        e.var(ALOAD, L_CTX);
        e.field(GETFIELD, CTX, "codeWritten", "Z");
        e.var(ISTORE, L_CW);
    }

    @Override
    public int alu(Alu op, int a, int b) {
        if (konst[a] && konst[b]) {
            return constant(op.apply(value[a], value[b]));
        }
        if (op == Alu.AND && konst[b] && value[b] == RFlags.CF && snapshot[a] != null) {
            int h = condition(2, snapshot[a]); // RFLAGS & CF is condition B (CF is bit 0)
            if (h >= 0) {
                return h;
            }
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
        force(cond);
        force(ifTrue);
        force(ifFalse);
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
            if (helper == Helper.COND && konst[args[0]] && !konst[args[1]] && snapshot[args[1]] != null) {
                int h = condition(value[args[0]], snapshot[args[1]]);
                if (h >= 0) {
                    return h;
                }
            }
            int h = fresh();
            konst[h] = false;
            twoCond[h] = -1;
            snapshot[h] = null;
            deferred[h] = helper;
            deferredArgs[h] = args.clone();
            return h;
        }
        faultPoint();
        invoke(helper, args);
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
