package org.pvhconf.x86.jit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.pvhconf.x86.testing.RandomAlu;

/**
 * Random guest programs for the JIT-versus-interpreter differential: straight-line integer code
 * ({@link RandomAlu}) arranged in counted loops, forward branches and calls, with loads and stores
 * (to data, to the stack, and to the program's own code: self-modifying stores into the immediate of
 * the next instruction or anywhere in the code) and faults (#PF, EPT violation, #DE, #GP through a
 * random base register). Runs end at a HLT (the program's, or an exception handler's), another exit,
 * or the budget.
 */
final class RandomProgram {
    static final long CODE = 0x10000, DATA = 0x20000, NOT_PRESENT = 0x30000, NOT_MAPPED = 0x31000;

    private final SplittableRandom r;
    private final RandomAlu alu;
    private ByteArrayOutputStream out;
    /** Call sites: offset of the rel32 and the subroutine index it calls. */
    private final List<int[]> calls = new ArrayList<>();
    private int subroutines;

    RandomProgram(long seed) {
        r = new SplittableRandom(seed);
        alu = new RandomAlu(r.nextLong());
    }

    SplittableRandom random() {
        return r;
    }

    long value() {
        return alu.value();
    }

    long flags() {
        return alu.flags();
    }

    /** A fresh program, to be placed at {@link #CODE}. */
    byte[] generate() {
        out = new ByteArrayOutputStream();
        calls.clear();
        subroutines = 1 + r.nextInt(2);
        int segments = 2 + r.nextInt(7);
        for (int i = 0; i < segments; i++) {
            segment(0);
        }
        out.write(0xF4);
        int[] subStart = new int[subroutines];
        for (int s = 0; s < subroutines; s++) {
            subStart[s] = out.size();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                segment(2);
            }
            out.write(0xC3);
        }
        byte[] code = out.toByteArray();
        for (int[] c : calls) {
            int rel = subStart[c[1]] - (c[0] + 4);
            for (int i = 0; i < 4; i++) {
                code[c[0] + i] = (byte) (rel >>> (8 * i));
            }
        }
        return code;
    }

    private int reg() {
        for (;;) {
            int n = r.nextInt(16);
            if (n != 4) {
                return n;
            }
        }
    }

    private void bytes(int... b) {
        for (int x : b) {
            out.write(x);
        }
    }

    private void imm32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** depth 0: anything; 1: inside a loop (no nested loops or calls); 2: in a subroutine (no calls). */
    private void segment(int depth) {
        int kind = r.nextInt(depth == 0 ? 9 : 7);
        switch (kind) {
            case 0, 1 -> out.writeBytes(alu.sequence(1 + r.nextInt(6)));
            case 2 -> memory();
            case 3 -> smc();
            case 4 -> forwardBranch(depth);
            case 5 -> stack();
            case 6 -> {
                if (r.nextInt(4) == 0) {
                    fault();
                } else {
                    out.writeBytes(alu.sequence(1 + r.nextInt(3)));
                }
            }
            case 7 -> loop();
            default -> {
                if (depth == 0) {
                    out.write(0xE8);
                    calls.add(new int[] {out.size(), r.nextInt(subroutines)});
                    imm32(0);
                } else {
                    memory();
                }
            }
        }
    }

    /** mov r32, count; L: body; dec r64; jnz L. The body may clobber the counter: the budget bounds it. */
    private void loop() {
        int c = reg();
        bytes(c >= 8 ? 0x41 : 0x40);
        out.write(0xB8 + (c & 7));
        imm32(1 + r.nextInt(40));
        int head = out.size();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            segment(1);
        }
        bytes(0x48 | (c >= 8 ? 1 : 0), 0xFF, 0xC8 | (c & 7));
        int rel = head - (out.size() + 2);
        if (rel >= -128 && r.nextBoolean()) {
            bytes(0x75, rel & 0xFF);
        } else {
            rel = head - (out.size() + 6);
            bytes(0x0F, 0x85);
            imm32(rel);
        }
    }

    private void forwardBranch(int depth) {
        int cc = r.nextInt(16);
        bytes(0x70 + cc, 0);
        int at = out.size() - 1;
        int from = out.size();
        if (r.nextBoolean()) {
            out.writeBytes(alu.sequence(1 + r.nextInt(4)));
        } else {
            memory();
        }
        int rel = out.size() - from;
        if (rel > 127) {
            throw new IllegalStateException("forward branch too long");
        }
        byte[] b = out.toByteArray();
        b[at] = (byte) rel;
        out.reset();
        out.writeBytes(b);
    }

    /** A load, store or read-modify-write of 8..64 bits at an absolute address in the data page. */
    private void memory() {
        int size = new int[] {8, 16, 32, 64}[r.nextInt(4)];
        int reg = reg();
        if (size == 16) {
            out.write(0x66);
        }
        int rex = (size == 64 ? 8 : 0) | (reg >= 8 ? 4 : 0);
        if (rex != 0 || size == 8) {
            out.write(0x40 | rex);
        }
        int w = size == 8 ? 0 : 1;
        int op = switch (r.nextInt(4)) {
            case 0 -> 0x8A + w; // load
            case 1 -> 0x88 + w; // store
            case 2 -> r.nextInt(8) * 8 + w; // ALU [mem], reg (CMP included)
            default -> r.nextInt(8) * 8 + 2 + w; // ALU reg, [mem]
        };
        out.write(op);
        out.write((reg & 7) << 3 | 4);
        out.write(0x25);
        imm32(DATA + r.nextInt(4096 - 8 + 1 + (r.nextInt(8) == 0 ? 7 : 0)));
    }

    /** Self-modifying stores: into the immediate of the very next instruction, or anywhere in the code so far. */
    private void smc() {
        if (r.nextInt(4) != 0) {
            int dst = reg();
            int movAt = out.size() + 8;
            int immAt = movAt + 1 + 1;
            bytes(0xC6, 0x04, 0x25);
            imm32(CODE + immAt + r.nextInt(4));
            out.write(r.nextInt(256));
            bytes(dst >= 8 ? 0x41 : 0x40, 0xB8 + (dst & 7));
            imm32(r.nextLong());
        } else {
            bytes(0xC6, 0x04, 0x25);
            imm32(CODE + r.nextInt(Math.max(1, out.size())));
            out.write(new int[] {0x90, 0xF4, 0xC3, 0xCC, r.nextInt(256)}[r.nextInt(5)]);
        }
    }

    private void stack() {
        int a = reg();
        int b = reg();
        if (a >= 8) {
            out.write(0x41);
        }
        out.write(0x50 + (a & 7));
        if (r.nextBoolean()) {
            out.writeBytes(alu.sequence(1 + r.nextInt(3)));
        }
        if (b >= 8) {
            out.write(0x41);
        }
        out.write(0x58 + (b & 7));
    }

    private void fault() {
        int reg = reg();
        switch (r.nextInt(5)) {
            case 0 -> { // #PF: a not-present page
                bytes(0x48 | (reg >= 8 ? 4 : 0), 0x8B, (reg & 7) << 3 | 4, 0x25);
                imm32(NOT_PRESENT + r.nextInt(4000));
            }
            case 1 -> { // EPT violation: a frame the p2m withholds
                bytes(0x48 | (reg >= 8 ? 4 : 0), 0x89, (reg & 7) << 3 | 4, 0x25);
                imm32(NOT_MAPPED + r.nextInt(4000));
            }
            case 2 -> bytes(0x48 | (reg >= 8 ? 1 : 0), 0xF7, 0xF0 | (reg & 7)); // DIV r64: #DE on zero or overflow
            case 3 -> { // load through a random base: #GP when non-canonical, else wherever it points
                int base;
                do {
                    base = reg();
                } while ((base & 7) == 4);
                bytes(0x48 | (reg >= 8 ? 4 : 0) | (base >= 8 ? 1 : 0), 0x8B, 0x40 | (reg & 7) << 3 | (base & 7),
                        r.nextInt(256));
            }
            default -> bytes(0x0F, 0x0B); // UD2
        }
    }
}
