package org.pvhconf.x86.isa;

import java.util.List;

/**
 * One encoding of one instruction (in 64-bit mode unless flagged {@link #INVALID_64}), named as iced-x86 names its {@code Code} values:
 * the mnemonic, then the operands ({@code ADD_RM64_R64}, {@code MOV_R64_IMM64}, {@code JE_REL8}).
 *
 * <p>Forms are made only by {@link Forms}; {@link #id} is the index in {@link Forms#all()}.
 */
public final class Form {
    /** Operand-size rule of a form (Intel SDM Vol. 2 §2.2.1.7 and table 2-4). */
    public enum SizeRule {
        /** 66 gives 16, REX.W gives 64, else 32. */
        NORMAL,
        /** Default 64: 66 gives 16, else 64; there is no 32-bit form (PUSH, POP, LEAVE...). */
        DEFAULT64,
        /** Always 64 whatever the prefixes (near branches; Intel ignores 66 on them). */
        FORCE64
    }

    /** The flag word bits. */
    public static final int LOCKABLE = 1, MEM_ONLY = 2, REG_ONLY = 4, MOD_IGNORED = 8, NO_PREFIX = 16,
            INVALID_64 = 32, ONLY_64 = 64;

    public final int id;
    public final String name;
    public final String mnemonic;
    /** 0: one-byte map, 1: 0F, 2: 0F 38, 3: 0F 3A. */
    public final int map;
    public final int opcode;
    /** Mandatory prefix (0x66, 0xF3, 0xF2) or 0. */
    public final int mandatoryPrefix;
    public final boolean hasModrm;
    /** Opcode extension in ModRM.reg, or -1. */
    public final int ext;
    /** The whole ModRM byte this form requires (0F 01 C1 = VMCALL), or -1. */
    public final int exactModrm;
    /** The low three opcode bits (with REX.B) name a register. */
    public final boolean opcodeReg;
    public final SizeRule sizeRule;
    /** Effective operand sizes this form is chosen for: bit 0 = 16, bit 1 = 32, bit 2 = 64; 7 = any. */
    public final int sizeMask;
    /** The operand size the semantics use, or 0 when it is the decoded effective size. */
    public final int opSize;
    public final int flags;
    public final List<Operand> operands;

    Form(int id, String name, int map, int opcode, int mandatoryPrefix, boolean hasModrm, int ext,
         int exactModrm, boolean opcodeReg, SizeRule sizeRule, int sizeMask, int opSize, int flags,
         List<Operand> operands) {
        this.id = id;
        this.name = name;
        int us = name.indexOf('_');
        this.mnemonic = us < 0 ? name : name.substring(0, us);
        this.map = map;
        this.opcode = opcode;
        this.mandatoryPrefix = mandatoryPrefix;
        this.hasModrm = hasModrm;
        this.ext = ext;
        this.exactModrm = exactModrm;
        this.opcodeReg = opcodeReg;
        this.sizeRule = sizeRule;
        this.sizeMask = sizeMask;
        this.opSize = opSize;
        this.flags = flags;
        this.operands = operands;
    }

    public boolean lockable() {
        return (flags & LOCKABLE) != 0;
    }

    public Operand operand(int i) {
        return operands.get(i);
    }

    /** The encoding in SDM notation, for listings: {@code 0F B6 /r}, {@code B8+r}, {@code 0F 01 C1}. */
    public String encoding() {
        StringBuilder sb = new StringBuilder();
        if (mandatoryPrefix != 0) {
            sb.append(String.format("%02X ", mandatoryPrefix));
        }
        sb.append(switch (map) {
            case 1 -> "0F ";
            case 2 -> "0F 38 ";
            case 3 -> "0F 3A ";
            default -> "";
        });
        sb.append(String.format("%02X", opcode));
        if (opcodeReg) {
            sb.append("+r");
        }
        if (exactModrm >= 0) {
            sb.append(String.format(" %02X", exactModrm));
        } else if (ext >= 0) {
            sb.append(" /").append(ext);
        } else if (hasModrm) {
            sb.append(" /r");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
