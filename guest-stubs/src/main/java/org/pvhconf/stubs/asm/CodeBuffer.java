package org.pvhconf.stubs.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of one assembly, with the fixups that still wait for label addresses. Package-private:
 * {@link Assembler} is the only writer.
 */
final class CodeBuffer {

    /** How a fixup field is computed from its label's address {@code S} plus the addend {@code A}. */
    enum Kind {
        /** S + A − end of instruction, one signed byte (Jcc/JMP short). */
        REL8(1),
        /** S + A − end of instruction, four bytes (CALL/JMP/Jcc near, RIP-relative operands). */
        REL32(4),
        /** S + A as a sign-extended 32-bit value (absolute disp32, imm32 of MOV r64). */
        ABS32S(4),
        /** S + A, eight bytes (DQ, MOVABS). */
        ABS64(8);

        final int width;

        Kind(final int width) {
            this.width = width;
        }
    }

    private record Fixup(Kind kind, int at, int end, Label label, long addend) {
    }

    private byte[] bytes = new byte[256];
    private int size;
    private final List<Fixup> fixups = new ArrayList<>();

    int size() {
        return size;
    }

    void put(final int b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, size * 2);
        }
        bytes[size++] = (byte) b;
    }

    void putLe(final long value, final int width) {
        for (int i = 0; i < width; i++) {
            put((int) (value >>> (8 * i)));
        }
    }

    /** Reserves a fixup field of the kind's width at the current position, filled in by {@link #resolve}. */
    void fixup(final Kind kind, final Label label, final long addend, final int end) {
        fixups.add(new Fixup(kind, size, end, label, addend));
        putLe(0, kind.width);
    }

    /**
     * The finished bytes: every fixup applied.
     *
     * @param origin the virtual address of byte 0
     * @throws IllegalStateException when a label is unbound or a value does not fit its field
     */
    byte[] resolve(final long origin) {
        byte[] out = Arrays.copyOf(bytes, size);
        for (Fixup f : fixups) {
            if (!f.label.isBound()) {
                throw new IllegalStateException("undefined label " + f.label);
            }
            long target = f.label.address() + f.addend;
            long value = switch (f.kind) {
                case REL8, REL32 -> target - (origin + f.end);
                case ABS32S, ABS64 -> target;
            };
            boolean fits = switch (f.kind) {
                case REL8 -> value == (byte) value;
                case REL32, ABS32S -> value == (int) value;
                case ABS64 -> true;
            };
            if (!fits) {
                throw new IllegalStateException(String.format(
                        "%s to %s at offset 0x%x out of range: 0x%x", f.kind, f.label, f.at, value));
            }
            for (int i = 0; i < f.kind.width; i++) {
                out[f.at + i] = (byte) (value >>> (8 * i));
            }
        }
        return out;
    }
}
