package org.pvhconf.x86.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random integer instructions, encoded by hand from the SDM, for differential tests against the host
 * CPU. Operands are registers or memory in a data buffer that {@link #BASE} (R15) points at, reached
 * through disp8, disp32, SIB and RIP-relative forms, with segment-override and LOCK prefixes. Never
 * names RSP or R15 as a register operand, never faults (divisions and bit-string and string operands
 * are set up first), never branches. After an instruction that leaves a flag undefined it emits a
 * full-flag-defining ADD, so that nothing reads an undefined flag and the final state is fully
 * defined: nothing needs masking.
 *
 * <p>RIP-relative operands assume the body starts {@code origin} bytes into the code page and the
 * data buffer starts {@code dataOffset} bytes into it, on the host and in the guest alike.
 */
public final class RandomInsn {
    /** The register holding the data buffer's address. */
    public static final int BASE = 15;
    /** Bytes in the data buffer. Memory operands stay within [{@link #LOW}, DATA_SIZE - {@link #HIGH_GAP}). */
    public static final int DATA_SIZE = 512;
    private static final int LOW = 32, HIGH_GAP = 48;

    private final SplittableRandom r;
    private final int origin;
    private final int dataOffset;
    private byte[] out = new byte[256];
    private int len;
    private int count;
    private boolean noRex;
    private final List<Integer> checkpoints = new ArrayList<>();

    /** Also emit the SSE subset (XMM registers then take part in the comparison). */
    private final boolean sse;

    public RandomInsn(long seed, int origin, int dataOffset) {
        this(seed, origin, dataOffset, false);
    }

    public RandomInsn(long seed, int origin, int dataOffset, boolean sse) {
        this.sse = sse;
        this.r = new SplittableRandom(seed);
        this.origin = origin;
        this.dataOffset = dataOffset;
    }

    /** A fresh sequence of {@code n} random instructions (plus set-ups and flag fixers; {@link #count()} has the total). */
    public byte[] sequence(int n) {
        len = 0;
        count = 0;
        checkpoints.clear();
        for (int i = 0; i < n; i++) {
            if (one()) {
                fixer();
            }
            checkpoints.add(len);
        }
        return Arrays.copyOf(out, len);
    }

    /** Byte offsets in the last sequence after which every flag is defined: where prefixes may be compared. */
    public List<Integer> checkpoints() {
        return List.copyOf(checkpoints);
    }

    /** Instructions in the last sequence. */
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

    /** Random bytes for the data buffer, often zero or all ones so that compares can match. */
    public byte[] data() {
        byte[] b = new byte[DATA_SIZE];
        for (int i = 0; i < b.length; i += 8) {
            long v = value();
            for (int k = 0; k < 8; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    public long flags() {
        return r.nextLong() & 0x8D5; // CF PF AF ZF SF OF
    }

    // ---- encoding ----

    private void put(int b) {
        if (len == out.length) {
            out = Arrays.copyOf(out, len * 2);
        }
        out[len++] = (byte) b;
    }

    private void immediate(long imm, int bytes) {
        for (int i = 0; i < bytes; i++) {
            put((int) (imm >>> (8 * i)) & 0xFF);
        }
    }

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
            if (n == BASE || n == 4 && !(noRex && size == 8)) {
                continue; // RSP, SPL with REX, or the buffer base; AH without REX is fine
            }
            return n;
        }
    }

    private void mode(int size) {
        noRex = size != 64 && r.nextInt(3) == 0;
    }

    /** Operand-encoding request for {@link #emit}. */
    private static final int MEM_OK = 1, LOCK_OK = 2, MEM_ONLY = 4, ALIGN16 = 8;

    /**
     * Encodes prefixes, REX, opcode, ModRM (register, or a memory operand in the buffer when
     * {@code how} allows it and the dice say so), displacement and immediate. {@code regField} is a
     * register or an opcode extension; {@code mandatory} a mandatory prefix or 0.
     */
    private void emit(int size, int mandatory, int[] opcode, int regField, boolean regIsReg, int rm, long imm,
                      int immBytes, int how) {
        boolean mem = (how & MEM_ONLY) != 0 || (how & MEM_OK) != 0 && r.nextInt(3) == 0;
        int form = !mem ? -1 : noRex ? 4 : r.nextInt(5); // 0 [r15+d8] 1 [r15+d32] 2 SIB 3 [r15] 4 RIP-relative
        if (form == 3 && (how & ALIGN16) == 0) {
            form = 0;
        }
        if (mem && r.nextInt(6) == 0) {
            put(new int[] {0x26, 0x2E, 0x36, 0x3E}[r.nextInt(4)]);
        }
        if (mem && (how & LOCK_OK) != 0 && r.nextInt(3) == 0) {
            put(0xF0);
        }
        if (size == 16) {
            put(0x66);
        }
        if (mandatory != 0) {
            put(mandatory);
        }
        int rex = (size == 64 ? 8 : 0) | (regIsReg && regField >= 8 ? 4 : 0)
                | (mem ? (form == 4 ? 0 : 1) : rm >= 8 ? 1 : 0);
        if (!noRex && (rex != 0 || size == 8 || r.nextInt(4) == 0)) {
            put(0x40 | rex);
        }
        for (int b : opcode) {
            put(b);
        }
        int reg3 = (regField & 7) << 3;
        if (!mem) {
            put(0xC0 | reg3 | (rm & 7));
            immediate(imm, immBytes);
            count++;
            return;
        }
        int disp = LOW + r.nextInt(DATA_SIZE - LOW - HIGH_GAP);
        if ((how & ALIGN16) != 0) {
            disp &= ~15;
        }
        switch (form) {
            case 0 -> {
                disp = Math.min(disp, 127) & ((how & ALIGN16) != 0 ? ~15 : ~0);
                put(0x47 | reg3);
                put(disp);
            }
            case 1 -> {
                put(0x87 | reg3);
                immediate(disp, 4);
            }
            case 2 -> {
                boolean d8 = disp < 128 && r.nextBoolean();
                put((d8 ? 0x44 : 0x84) | reg3);
                put(r.nextInt(4) << 6 | 4 << 3 | 7); // no index (100b without REX.X): the scale is ignored
                immediate(disp, d8 ? 1 : 4);
            }
            case 3 -> put(0x07 | reg3); // [r15], disp 0: the buffer start is 16-aligned
            default -> {
                put(0x05 | reg3);
                int at = len;
                immediate(0, 4);
                immediate(imm, immBytes);
                long rel = dataOffset + disp - (origin + len);
                for (int i = 0; i < 4; i++) {
                    out[at + i] = (byte) (rel >>> (8 * i));
                }
                count++;
                return;
            }
        }
        immediate(imm, immBytes);
        count++;
    }

    private void emit(int size, int[] opcode, int regField, boolean regIsReg, int rm, long imm, int immBytes, int how) {
        emit(size, 0, opcode, regField, regIsReg, rm, imm, immBytes, how);
    }

    /** A one-byte instruction with optional 66 / REX.W. */
    private void plain(int size, int opcode) {
        if (size == 16) {
            put(0x66);
        }
        if (size == 64) {
            put(0x48);
        }
        put(opcode);
        count++;
    }

    /** MOV r32/r64, imm (B8+r); 32 zero-extends. */
    private void movImm(int reg, int size, long imm) {
        put(0x40 | (size == 64 ? 8 : 0) | (reg >= 8 ? 1 : 0));
        put(0xB8 + (reg & 7));
        immediate(imm, size / 8);
        count++;
    }

    /** LEA reg64, [r15 + disp32]. */
    private void leaBuffer(int reg, int disp) {
        put(0x49 | (reg >= 8 ? 4 : 0));
        put(0x8D);
        put(0x87 | (reg & 7) << 3);
        immediate(disp, 4);
        count++;
    }

    private void fixer() {
        noRex = false;
        emit(64, new int[] {0x01}, reg(64), true, reg(64), 0, 0, 0);
    }

    /** Emits one instruction (with its set-up); returns true if it left some flag undefined. */
    private boolean one() {
        int size = size();
        mode(size);
        int w = size == 8 ? 0 : 1;
        int immz = size == 8 ? 1 : size == 16 ? 2 : 4;
        switch (r.nextInt(sse ? 33 : 30)) {
            case 0, 1 -> { // ALU r/m, r
                int op = r.nextInt(8);
                emit(size, new int[] {op * 8 + w}, reg(size), true, reg(size), 0, 0, MEM_OK | (op != 7 ? LOCK_OK : 0));
                return op == 1 || op == 4 || op == 6;
            }
            case 2 -> { // ALU r, r/m
                int op = r.nextInt(8);
                emit(size, new int[] {op * 8 + w + 2}, reg(size), true, reg(size), 0, 0, MEM_OK);
                return op == 1 || op == 4 || op == 6;
            }
            case 3, 4 -> { // ALU r/m, imm
                int op = r.nextInt(8);
                boolean imm8 = size != 8 && r.nextBoolean();
                emit(size, new int[] {size == 8 ? 0x80 : imm8 ? 0x83 : 0x81}, op, false, reg(size), r.nextLong(),
                        imm8 ? 1 : immz, MEM_OK | (op != 7 ? LOCK_OK : 0));
                return op == 1 || op == 4 || op == 6;
            }
            case 5 -> { // ALU accumulator, imm
                int op = r.nextInt(8);
                if (size == 16) {
                    put(0x66);
                }
                if (size == 64) {
                    put(0x48);
                }
                put(op * 8 + 4 + w);
                immediate(r.nextLong(), immz);
                count++;
                return op == 1 || op == 4 || op == 6;
            }
            case 6 -> { // TEST
                if (r.nextBoolean()) {
                    emit(size, new int[] {0x84 + w}, reg(size), true, reg(size), 0, 0, MEM_OK);
                } else {
                    emit(size, new int[] {0xF6 + w}, 0, false, reg(size), r.nextLong(), immz, MEM_OK);
                }
                return true;
            }
            case 7 -> { // INC DEC (FE/FF /0 /1), NOT NEG (F6/F7 /2 /3)
                int k = r.nextInt(4);
                emit(size, new int[] {(k < 2 ? 0xFE : 0xF6) + w}, k, false, reg(size), 0, 0, MEM_OK | LOCK_OK);
                return false;
            }
            case 8 -> { // MUL / IMUL one operand
                emit(size, new int[] {0xF6 + w}, 4 + r.nextInt(2), false, reg(size), 0, 0, MEM_OK);
                return true;
            }
            case 9 -> { // IMUL two and three operands
                int s = wideSize();
                mode(s);
                switch (r.nextInt(3)) {
                    case 0 -> emit(s, new int[] {0x0F, 0xAF}, reg(s), true, reg(s), 0, 0, MEM_OK);
                    case 1 -> emit(s, new int[] {0x6B}, reg(s), true, reg(s), r.nextLong(), 1, MEM_OK);
                    default -> emit(s, new int[] {0x69}, reg(s), true, reg(s), r.nextLong(), s == 16 ? 2 : 4, MEM_OK);
                }
                return true;
            }
            case 10, 11 -> { // shifts and rotates
                int ext = r.nextInt(8);
                int rm = reg(size);
                switch (r.nextInt(3)) {
                    case 0 -> emit(size, new int[] {0xC0 + w}, ext, false, rm, r.nextInt(256), 1, MEM_OK);
                    case 1 -> emit(size, new int[] {0xD0 + w}, ext, false, rm, 0, 0, MEM_OK);
                    default -> emit(size, new int[] {0xD2 + w}, ext, false, rm, 0, 0, MEM_OK);
                }
                return true;
            }
            case 12 -> { // SHLD / SHRD
                int s = wideSize();
                mode(s);
                int base = r.nextBoolean() ? 0xA4 : 0xAC;
                if (s == 16) {
                    emit(s, new int[] {0x0F, base}, reg(s), true, reg(s), r.nextInt(17), 1, MEM_OK);
                } else if (r.nextBoolean()) {
                    emit(s, new int[] {0x0F, base}, reg(s), true, reg(s), r.nextInt(256), 1, MEM_OK);
                } else {
                    emit(s, new int[] {0x0F, base + 1}, reg(s), true, reg(s), 0, 0, MEM_OK);
                }
                return true;
            }
            case 13 -> { // BT BTS BTR BTC
                int s = wideSize();
                mode(s);
                int k = r.nextInt(4);
                int lock = k == 0 ? 0 : LOCK_OK;
                if (r.nextBoolean()) {
                    // A register bit offset addresses a bit string: keep it within +-128 bits of the operand.
                    noRex = false;
                    int off = reg(s);
                    movImm(off, 32, r.nextInt(256) - 128 & 0xFFFFFFFFL);
                    if (s == 64) {
                        emit(64, new int[] {0x63}, off, true, off, 0, 0, 0); // MOVSXD: a negative offset stays negative
                    }
                    emit(s, new int[] {0x0F, 0xA3 + 8 * k}, off, true, reg(s), 0, 0, MEM_OK | lock);
                } else {
                    emit(s, new int[] {0x0F, 0xBA}, 4 + k, false, reg(s), r.nextInt(256), 1, MEM_OK | lock);
                }
                return true;
            }
            case 14 -> { // BSF BSR
                int s = wideSize();
                mode(s);
                emit(s, new int[] {0x0F, 0xBC + r.nextInt(2)}, reg(s), true, reg(s), 0, 0, MEM_OK);
                return true;
            }
            case 15 -> { // BSWAP r32 / r64
                noRex = false;
                int s = r.nextBoolean() ? 32 : 64;
                int n = reg(s);
                put(0x40 | (s == 64 ? 8 : 0) | (n >= 8 ? 1 : 0));
                put(0x0F);
                put(0xC8 + (n & 7));
                count++;
                return false;
            }
            case 16 -> { // XCHG, XADD, CMPXCHG
                switch (r.nextInt(3)) {
                    case 0 -> emit(size, new int[] {0x86 + w}, reg(size), true, reg(size), 0, 0, MEM_OK | LOCK_OK);
                    case 1 -> emit(size, new int[] {0x0F, 0xC0 + w}, reg(size), true, reg(size), 0, 0, MEM_OK | LOCK_OK);
                    default -> emit(size, new int[] {0x0F, 0xB0 + w}, reg(size), true, reg(size), 0, 0, MEM_OK | LOCK_OK);
                }
                return false;
            }
            case 17 -> { // MOVZX MOVSX MOVSXD
                int s = wideSize();
                mode(s);
                int k = r.nextInt(5);
                if (k == 4) {
                    noRex = false;
                    emit(64, new int[] {0x63}, reg(64), true, reg(64), 0, 0, MEM_OK);
                } else {
                    int opc = new int[] {0xB6, 0xB7, 0xBE, 0xBF}[k];
                    int dst = reg(s);
                    emit(s, new int[] {0x0F, opc}, dst, true, reg((opc & 1) == 0 ? 8 : 16), 0, 0, MEM_OK);
                }
                return false;
            }
            case 18 -> { // MOV r/m, r; MOV r, r/m; MOV r/m, imm; MOV r, imm
                switch (r.nextInt(4)) {
                    case 0 -> emit(size, new int[] {0x88 + w}, reg(size), true, reg(size), 0, 0, MEM_OK);
                    case 1 -> emit(size, new int[] {0x8A + w}, reg(size), true, reg(size), 0, 0, MEM_OK);
                    case 2 -> emit(size, new int[] {0xC6 + w}, 0, false, reg(size), r.nextLong(), immz, MEM_OK);
                    default -> {
                        noRex = false;
                        int n = reg(size);
                        if (size == 16) {
                            put(0x66);
                        }
                        put(0x40 | (size == 64 ? 8 : 0) | (n >= 8 ? 1 : 0));
                        put((size == 8 ? 0xB0 : 0xB8) + (n & 7));
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
                    emit(s, new int[] {0x0F, 0x40 + cc}, reg(s), true, reg(s), 0, 0, MEM_OK);
                } else {
                    mode(8);
                    emit(8, new int[] {0x0F, 0x90 + cc}, 0, false, reg(8), 0, 0, MEM_OK);
                }
                return false;
            }
            case 20 -> { // CBW CWDE CDQE CWD CDQ CQO, CLC STC CMC, LAHF SAHF
                int s = wideSize();
                switch (r.nextInt(4)) {
                    case 0, 1 -> plain(s, r.nextBoolean() ? 0x98 : 0x99);
                    case 2 -> plain(32, new int[] {0xF8, 0xF9, 0xF5}[r.nextInt(3)]);
                    default -> plain(32, r.nextBoolean() ? 0x9E : 0x9F);
                }
                return false;
            }
            case 21 -> { // LEA with random SIB addressing, sometimes 32-bit addresses
                int s = wideSize();
                noRex = false;
                if (r.nextInt(4) == 0) {
                    put(0x67);
                }
                int dst = reg(s);
                int base;
                do {
                    base = r.nextInt(16);
                } while (base == 4); // RSP differs between host and guest; R15 is fine (its value is the same)
                int index = r.nextInt(16); // 4 (100b without REX.X) is "no index"
                int mod = r.nextInt(3);
                if (s == 16) {
                    put(0x66);
                }
                put(0x40 | (s == 64 ? 8 : 0) | (dst >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0));
                put(0x8D);
                put(mod << 6 | (dst & 7) << 3 | 4);
                put(r.nextInt(4) << 6 | (index & 7) << 3 | (base & 7));
                if (mod == 1) {
                    immediate(r.nextLong(), 1);
                } else if (mod == 2 || (base & 7) == 5 && mod == 0) {
                    immediate(r.nextLong(), 4);
                }
                count++;
                return false;
            }
            case 22 -> { // LEA RIP-relative (the value depends on where the code is: same layout on both sides)
                noRex = false;
                int dst = reg(64);
                emit(64, new int[] {0x8D}, dst, true, 0, 0, 0, MEM_ONLY);
                return false;
            }
            case 23 -> { // POPCNT, LZCNT, TZCNT
                int s = wideSize();
                mode(s);
                int k = r.nextInt(3);
                emit(s, 0xF3, new int[] {0x0F, new int[] {0xB8, 0xBD, 0xBC}[k]}, reg(s), true, reg(s), 0, 0, MEM_OK);
                return k != 0;
            }
            case 24 -> { // CMPXCHG8B / CMPXCHG16B
                noRex = false;
                boolean wide = r.nextBoolean();
                emit(wide ? 64 : 32, new int[] {0x0F, 0xC7}, 1, false, 0, 0, 0, MEM_ONLY | LOCK_OK | (wide ? ALIGN16 : 0));
                return false;
            }
            case 25 -> { // DIV / IDIV with a divisor and a dividend that cannot overflow
                return division(size);
            }
            case 26 -> { // XLATB over the buffer
                leaBuffer(3, LOW);
                put(0xD7);
                count++;
                return false;
            }
            case 27, 28 -> {
                return string(size);
            }
            case 30, 31, 32 -> {
                return sse();
            }
            default -> { // memory-only forms of the ALU with a register source, all sizes, RIP-relative too
                int op = r.nextInt(8);
                emit(size, new int[] {op * 8 + w}, reg(size), true, 0, 0, 0, MEM_ONLY | (op != 7 ? LOCK_OK : 0));
                return op == 1 || op == 4 || op == 6;
            }
        }
    }

    /**
     * One instruction of the SSE subset: MOVAPS/MOVUPS/MOVDQA/MOVDQU in both directions, MOVD/MOVQ
     * with general registers, MOVQ xmm/m64, PXOR/POR/PAND/PANDN. Aligned forms get 16-aligned memory.
     */
    private boolean sse() {
        noRex = false;
        int x = r.nextInt(16);
        int y = r.nextInt(16);
        switch (r.nextInt(8)) {
            case 0 -> emit(32, new int[] {0x0F, r.nextBoolean() ? 0x28 : 0x29}, x, true, y, 0, 0, MEM_OK | ALIGN16);
            case 1 -> emit(32, new int[] {0x0F, r.nextBoolean() ? 0x10 : 0x11}, x, true, y, 0, 0, MEM_OK);
            case 2 -> emit(32, 0x66, new int[] {0x0F, r.nextBoolean() ? 0x6F : 0x7F}, x, true, y, 0, 0, MEM_OK | ALIGN16);
            case 3 -> emit(32, 0xF3, new int[] {0x0F, r.nextBoolean() ? 0x6F : 0x7F}, x, true, y, 0, 0, MEM_OK);
            case 4 -> { // MOVD/MOVQ xmm <-> r/m32, r/m64
                int s = r.nextBoolean() ? 32 : 64;
                emit(s, 0x66, new int[] {0x0F, r.nextBoolean() ? 0x6E : 0x7E}, x, true, reg(s), 0, 0, MEM_OK);
            }
            case 5 -> emit(32, 0xF3, new int[] {0x0F, 0x7E}, x, true, y, 0, 0, MEM_OK); // MOVQ xmm, xmm/m64
            case 6 -> emit(32, 0x66, new int[] {0x0F, 0xD6}, x, true, y, 0, 0, MEM_OK); // MOVQ xmm/m64, xmm
            default -> emit(32, 0x66, new int[] {0x0F, new int[] {0xEF, 0xEB, 0xDB, 0xDF}[r.nextInt(4)]}, x, true, y, 0, 0,
                    MEM_OK | ALIGN16);
        }
        return false;
    }

    /**
     * DIV/IDIV: the divisor is set to a constant other than 0 and -1 first (in a register or the
     * buffer), and the dividend's upper half is zeroed (DIV) or sign-extended (IDIV), so no #DE.
     */
    private boolean division(int size) {
        noRex = false;
        boolean signed = r.nextBoolean();
        long divisor;
        do {
            divisor = value();
            divisor = size == 64 ? (int) divisor : divisor; // C7 /0 sign-extends imm32
            long v = size == 64 ? divisor : divisor << (64 - size) >> (64 - size);
            if (v != 0 && v != -1) {
                break;
            }
        } while (true);
        int w = size == 8 ? 0 : 1;
        int immz = size == 8 ? 1 : size == 16 ? 2 : 4;
        boolean mem = r.nextBoolean();
        int dreg;
        do {
            dreg = reg(size);
        } while (dreg == 0 || dreg == 2 || size == 8 && dreg == 4); // not the dividend (AL/AH, RAX, RDX)
        int ext = signed ? 7 : 6;
        if (mem) {
            int disp = LOW + r.nextInt(DATA_SIZE - LOW - HIGH_GAP);
            // MOV [r15 + disp32], imm ; DIV [r15 + disp32]
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) {
                    dividend(size, signed);
                }
                if (size == 16) {
                    put(0x66);
                }
                put(0x41 | (size == 64 ? 8 : 0));
                put(pass == 0 ? 0xC6 + w : 0xF6 + w);
                put(0x87 | (pass == 0 ? 0 : ext) << 3);
                immediate(disp, 4);
                if (pass == 0) {
                    immediate(divisor, immz);
                }
                count++;
            }
        } else {
            emit(size, new int[] {0xC6 + w}, 0, false, dreg, divisor, immz, 0);
            dividend(size, signed);
            emit(size, new int[] {0xF6 + w}, ext, false, dreg, 0, 0, 0);
        }
        return true;
    }

    private void dividend(int size, boolean signed) {
        if (size == 8) {
            if (signed) {
                plain(16, 0x98); // CBW: AX = sign-extended AL
            } else {
                put(0x0F); // MOVZX EAX, AL: AH = 0
                put(0xB6);
                put(0xC0);
                count++;
            }
        } else if (signed) {
            plain(size, 0x99); // CWD / CDQ / CQO
        } else {
            put(0x31); // XOR EDX, EDX
            put(0xD2);
            count++;
        }
    }

    /**
     * A string instruction (MOVS, CMPS, STOS, LODS, SCAS; sometimes REP/REPE/REPNE) after pointing
     * RSI and RDI into the buffer, setting RCX to 0..8 and choosing the direction.
     */
    private boolean string(int size) {
        noRex = false;
        int mid = DATA_SIZE / 2;
        leaBuffer(6, mid - 64 + r.nextInt(128));
        leaBuffer(7, mid - 64 + r.nextInt(128));
        movImm(1, 32, r.nextInt(9));
        plain(32, r.nextBoolean() ? 0xFC : 0xFD); // CLD / STD
        int[] ops = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};
        int op = ops[r.nextInt(ops.length)] + (size == 8 ? 0 : 1);
        boolean compares = op == 0xA6 || op == 0xA7 || op == 0xAE || op == 0xAF;
        int rep = r.nextInt(3);
        if (rep == 1) {
            put(0xF3);
        } else if (rep == 2) {
            put(compares ? 0xF2 : 0xF3); // REPNE is defined only for the comparing forms
        }
        plain(size, op);
        return false;
    }
}
