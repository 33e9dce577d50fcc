package org.pvhconf.x86.isa;

/**
 * Where an operand lives, as the instruction-form name spells it ({@code RM64}, {@code R32},
 * {@code IMM8}, {@code REL32}, {@code AL}, ...). The decoder uses the kind to know which encoding
 * field holds the operand; the semantic definitions use it to read and write the operand.
 */
public enum OpKind {
    /** ModRM.rm: a register when mod = 3, else memory ({@code RMn}). */
    RM,
    /** ModRM.reg, or the low three opcode bits of a {@code +r} form, or ModRM.rm of a register-only form ({@code Rn}). */
    REG,
    /** ModRM.rm, memory only; the size is the access the instruction makes ({@code M}, {@code Mn}). */
    MEM,
    /** An immediate, sign-extended to the operand size where the instruction says so ({@code IMMn}). */
    IMM,
    /** A branch displacement relative to the next instruction ({@code REL8}, {@code REL32}). */
    REL,
    /** A register the form names: {@code AL}, {@code AX}, {@code EAX}, {@code RAX}, {@code CL}, {@code DX}. */
    FIXED,
    /** The constant 1 of the shift-by-one forms. */
    ONE,
    /** An absolute address of address size ({@code MOFFSn}). */
    MOFFS,
    /** ModRM.reg names a segment register. */
    SREG,
    /** ModRM.reg (with REX.R) names a control register. */
    CR,
    /** ModRM.reg names a debug register. */
    DR,
    /** A segment register the form names ({@code FS}, {@code GS}). */
    FIXED_SREG,
    /** ModRM.reg (with REX.R) names an XMM register ({@code XMM}). */
    XMM,
    /** ModRM.rm: an XMM register when mod = 3, else memory of the given size ({@code XMMRM128}, {@code XMMRM64}). */
    XMM_RM
}
