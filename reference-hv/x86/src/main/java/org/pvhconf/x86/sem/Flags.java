package org.pvhconf.x86.sem;

import static org.pvhconf.x86.isa.RFlags.AF;
import static org.pvhconf.x86.isa.RFlags.CF;
import static org.pvhconf.x86.isa.RFlags.OF;
import static org.pvhconf.x86.isa.RFlags.PF;
import static org.pvhconf.x86.isa.RFlags.SF;
import static org.pvhconf.x86.isa.RFlags.ZF;

/**
 * Status-flag computation, shared by both back ends (the interpreter calls these directly, the JIT
 * emits INVOKESTATIC, or later computes them lazily from the same arguments).
 *
 * <p>Every method returns RFLAGS bits (only {@link org.pvhconf.x86.isa.RFlags#ARITH} bits) for an
 * operation of {@code size} bits; inputs may carry garbage above {@code size}. Where the SDM leaves
 * a flag undefined this class gives the value that Intel hardware gives where that is well known
 * (AF = 0 after logic ops), else the value of the obvious formula; the differential test masks them.
 */
public final class Flags {
    private Flags() {
    }

    static long mask(long size) {
        return size == 64 ? -1L : (1L << size) - 1;
    }

    /** ZF, SF and PF of a result. */
    public static long szp(long size, long res) {
        res &= mask(size);
        long f = 0;
        if (res == 0) {
            f |= ZF;
        }
        if (((res >>> (size - 1)) & 1) != 0) {
            f |= SF;
        }
        if ((Integer.bitCount((int) res & 0xFF) & 1) == 0) {
            f |= PF; // PF: even parity of the low byte
        }
        return f;
    }

    private static long msb(long size, long v) {
        return (v >>> (size - 1)) & 1;
    }

    public static long add(long size, long a, long b, long res) {
        return adc(size, a, b, res, 0);
    }

    public static long adc(long size, long a, long b, long res, long cin) {
        long m = mask(size);
        a &= m;
        b &= m;
        res &= m;
        boolean carry = cin != 0 ? Long.compareUnsigned(res, a) <= 0 : Long.compareUnsigned(res, a) < 0;
        long f = szp(size, res);
        if (carry) {
            f |= CF;
        }
        if (msb(size, (a ^ res) & (b ^ res)) != 0) {
            f |= OF;
        }
        if (((a ^ b ^ res) & 0x10) != 0) {
            f |= AF;
        }
        return f;
    }

    public static long sub(long size, long a, long b, long res) {
        return sbb(size, a, b, res, 0);
    }

    public static long sbb(long size, long a, long b, long res, long cin) {
        long m = mask(size);
        a &= m;
        b &= m;
        res &= m;
        boolean borrow = cin != 0 ? Long.compareUnsigned(a, b) <= 0 : Long.compareUnsigned(a, b) < 0;
        long f = szp(size, res);
        if (borrow) {
            f |= CF;
        }
        if (msb(size, (a ^ b) & (a ^ res)) != 0) {
            f |= OF;
        }
        if (((a ^ b ^ res) & 0x10) != 0) {
            f |= AF;
        }
        return f;
    }

    /** AND, OR, XOR, TEST: CF = OF = 0, AF = 0 (undefined in the SDM). */
    public static long logic(long size, long res) {
        return szp(size, res);
    }

    /** INC: as ADD 1, but CF keeps its old value. */
    public static long inc(long size, long a, long res, long oldFlags) {
        return add(size, a, 1, res) & ~CF | oldFlags & CF;
    }

    /** DEC: as SUB 1, but CF keeps its old value. */
    public static long dec(long size, long a, long res, long oldFlags) {
        return sub(size, a, 1, res) & ~CF | oldFlags & CF;
    }

    /** NEG: as 0 - a. */
    public static long neg(long size, long a, long res) {
        return sub(size, 0, a, res);
    }

    // ---- shifts: count is already masked to 5 (6 for 64-bit) bits; count 0 leaves every flag alone ----

    public static long shl(long size, long a, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        a &= mask(size);
        long cf = count <= size ? ((count == 64 ? 0 : a << (count - 1)) >>> (size - 1)) & 1 : 0;
        long f = szp(size, res) | (cf != 0 ? CF : 0);
        if ((msb(size, res) ^ cf) != 0) {
            f |= OF; // OF is defined for count 1 only; hardware gives this formula for larger counts too
        }
        return f;
    }

    public static long shr(long size, long a, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        a &= mask(size);
        long cf = count <= size ? (a >>> (count - 1)) & 1 : 0;
        long f = szp(size, res) | (cf != 0 ? CF : 0);
        if (msb(size, a) != 0) {
            f |= OF; // count 1: OF is the original sign bit
        }
        return f;
    }

    public static long sar(long size, long a, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        long s = IntOps.signExtend(a, size);
        long cf = (s >> Math.min(count - 1, 63)) & 1;
        return szp(size, res) | (cf != 0 ? CF : 0);
    }

    /** ROL/ROR: only CF and OF change. {@code res} is the rotated value. */
    public static long rol(long size, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        long cf = res & 1;
        long of = msb(size, res) ^ cf;
        return oldFlags & ~(CF | OF) | (cf != 0 ? CF : 0) | (of != 0 ? OF : 0);
    }

