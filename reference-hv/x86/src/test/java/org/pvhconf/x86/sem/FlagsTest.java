package org.pvhconf.x86.sem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The single-condition entries ({@code condSub} ...) against {@code cond} of the whole RFLAGS. */
class FlagsTest {
    private static final long[] SIZES = {8, 16, 32, 64};

    /** Operands near the interesting edges of a size: 0, 1, the sign bit, all ones, and their neighbours. */
    private static long edge(SplittableRandom r, long size) {
        long m = Flags.mask(size);
        long[] e = {0, 1, 2, m, m - 1, 1L << (size - 1), (1L << (size - 1)) - 1, (1L << (size - 1)) + 1};
        long v = r.nextInt(3) == 0 ? e[r.nextInt(e.length)] : r.nextLong();
        return r.nextInt(4) == 0 ? v ^ r.nextLong() << size % 64 : v; // garbage above size, sometimes
    }

    private static void check(long cc, long size, long a, long b, long res, long old) {
        String at = "cc=" + cc + " size=" + size + " a=" + Long.toHexString(a) + " b=" + Long.toHexString(b)
                + " res=" + Long.toHexString(res) + " old=" + Long.toHexString(old);
        assertEquals(Flags.cond(cc, Flags.sub(size, a, b, res)), Flags.condSub(cc, size, a, b, res), "sub " + at);
        assertEquals(Flags.cond(cc, Flags.add(size, a, b, res)), Flags.condAdd(cc, size, a, b, res), "add " + at);
        assertEquals(Flags.cond(cc, Flags.logic(size, res)), Flags.condLogic(cc, size, res), "logic " + at);
        assertEquals(Flags.cond(cc, Flags.inc(size, a, res, old)), Flags.condInc(cc, size, a, res, old), "inc " + at);
        assertEquals(Flags.cond(cc, Flags.dec(size, a, res, old)), Flags.condDec(cc, size, a, res, old), "dec " + at);
    }

    @Test
    void condEntries_matchCondOfFlags_exhaustive8Bit() {
        for (long cc = 0; cc < 16; cc++) {
            for (long a = 0; a < 256; a++) {
                for (long b = 0; b < 256; b++) {
                    check(cc, 8, a, b, a - b, cc & 1);
                    check(cc, 8, a, b, a + b, ~cc & 1);
                    check(cc, 8, a, b, a ^ b * 37, 0);
                }
            }
        }
    }

    @Test
    void condEntries_matchCondOfFlags_seed4() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 200_000; i++) {
            long cc = r.nextInt(16);
            long size = SIZES[r.nextInt(4)];
            long a = edge(r, size);
            long b = edge(r, size);
            long res = switch (r.nextInt(4)) {
                case 0 -> a - b;
                case 1 -> a + b;
                case 2 -> r.nextInt(2) == 0 ? a + 1 : a - 1;
                default -> edge(r, size);
            };
            check(cc, size, a, b, res, r.nextLong());
        }
    }
}
