package org.pvhconf.x86.sem;

/**
 * The pure static helpers a definition may {@link Ops#call}. Each names its owner class and static
 * method (all parameters and the result are {@code long}) so that the JIT can emit INVOKESTATIC;
 * {@link #apply} is the same call for the interpreter. {@code HelperTest} checks that the named
 * method exists with {@link #arity} long parameters.
 */
public enum Helper {
    FLAGS_ADD(Flags.class, "add", 4, false, a -> Flags.add(a[0], a[1], a[2], a[3])),
    FLAGS_ADC(Flags.class, "adc", 5, false, a -> Flags.adc(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_SUB(Flags.class, "sub", 4, false, a -> Flags.sub(a[0], a[1], a[2], a[3])),
    FLAGS_SBB(Flags.class, "sbb", 5, false, a -> Flags.sbb(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_LOGIC(Flags.class, "logic", 2, false, a -> Flags.logic(a[0], a[1])),
    FLAGS_INC(Flags.class, "inc", 4, false, a -> Flags.inc(a[0], a[1], a[2], a[3])),
    FLAGS_DEC(Flags.class, "dec", 4, false, a -> Flags.dec(a[0], a[1], a[2], a[3])),
    FLAGS_NEG(Flags.class, "neg", 3, false, a -> Flags.neg(a[0], a[1], a[2])),
    FLAGS_SHL(Flags.class, "shl", 5, false, a -> Flags.shl(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_SHR(Flags.class, "shr", 5, false, a -> Flags.shr(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_SAR(Flags.class, "sar", 5, false, a -> Flags.sar(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_ROL(Flags.class, "rol", 4, false, a -> Flags.rol(a[0], a[1], a[2], a[3])),
    FLAGS_ROR(Flags.class, "ror", 4, false, a -> Flags.ror(a[0], a[1], a[2], a[3])),
    FLAGS_RCL(Flags.class, "rcl", 4, false, a -> Flags.rcl(a[0], a[1], a[2], a[3])),
    FLAGS_RCR(Flags.class, "rcr", 4, false, a -> Flags.rcr(a[0], a[1], a[2], a[3])),
    FLAGS_SHLD(Flags.class, "shld", 5, false, a -> Flags.shld(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_SHRD(Flags.class, "shrd", 5, false, a -> Flags.shrd(a[0], a[1], a[2], a[3], a[4])),
    FLAGS_MUL(Flags.class, "mul", 3, false, a -> Flags.mul(a[0], a[1], a[2])),
    FLAGS_IMUL(Flags.class, "imul", 3, false, a -> Flags.imul(a[0], a[1], a[2])),
    FLAGS_SZP(Flags.class, "szp", 2, false, a -> Flags.szp(a[0], a[1])),
    COND(Flags.class, "cond", 2, false, a -> Flags.cond(a[0], a[1])),
    COND_SUB(Flags.class, "condSub", 5, false, a -> Flags.condSub(a[0], a[1], a[2], a[3], a[4])),
    COND_ADD(Flags.class, "condAdd", 5, false, a -> Flags.condAdd(a[0], a[1], a[2], a[3], a[4])),
    COND_LOGIC(Flags.class, "condLogic", 3, false, a -> Flags.condLogic(a[0], a[1], a[2])),
    COND_INC(Flags.class, "condInc", 5, false, a -> Flags.condInc(a[0], a[1], a[2], a[3], a[4])),
    COND_DEC(Flags.class, "condDec", 5, false, a -> Flags.condDec(a[0], a[1], a[2], a[3], a[4])),

    ROL(IntOps.class, "rol", 3, false, a -> IntOps.rol(a[0], a[1], a[2])),
    ROR(IntOps.class, "ror", 3, false, a -> IntOps.ror(a[0], a[1], a[2])),
    RCL(IntOps.class, "rcl", 4, false, a -> IntOps.rcl(a[0], a[1], a[2], a[3])),
    RCR(IntOps.class, "rcr", 4, false, a -> IntOps.rcr(a[0], a[1], a[2], a[3])),
    SHLD(IntOps.class, "shld", 4, false, a -> IntOps.shld(a[0], a[1], a[2], a[3])),
    SHRD(IntOps.class, "shrd", 4, false, a -> IntOps.shrd(a[0], a[1], a[2], a[3])),
    MUL_HIGH(IntOps.class, "mulHigh", 4, false, a -> IntOps.mulHigh(a[0], a[1], a[2], a[3])),
    DIVU(IntOps.class, "divu", 4, true, a -> IntOps.divu(a[0], a[1], a[2], a[3])),
    REMU(IntOps.class, "remu", 4, true, a -> IntOps.remu(a[0], a[1], a[2], a[3])),
    DIVS(IntOps.class, "divs", 4, true, a -> IntOps.divs(a[0], a[1], a[2], a[3])),
    REMS(IntOps.class, "rems", 4, true, a -> IntOps.rems(a[0], a[1], a[2], a[3])),
    BSWAP(IntOps.class, "bswap", 2, false, a -> IntOps.bswap(a[0], a[1])),
    BSF(IntOps.class, "bsf", 2, false, a -> IntOps.bsf(a[0], a[1])),
    BSR(IntOps.class, "bsr", 2, false, a -> IntOps.bsr(a[0], a[1])),
    NON_CANONICAL(IntOps.class, "nonCanonical", 1, false, a -> IntOps.nonCanonical(a[0])),
    POPCNT(IntOps.class, "popcnt", 1, false, a -> IntOps.popcnt(a[0])),
    LZCNT(IntOps.class, "lzcnt", 2, false, a -> IntOps.lzcnt(a[0], a[1])),
    TZCNT(IntOps.class, "tzcnt", 2, false, a -> IntOps.tzcnt(a[0], a[1])),
    DAA(IntOps.class, "daa", 2, false, a -> IntOps.daa(a[0], a[1])),
    DAS(IntOps.class, "das", 2, false, a -> IntOps.das(a[0], a[1])),
    AAA(IntOps.class, "aaa", 2, false, a -> IntOps.aaa(a[0], a[1])),
    AAS(IntOps.class, "aas", 2, false, a -> IntOps.aas(a[0], a[1])),
    AAM(IntOps.class, "aam", 2, true, a -> IntOps.aam(a[0], a[1])),
    AAD(IntOps.class, "aad", 2, false, a -> IntOps.aad(a[0], a[1]));

    /** The interpreter's view of the call. */
    @FunctionalInterface
    public interface Fn {
        long apply(long[] args);
    }

    public final Class<?> owner;
    public final String method;
    public final int arity;
    /** True when the helper may throw a guest fault: it then counts as an effect in {@link Ops}' call order. */
    public final boolean faulting;
    private final Fn fn;

    Helper(Class<?> owner, String method, int arity, boolean faulting, Fn fn) {
        this.owner = owner;
        this.method = method;
        this.arity = arity;
        this.faulting = faulting;
        this.fn = fn;
    }

    public long apply(long[] args) {
        return fn.apply(args);
    }
}