    public static long ror(long size, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        long cf = msb(size, res);
        long of = cf ^ ((res >>> (size - 2)) & 1);
        return oldFlags & ~(CF | OF) | (cf != 0 ? CF : 0) | (of != 0 ? OF : 0);
    }

    /**
     * RCL of {@code a} by a masked {@code count}: rotating the (size+1)-bit value CF:a left by
     * n = count mod (size+1) leaves in CF the original bit (size - n). OF = MSB(result) XOR CF.
     */
    public static long rcl(long size, long a, long count, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        long n = count % (size + 1);
        long cf = n == 0 ? oldFlags & CF : (a >>> (size - n)) & 1;
        long res = IntOps.rcl(size, a, count, oldFlags);
        long of = msb(size, res) ^ cf;
        return oldFlags & ~(CF | OF) | (cf != 0 ? CF : 0) | (of != 0 ? OF : 0);
    }

    /** RCR: CF gets the original bit (n - 1); OF = MSB(result) XOR the bit below it. */
    public static long rcr(long size, long a, long count, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        long n = count % (size + 1);
        long cf = n == 0 ? oldFlags & CF : (a >>> (n - 1)) & 1;
        long res = IntOps.rcr(size, a, count, oldFlags);
        long of = msb(size, res) ^ ((res >>> (size - 2)) & 1);
        return oldFlags & ~(CF | OF) | (cf != 0 ? CF : 0) | (of != 0 ? OF : 0);
    }

    public static long shld(long size, long dst, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        dst &= mask(size);
        long cf = count <= size ? (dst >>> (size - count)) & 1 : 0;
        long f = szp(size, res) | (cf != 0 ? CF : 0);
        if ((msb(size, res) ^ msb(size, dst)) != 0) {
            f |= OF;
        }
        return f;
    }

    public static long shrd(long size, long dst, long count, long res, long oldFlags) {
        if (count == 0) {
            return oldFlags;
        }
        dst &= mask(size);
        long cf = (dst >>> (count - 1)) & 1;
        long f = szp(size, res) | (cf != 0 ? CF : 0);
        if ((msb(size, res) ^ msb(size, dst)) != 0) {
            f |= OF;
        }
        return f;
    }

    // ---- multiplication: CF = OF = "the high half matters"; SF, ZF, PF of the low half (undefined) ----

    public static long mul(long size, long a, long b) {
        long m = mask(size);
        long lo = (a & m) * (b & m);
        long hi = IntOps.mulHigh(size, a, b, 0);
        boolean big = hi != 0;
        return szp(size, lo) | (big ? CF | OF : 0);
    }

    public static long imul(long size, long a, long b) {
        long sa = IntOps.signExtend(a, size), sb = IntOps.signExtend(b, size);
        long lo = sa * sb;
        long hi = IntOps.mulHigh(size, a, b, 1);
        long signOfLo = (lo >>> (size - 1)) & 1;
        boolean big = size == 64 ? hi != (lo >> 63) : IntOps.signExtend(lo, size) != lo || hi != -signOfLo;
        return szp(size, lo) | (big ? CF | OF : 0);
    }

    // ---- conditions ----

    /** 1 if condition code {@code cc} (0..15, the low nibble of Jcc) holds for {@code rflags}. */
    public static long cond(long cc, long rflags) {
        boolean cf = (rflags & CF) != 0, zf = (rflags & ZF) != 0, sf = (rflags & SF) != 0,
                of = (rflags & OF) != 0, pf = (rflags & PF) != 0;
        boolean r = switch ((int) (cc >> 1)) {
            case 0 -> of;
            case 1 -> cf;
            case 2 -> zf;
            case 3 -> cf || zf;
            case 4 -> sf;
            case 5 -> pf;
            case 6 -> sf != of;
            default -> zf || sf != of;
        };
        return r ^ ((cc & 1) != 0) ? 1 : 0;
    }

    // ---- one condition of one operation (QEMU's cc_op specialisation) ----
    //
    // condX(cc, args) == cond(cc, x(args)) for every input: each computes, with Flags.x's own
    // formulas, only the bits condition cc reads. The JIT calls them when the last flag update
    // before a Jcc/SETcc/CMOVcc/ADC wrote every arithmetic flag (FlagsTest checks the identity).

    private static long cc(long cc, boolean r) {
        return r ^ ((cc & 1) != 0) ? 1 : 0;
    }

    private static boolean parity(long res) {
        return (Integer.bitCount((int) res & 0xFF) & 1) == 0;
    }

    /** {@code cond(cc, sub(size, a, b, res))}. */
    public static long condSub(long cc, long size, long a, long b, long res) {
        return cc(cc, switch ((int) (cc >> 1)) {
            case 0 -> subO(size, a, b, res);
            case 1 -> subB(size, a, b, res);
            case 2 -> subZ(size, a, b, res);
            case 3 -> subBe(size, a, b, res);
            case 4 -> subS(size, a, b, res);
            case 5 -> subP(size, a, b, res);
            case 6 -> subL(size, a, b, res);
            default -> subLe(size, a, b, res);
        } != 0);
    }

