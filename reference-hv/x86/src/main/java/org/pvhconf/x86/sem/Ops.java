package org.pvhconf.x86.sem;

/**
 * The operations a semantic definition is written against: a small typed IR in the style of TCG
 * ops, expressed as calls (tagless-final). The interpreter <em>evaluates</em> each call as it comes;
 * the JIT will <em>emit</em> JVM bytecode for it. One definition per instruction form
 * ({@link Semantics}) serves both, so the two back ends cannot disagree about the ISA.
 *
 * <h2>Values</h2>
 * Every value is a 64-bit integer named by an {@code int} handle that an earlier call returned
 * (interpreter: a slot in a {@code long[]}; JIT: a JVM local). Handles live for one instruction.
 * A definition may use a handle any number of times but never invents one. Values narrower than
 * 64 bits are zero-extended unless a method says otherwise; where a definition needs a narrower
 * view it says so with {@link #ext}. Sizes are in bits: 8, 16, 32 or 64.
 *
 * <h2>Definitions are straight-line code</h2>
 * A definition may branch in Java only on {@link org.pvhconf.x86.decode.DecodedInsn} fields (they are
 * translation-time constants). Anything that depends on a guest value goes through {@link #select},
 * {@link #raiseIf}, {@link #jump} or a helper.
 *
 * <h2>Legal call order (precise exceptions)</h2>
 * <pre>
 *   instruction := ( pure | effect )* ( pure | write )*
 *   pure        := imm | reg | flags | rip | nextRip | alu | ext | select | call(non-faulting helper)
 *   effect      := load | store | raise | raiseIf | sys | call(faulting helper)
 *   write       := setReg | setFlags | jump
 * </pre>
 * Every call that can fault or exit comes before the first architectural write of the instruction,
 * so a fault or VM exit leaves the guest state exactly as it was before the instruction: the back
 * end never has to undo anything. Stores that a fault can interrupt must therefore come after every
 * load of the instruction; a store to two pages is checked on both before either is written
 * (the MMU guarantees that). The interpreter asserts this order when Java assertions are on.
 * {@link Sys} helpers read and write the {@link org.pvhconf.x86.cpu.Cpu} directly and are
 * themselves check-then-commit: a back end must hold all guest state in the {@code Cpu} when it
 * calls one (the JIT spills before and reloads after).
 */
public interface Ops {

    // ---- constants and architectural registers ----

    /** A constant. */
    int imm(long value);

    /**
     * Reads general-purpose register {@code r} (0..15, or 16..19 = AH..BH with size 8), zero-extended
     * from {@code size}.
     */
    int reg(int r, int size);

    /**
     * Writes the low {@code size} bits of {@code value} to register {@code r} with the x86-64 merge
     * rules: 8 and 16 keep the other bits, 32 zero-extends to 64, 64 writes all.
     */
    void setReg(int r, int size, int value);

    /** RFLAGS. */
    int flags();

    /** RFLAGS = RFLAGS &amp; ~mask | value &amp; mask. {@code mask} is a translation-time constant. */
    void setFlags(int value, long mask);

    /** The linear address of this instruction (CS base is 0 in 64-bit mode). */
    int rip();

    /** The address of the next instruction: rip + length. */
    int nextRip();

    /** Sets RIP for after this instruction; without it RIP becomes {@link #nextRip()}. */
    void jump(int target);

    // ---- memory ----

    /**
     * Loads {@code size} bits from segment {@code seg} (a {@link org.pvhconf.x86.cpu.SegReg} ordinal)
     * at effective address {@code addr}, zero-extended. Faults: #GP(0) / #SS(0) non-canonical,
     * #PF, EPT violation exit.
     */
    int load(int seg, int addr, int size);

    /** Stores the low {@code size} bits of {@code value}. Faults as {@link #load}, checked before any byte is written. */
    void store(int seg, int addr, int size, int value);

    // ---- arithmetic on 64-bit values ----

    /** A two-operand operation on full 64-bit values; see {@link Alu}. */
    int alu(Alu op, int a, int b);

    /** Truncates {@code value} to {@code size} bits and zero- or sign-extends it back to 64. */
    int ext(int value, int size, boolean signed);

    /** {@code cond != 0 ? ifTrue : ifFalse}. Both operands are evaluated. */
    int select(int cond, int ifTrue, int ifFalse);

    /** Calls a pure static helper with the given argument values ({@link Helper#arity} of them). */
    int call(Helper helper, int... args);

    // ---- exceptions and system helpers ----

    /** Raises exception {@code vector} with {@code errorCode} (or -1 for none). Ends the instruction. */
    void raise(int vector, int errorCode);

    /** Raises the exception when {@code cond != 0}. */
    void raiseIf(int cond, int vector, int errorCode);

    /**
     * Calls a system helper with the decoded instruction and one argument value (use {@code imm(0)}
     * when it takes none). The helper may read and write the Cpu, fault, exit or jump.
     */
    int sys(Sys helper, int arg);
}
