package org.pvhconf.x86.sem;

import java.math.BigInteger;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.RFlags;

/**
 * Integer operations too large for a few {@link Ops} calls: rotates, double shifts, widening
 * multiply, division, byte swap. Pure static functions of their arguments, shared by both back ends
 * (TCG's advice: call a helper rather than emit twenty ops). Division raises #DE by throwing
 * {@link Fault}, so its {@link Helper} entries are marked faulting.
 */
public final class IntOps {
    private IntOps() {
    }

    public static long signExtend(long v, long size) {
        int s = 64 - (int) size;
        return (v << s) >> s;
    }

    private static long mask(long size) {
        return Flags.mask(size);
    }

    /** The count after masking: 6 bits for 64-bit operands, else 5 (SDM "SAL/SAR/SHL/SHR"). */
    public static long shiftCount(long size, long count) {
        return count & (size == 64 ? 63 : 31);
    }

    public static long rol(long size, long a, long count) {
        a &= mask(size);
        int r = (int) (count % size);
        if (r == 0) {
            return a;
        }
        return ((a << r) | (a >>> (size - r))) & mask(size);
    }

    public static long ror(long size, long a, long count) {
        a &= mask(size);
        int r = (int) (count % size);
        if (r == 0) {
            return a;
        }
        return ((a >>> r) | (a << (size - r))) & mask(size);
    }

    /** RCL through CF: a (size+1)-bit rotate, {@code count % (size+1)} steps. */
    public static long rcl(long size, long a, long count, long rflags) {
        long v = a & mask(size);
        long cf = rflags & RFlags.CF;
        long n = count % (size + 1);
        for (long i = 0; i < n; i++) {
            long out = (v >>> (size - 1)) & 1;
            v = ((v << 1) | cf) & mask(size);
            cf = out;
        }
        return v;
    }

    public static long rcr(long size, long a, long count, long rflags) {
        long v = a & mask(size);
        long cf = rflags & RFlags.CF;
        long n = count % (size + 1);
        for (long i = 0; i < n; i++) {
            long out = v & 1;
            v = (v >>> 1) | (cf << (size - 1));
            v &= mask(size);
            cf = out;
        }
        return v;
    }

    public static long shld(long size, long dst, long src, long count) {
        long m = mask(size);
        dst &= m;
        src &= m;
        if (count == 0) {
            return dst;
        }
        if (size == 16 && count > 16) {
            // Undefined in the SDM; hardware shifts through the 32-bit pattern dst:src:dst.
            long wide = (dst << 32) | (src << 16) | dst;
            return (wide << count >>> 32) & m;
        }
        return ((dst << count) | (src >>> (size - count))) & m;
    }

    public static long shrd(long size, long dst, long src, long count) {
        long m = mask(size);
        dst &= m;
        src &= m;
        if (count == 0) {
            return dst;
        }
        if (size == 16 && count > 16) {
            long wide = (src << 32) | (dst << 16) | src;
            return (wide >>> count) & m;
        }
        return ((dst >>> count) | (src << (size - count))) & m;
    }

    /** The high half of the 2*size-bit product; {@code signed} 1 for IMUL. */
    public static long mulHigh(long size, long a, long b, long signed) {
        if (size == 64) {
            return signed != 0 ? Math.multiplyHigh(a, b) : Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
        }
        long p = signed != 0 ? signExtend(a, size) * signExtend(b, size) : (a & mask(size)) * (b & mask(size));
        return (p >> size) & mask(size);
    }

    /** Unsigned divide of hi:lo by d (size bits each); the quotient, or #DE. */
    public static long divu(long size, long hi, long lo, long d) {
        return divide(size, hi, lo, d, false, true);
    }

    public static long remu(long size, long hi, long lo, long d) {
        return divide(size, hi, lo, d, false, false);
    }

    public static long divs(long size, long hi, long lo, long d) {
        return divide(size, hi, lo, d, true, true);
    }

    public static long rems(long size, long hi, long lo, long d) {
        return divide(size, hi, lo, d, true, false);
    }

    private static long divide(long size, long hi, long lo, long d, boolean signed, boolean quotient) {
        long m = mask(size);
        d &= m;
        if (d == 0) {
            throw Fault.of(Fault.DE);
        }
        BigInteger dividend = unsigned(hi & m).shiftLeft((int) size).or(unsigned(lo & m));
        BigInteger divisor = unsigned(d);
        if (signed) {
            dividend = signedOf(dividend, 2 * size);
            divisor = BigInteger.valueOf(signExtend(d, size));
        }
        BigInteger[] qr = dividend.divideAndRemainder(divisor); // truncates toward zero, as IDIV does
        BigInteger q = qr[0];
        boolean fits = signed
                ? q.bitLength() < size
                : q.signum() >= 0 && q.bitLength() <= size;
        if (!fits) {
            throw Fault.of(Fault.DE);
        }
        return (quotient ? q : qr[1]).longValue() & m;
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
        return v < 0 ? b.setBit(63) : b;
    }