    /** {@code cond(cc, add(size, a, b, res))}. */
    public static long condAdd(long cc, long size, long a, long b, long res) {
        return cc(cc, switch ((int) (cc >> 1)) {
            case 0 -> addO(size, a, b, res);
            case 1 -> addB(size, a, b, res);
            case 2 -> addZ(size, a, b, res);
            case 3 -> addBe(size, a, b, res);
            case 4 -> addS(size, a, b, res);
            case 5 -> addP(size, a, b, res);
            case 6 -> addL(size, a, b, res);
            default -> addLe(size, a, b, res);
        } != 0);
    }

    /** {@code cond(cc, logic(size, res))}: CF = OF = 0. */
    public static long condLogic(long cc, long size, long res) {
        return cc(cc, switch ((int) (cc >> 1)) {
            case 0, 1 -> false; // OF, CF clear
            case 2, 3 -> logicZ(size, res) != 0; // BE: CF clear
            case 4, 6 -> logicS(size, res) != 0; // L: OF clear
            case 5 -> logicP(size, res) != 0;
            default -> logicLe(size, res) != 0;
        });
    }

    /** {@code cond(cc, inc(size, a, res, oldFlags))}: oldFlags is read only for CF (cc 2, 3, 6, 7). */
    public static long condInc(long cc, long size, long a, long res, long oldFlags) {
        int c = (int) (cc >> 1);
        if (c == 1 || c == 3) {
            return cc(cc, (c == 1 ? keptB(size, a, res, oldFlags) : keptBe(size, a, res, oldFlags)) != 0);
        }
        return condAdd(cc, size, a, 1, res);
    }

    /** {@code cond(cc, dec(size, a, res, oldFlags))}: oldFlags is read only for CF (cc 2, 3, 6, 7). */
    public static long condDec(long cc, long size, long a, long res, long oldFlags) {
        int c = (int) (cc >> 1);
        if (c == 1 || c == 3) {
            return cc(cc, (c == 1 ? keptB(size, a, res, oldFlags) : keptBe(size, a, res, oldFlags)) != 0);
        }
        return condSub(cc, size, a, 1, res);
    }

    // ---- one condition (cc >> 1) of one operation, 1 or 0: small enough for HotSpot to inline
    //      anywhere (the JIT calls them directly; the condX above are made of them) ----

    public static long subO(long size, long a, long b, long res) {
        return msb(size, (a ^ b) & (a ^ res));
    }

    public static long subB(long size, long a, long b, long res) {
        long m = mask(size);
        return Long.compareUnsigned(a & m, b & m) < 0 ? 1 : 0;
    }

    public static long subZ(long size, long a, long b, long res) {
        return (res & mask(size)) == 0 ? 1 : 0;
    }

    public static long subBe(long size, long a, long b, long res) {
        return subB(size, a, b, res) | subZ(size, a, b, res);
    }

    public static long subS(long size, long a, long b, long res) {
        return msb(size, res);
    }

    public static long subP(long size, long a, long b, long res) {
        return parity(res) ? 1 : 0;
    }

    /** SF != OF. */
    public static long subL(long size, long a, long b, long res) {
        return msb(size, res ^ (a ^ b) & (a ^ res));
    }

    public static long subLe(long size, long a, long b, long res) {
        return subZ(size, a, b, res) | subL(size, a, b, res);
    }

    public static long addO(long size, long a, long b, long res) {
        return msb(size, (a ^ res) & (b ^ res));
    }

    public static long addB(long size, long a, long b, long res) {
        long m = mask(size);
        return Long.compareUnsigned(res & m, a & m) < 0 ? 1 : 0;
    }

    public static long addZ(long size, long a, long b, long res) {
        return (res & mask(size)) == 0 ? 1 : 0;
    }

    public static long addBe(long size, long a, long b, long res) {
        return addB(size, a, b, res) | addZ(size, a, b, res);
    }

    public static long addS(long size, long a, long b, long res) {
        return msb(size, res);
    }

    public static long addP(long size, long a, long b, long res) {
        return parity(res) ? 1 : 0;
    }

    public static long addL(long size, long a, long b, long res) {
        return msb(size, res ^ (a ^ res) & (b ^ res));
    }

    public static long addLe(long size, long a, long b, long res) {
        return addZ(size, a, b, res) | addL(size, a, b, res);
    }

    public static long logicZ(long size, long res) {
        return (res & mask(size)) == 0 ? 1 : 0;
    }

    public static long logicS(long size, long res) {
        return msb(size, res);
    }

    public static long logicP(long size, long res) {
        return parity(res) ? 1 : 0;
    }

    public static long logicLe(long size, long res) {
        return logicZ(size, res) | logicS(size, res);
    }

    /** INC/DEC's B: the CF they keep. */
    public static long keptB(long size, long a, long res, long oldFlags) {
        return oldFlags & CF;
    }

    public static long keptBe(long size, long a, long res, long oldFlags) {
        return oldFlags & CF | ((res & mask(size)) == 0 ? 1 : 0);
    }
}
