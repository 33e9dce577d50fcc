package org.pvhconf.x86.testing;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * Random register-only integer instructions, encoded by hand, for differential tests. Never names
 * RSP/SPL (the host stack), never faults, never branches. After any instruction that leaves a flag
 * undefined it emits a full-flag-defining ADD, so the final state is fully defined architecturally
 * and nothing reads an undefined flag.
 */
public final class RandomAlu {
    private final SplittableRandom r;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int count;
    private boolean noRex;

    public RandomAlu(long seed) {
        this.r = new SplittableRandom(seed);
    }

    /** A fresh sequence of {@code n} instructions (plus flag fixers); {@link #count()} gives the total. */
    public byte[] sequence(int n) {
        out.reset();
        count = 0;
        checkpoints.clear();
        for (int i = 0; i < n; i++) {
            if (one()) {
                fixer();
            }
            checkpoints.add(out.size());
        }
        return out.toByteArray();
    }

    /** Byte offsets in the last sequence after which every flag is defined: where prefixes may be compared. */
    public java.util.List<Integer> checkpoints() {
        return java.util.List.copyOf(checkpoints);
    }

    private final java.util.List<Integer> checkpoints = new java.util.ArrayList<>();

    public int count() {
        return count;
    }

    /** A value for a register: often an edge case. */
    public long value() {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> 1L << r.nextInt(64);
            case 3 -> r.nextInt(256) - 128;
            case 4 -> 0x80000000L;
            case 5 -> 0x7FFFFFFFFFFFFFFFL;
            default -> r.nextLong();
        };
    }

    public long flags() {
        return r.nextLong() & 0x8D5; // CF PF AF ZF SF OF
    }

    // ---- encoding ----

    private int size() {
        return new int[] {8, 16, 32, 64}[r.nextInt(4)];
    }

    private int wideSize() {
        return new int[] {16, 32, 64}[r.nextInt(3)];
    }

    /** A register for an operand of {@code size}; obeys the REX mode chosen for this instruction. */
    private int reg(int size) {
        for (;;) {
            int n = r.nextInt(noRex ? 8 : 16);
            if (n == 4 && !(noRex && size == 8)) {
                continue; // RSP, or SPL with REX; AH without REX is fine
            }
            return n;
        }
    }

    /** Encodes prefixes, opcode, and a mod=3 ModRM. {@code regField} is a register or an extension. */
    private void emit(int size, int[] opcode, int regField, boolean regIsReg, int rm, long imm, int immBytes) {
        if (size == 16) {
            out.write(0x66);
        }
        int rex = (size == 64 ? 8 : 0) | (regIsReg && regField >= 8 ? 4 : 0) | (rm >= 8 ? 1 : 0);
        if (!noRex && (rex != 0 || size == 8 || r.nextInt(4) == 0)) {
            out.write(0x40 | rex);
        }
        for (int b : opcode) {
            out.write(b);
        }
        out.write(0xC0 | (regField & 7) << 3 | (rm & 7));
        immediate(imm, immBytes);
        count++;
    }

    private void immediate(long imm, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (imm >>> (8 * i)) & 0xFF);
        }
    }

    private void mode(int size) {
        noRex = size != 64 && r.nextInt(3) == 0;
    }

    private void fixer() {
        noRex = false;
        emit(64, new int[] {0x01}, reg(64), true, reg(64), 0, 0);
    }

    /** Emits one instruction; returns true if it left some flag undefined. */
    private boolean one() {
        int size = size();
        mode(size);
        int w = size == 8 ? 0 : 1;
        int immz = size == 8 ? 1 : size == 16 ? 2 : 4;
        switch (r.nextInt(23)) {
            case 0, 1, 2 -> { // ALU r/m, r and r, r/m
                int op = r.nextInt(8);
                emit(size, new int[] {op * 8 + w + (r.nextBoolean() ? 2 : 0)}, reg(size), true, reg(size), 0, 0);
                return op == 1 || op == 4 || op == 6;
            }
            case 3, 4 -> { // ALU r/m, imm
                int op = r.nextInt(8);
                boolean imm8 = size != 8 && r.nextBoolean();
                emit(size, new int[] {size == 8 ? 0x80 : imm8 ? 0x83 : 0x81}, op, false, reg(size), r.nextLong(),
                        imm8 ? 1 : immz);
                return op == 1 || op == 4 || op == 6;
            }
            case 5 -> { // ALU accumulator, imm
                int op = r.nextInt(8);
                if (size == 16) {
                    out.write(0x66);
                }
                if (size == 64) {
                    out.write(0x48);
                }
                out.write(op * 8 + 4 + w);
                immediate(r.nextLong(), immz);
                count++;
                return op == 1 || op == 4 || op == 6;
            }
            case 6 -> { // TEST
                if (r.nextBoolean()) {
                    emit(size, new int[] {0x84 + w}, reg(size), true, reg(size), 0, 0);
                } else {
                    emit(size, new int[] {0xF6 + w}, 0, false, reg(size), r.nextLong(), immz);
                }
                return true;
            }
            case 7 -> { // INC DEC (FE/FF), NOT NEG (F6/F7)
                int k = r.nextInt(4);
                emit(size, new int[] {(k < 2 ? 0xFE : 0xF6) + w}, k < 2 ? k : k, false, reg(size), 0, 0);
                return false;
            }
            case 8 -> { // MUL / IMUL one operand
                emit(size, new int[] {0xF6 + w}, 4 + r.nextInt(2), false, reg(size), 0, 0);
                return true;
            }
            case 9 -> { // IMUL two and three operands
                int s = wideSize();
                mode(s);
                switch (r.nextInt(3)) {
                    case 0 -> emit(s, new int[] {0x0F, 0xAF}, reg(s), true, reg(s), 0, 0);
                    case 1 -> emit(s, new int[] {0x6B}, reg(s), true, reg(s), r.nextLong(), 1);
                    default -> emit(s, new int[] {0x69}, reg(s), true, reg(s), r.nextLong(), s == 16 ? 2 : 4);
                }
                return true;
            }
            case 10, 11 -> { // shifts and rotates
                int ext = r.nextInt(8);
                int rm = reg(size);
                switch (r.nextInt(3)) {
                    case 0 -> emit(size, new int[] {0xC0 + w}, ext, false, rm, r.nextInt(256), 1);
                    case 1 -> emit(size, new int[] {0xD0 + w}, ext, false, rm, 0, 0);
                    default -> emit(size, new int[] {0xD2 + w}, ext, false, rm, 0, 0);
                }
                return true;
            }
            case 12 -> { // SHLD / SHRD
                int s = wideSize();
                mode(s);
                int base = r.nextBoolean() ? 0xA4 : 0xAC;
                if (s == 16) {
                    emit(s, new int[] {0x0F, base}, reg(s), true, reg(s), r.nextInt(17), 1);
                } else if (r.nextBoolean()) {
                    emit(s, new int[] {0x0F, base}, reg(s), true, reg(s), r.nextInt(256), 1);
                } else {
                    emit(s, new int[] {0x0F, base + 1}, reg(s), true, reg(s), 0, 0);
                }
                return true;
            }
            case 13 -> { // BT BTS BTR BTC
                int s = wideSize();
                mode(s);
                int k = r.nextInt(4);
                if (r.nextBoolean()) {
                    emit(s, new int[] {0x0F, 0xA3 + 8 * k}, reg(s), true, reg(s), 0, 0);
                } else {
                    emit(s, new int[] {0x0F, 0xBA}, 4 + k, false, reg(s), r.nextInt(256), 1);
                }
                return true;
            }
            case 14 -> { // BSF BSR
                int s = wideSize();
                mode(s);
                emit(s, new int[] {0x0F, 0xBC + r.nextInt(2)}, reg(s), true, reg(s), 0, 0);
                return true;
            }
            case 15 -> { // BSWAP r32 / r64
                int s = r.nextBoolean() ? 32 : 64;
                noRex = false;
                int n = reg(s);
                out.write(0x40 | (s == 64 ? 8 : 0) | (n >= 8 ? 1 : 0));
                out.write(0x0F);
                out.write(0xC8 + (n & 7));
                count++;
                return false;
            }
            case 16 -> { // XCHG, XADD, CMPXCHG
                switch (r.nextInt(3)) {
                    case 0 -> emit(size, new int[] {0x86 + w}, reg(size), true, reg(size), 0, 0);
                    case 1 -> emit(size, new int[] {0x0F, 0xC0 + w}, reg(size), true, reg(size), 0, 0);
                    default -> emit(size, new int[] {0x0F, 0xB0 + w}, reg(size), true, reg(size), 0, 0);
                }
                return false;
            }
            case 17 -> { // MOVZX MOVSX MOVSXD
                int s = wideSize();
                mode(s);
                int k = r.nextInt(5);
                if (k == 4) {
                    noRex = false;
                    emit(64, new int[] {0x63}, reg(64), true, reg(64), 0, 0);
                } else {
                    int opc = new int[] {0xB6, 0xB7, 0xBE, 0xBF}[k];
                    int srcSize = (opc & 1) == 0 ? 8 : 16;
                    int dst = reg(s);
                    emit(s, new int[] {0x0F, opc}, dst, true, reg(srcSize), 0, 0);
                }
                return false;
            }
            case 18 -> { // MOV r/m, r; MOV r, imm
                switch (r.nextInt(3)) {
                    case 0 -> emit(size, new int[] {0x88 + w}, reg(size), true, reg(size), 0, 0);
                    case 1 -> emit(size, new int[] {0xC6 + w}, 0, false, reg(size), r.nextLong(), immz);
                    default -> {
                        noRex = false;
                        int n = reg(size);
                        if (size == 16) {
                            out.write(0x66);
                        }
                        out.write(0x40 | (size == 64 ? 8 : 0) | (n >= 8 ? 1 : 0));
                        out.write((size == 8 ? 0xB0 : 0xB8) + (n & 7));
                        immediate(r.nextLong(), size / 8);
                        count++;
                    }
                }
                return false;
            }
            case 19 -> { // CMOVcc, SETcc
                int cc = r.nextInt(16);
                if (r.nextBoolean()) {
                    int s = wideSize();
                    mode(s);
                    emit(s, new int[] {0x0F, 0x40 + cc}, reg(s), true, reg(s), 0, 0);
                } else {
                    mode(8);
                    emit(8, new int[] {0x0F, 0x90 + cc}, 0, false, reg(8), 0, 0);
                }
                return false;
            }
            case 20 -> { // CBW CWDE CDQE CWD CDQ CQO, CLC STC CMC, LAHF SAHF
                int s = wideSize();
                switch (r.nextInt(4)) {
                    case 0, 1 -> {
                        if (s == 16) {
                            out.write(0x66);
                        }
                        if (s == 64) {
                            out.write(0x48);
                        }
                        out.write(r.nextBoolean() ? 0x98 : 0x99);
                    }
                    case 2 -> out.write(new int[] {0xF8, 0xF9, 0xF5}[r.nextInt(3)]);
                    default -> out.write(r.nextBoolean() ? 0x9E : 0x9F);
                }
                count++;
                return false;
            }
            default -> { // LEA with random SIB addressing, sometimes 32-bit addresses
                int s = wideSize();
                noRex = false;
                if (r.nextInt(4) == 0) {
                    out.write(0x67);
                }
                int dst = reg(s);
                int base = reg(64);
                int index = reg(64);
                int mod = r.nextInt(3);
                if (s == 16) {
                    out.write(0x66);
                }
                out.write(0x40 | (s == 64 ? 8 : 0) | (dst >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0));
                out.write(0x8D);
                out.write(mod << 6 | (dst & 7) << 3 | 4);
                out.write(r.nextInt(4) << 6 | (index & 7) << 3 | (base & 7));
                if (mod == 1) {
                    immediate(r.nextLong(), 1);
                } else if (mod == 2 || (base & 7) == 5 && mod == 0) {
                    immediate(r.nextLong(), 4);
                }
                count++;
                return false;
            }
        }
    }
}