    private static BigInteger signedOf(BigInteger u, long bits) {
        return u.testBit((int) bits - 1) ? u.subtract(BigInteger.ONE.shiftLeft((int) bits)) : u;
    }

    /** 1 if {@code v} is not a canonical 48-bit linear address (a branch target that must #GP). */
    public static long nonCanonical(long v) {
        return (v << 16) >> 16 == v ? 0 : 1;
    }

    /** BSWAP; the 16-bit form (undefined in the SDM) gives 0 as hardware does. */
    public static long bswap(long size, long v) {
        return switch ((int) size) {
            case 64 -> Long.reverseBytes(v);
            case 32 -> Integer.reverseBytes((int) v) & 0xFFFFFFFFL;
            default -> 0;
        };
    }

    /** BSF index; the caller keeps the destination when the source is 0. */
    public static long bsf(long size, long v) {
        v &= mask(size);
        return v == 0 ? 0 : Long.numberOfTrailingZeros(v);
    }

    public static long bsr(long size, long v) {
        v &= mask(size);
        return v == 0 ? 0 : 63 - Long.numberOfLeadingZeros(v);
    }

    /** POPCNT: the number of set bits (the operand is already zero-extended from its size). */
    public static long popcnt(long v) {
        return Long.bitCount(v);
    }

    /** LZCNT: leading zero bits within {@code size}; {@code size} when the source is zero. */
    public static long lzcnt(long size, long v) {
        v &= mask(size);
        return Long.numberOfLeadingZeros(v) - (64 - size);
    }

    /** TZCNT: trailing zero bits within {@code size}; {@code size} when the source is zero. */
    public static long tzcnt(long size, long v) {
        v &= mask(size);
        return v == 0 ? size : Long.numberOfTrailingZeros(v);
    }

    // ---- BCD adjustments (outside 64-bit mode). Result: value in bits 15:0, the new flags from bit 16. ----

    private static final long CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128;

    private static long szp8(long v) {
        v &= 0xFF;
        return (v == 0 ? ZF : 0) | (v & 0x80) | (Long.bitCount(v) % 2 == 0 ? PF : 0);
    }

    /** DAA (SDM "DAA"): AL and the flags; OF is undefined (kept by the caller's mask). */
    public static long daa(long al, long flags) {
        al &= 0xFF;
        long oldAl = al;
        boolean oldCf = (flags & CF) != 0;
        long f = 0;
        if ((al & 0xF) > 9 || (flags & AF) != 0) {
            long sum = al + 6;
            al = sum & 0xFF;
            f |= AF | (oldCf || sum > 0xFF ? CF : 0);
        }
        if (oldAl > 0x99 || oldCf) {
            al = (al + 0x60) & 0xFF;
            f |= CF;
        } else {
            f &= ~CF;
        }
        return al | (f | szp8(al)) << 16;
    }

    /** DAS (SDM "DAS"). */
    public static long das(long al, long flags) {
        al &= 0xFF;
        long oldAl = al;
        boolean oldCf = (flags & CF) != 0;
        long f = 0;
        if ((al & 0xF) > 9 || (flags & AF) != 0) {
            boolean borrow = al < 6;
            al = (al - 6) & 0xFF;
            f |= AF | (oldCf || borrow ? CF : 0);
        }
        if (oldAl > 0x99 || oldCf) {
            al = (al - 0x60) & 0xFF;
            f |= CF;
        }
        return al | (f | szp8(al)) << 16;
    }

    /** AAA: AX and the flags (only AF and CF are defined). */
    public static long aaa(long ax, long flags) {
        ax &= 0xFFFF;
        if ((ax & 0xF) > 9 || (flags & AF) != 0) {
            ax = (ax + 0x106) & 0xFFFF;
            return ax & 0xFF0F | (AF | CF) << 16;
        }
        return ax & 0xFF0F;
    }

    /** AAS: AX and the flags (only AF and CF are defined). */
    public static long aas(long ax, long flags) {
        ax &= 0xFFFF;
        if ((ax & 0xF) > 9 || (flags & AF) != 0) {
            long al = (ax - 6) & 0xFF;
            long ah = ((ax >>> 8) - 1) & 0xFF;
            return (ah << 8 | al) & 0xFF0F | (AF | CF) << 16;
        }
        return ax & 0xFF0F;
    }

    /** AAM imm8: AH = AL / imm, AL = AL % imm; #DE for imm 0. */
    public static long aam(long ax, long imm) {
        long al = ax & 0xFF;
        imm &= 0xFF;
        if (imm == 0) {
            throw Fault.of(Fault.DE);
        }
        long v = (al / imm) << 8 | al % imm;
        return v | szp8(v) << 16;
    }

    /** AAD imm8: AL = AL + AH * imm, AH = 0. */
    public static long aad(long ax, long imm) {
        long v = ((ax & 0xFF) + ((ax >>> 8) & 0xFF) * (imm & 0xFF)) & 0xFF;
        return v | szp8(v) << 16;
    }
}
