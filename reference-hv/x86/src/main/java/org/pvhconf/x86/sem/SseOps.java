package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.isa.Operand;

/**
 * The SSE/SSE2 subset (MOVAPS, MOVUPS, MOVDQA, MOVDQU, MOVD, MOVQ, PXOR, POR, PAND, PANDN) and the
 * state instructions FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, on {@link Cpu#xmm}. System helpers because
 * the {@link Ops} values are 64 bits wide; each is check-then-commit. {@code ea} is the effective
 * address of the memory operand (0 without one).
 *
 * <p>Checks (SDM Vol. 3 §13.1.4, Vol. 2 "exceptions" of each instruction): CR0.EM or a clear
 * CR4.OSFXSR is #UD (FXSAVE/FXRSTOR: only EM); CR0.TS is #NM; a misaligned 16-byte operand of
 * an aligned form, FXSAVE or FXRSTOR is #GP(0); reserved MXCSR bits are #GP(0).
 */
public final class SseOps {
    private static final long CR0_EM = 4, CR0_TS = 8, CR4_OSFXSR = 1 << 9;
    /** MXCSR bits this CPU implements (FXSAVE's MXCSR_MASK). */
    public static final int MXCSR_MASK = 0xFFFF;

    private SseOps() {
    }

    private static void check(Env env, boolean needOsfxsr) {
        Cpu cpu = env.cpu;
        if ((cpu.cr0 & CR0_EM) != 0 || needOsfxsr && (cpu.cr4 & CR4_OSFXSR) == 0) {
            throw Fault.ud();
        }
        if ((cpu.cr0 & CR0_TS) != 0) {
            throw Fault.of(Fault.NM);
        }
    }

    /** Checks the whole memory operand for writing before any byte is written. */
    private static void probeWrite(Env env, DecodedInsn d, long ea, int bytes) {
        long last = d.addrSize == 32 ? (ea + bytes - 1) & 0xFFFFFFFFL : ea + bytes - 1;
        env.linear(d.segment, last); // segment limit / canonical form of the last byte
        env.mmu.probeWrite(env.linear(d.segment, ea), bytes, env.user());
    }

    private static long next(DecodedInsn d, long ea, int k) {
        long a = ea + 8L * k;
        return d.addrSize == 32 ? a & 0xFFFFFFFFL : a;
    }

    private static void aligned(long ea, boolean required) {
        if (required && (ea & 15) != 0) {
            throw Fault.gp(0);
        }
    }

    /** Moves between XMM registers, memory and general registers; the form says which and how wide. */
    public static long move(Env env, DecodedInsn d, long ea) {
        check(env, true);
        Cpu cpu = env.cpu;
        String m = d.form.mnemonic;
        Operand dst = d.form.operand(0);
        Operand src = d.form.operand(1);
        boolean alignedForm = m.equals("MOVAPS") || m.equals("MOVDQA");
        // Read the source (64 or 128 bits as lo/hi).
        long lo;
        long hi = 0;
        int width;
        switch (src.kind()) {
            case XMM -> {
                lo = cpu.xmm[2 * d.reg];
                hi = cpu.xmm[2 * d.reg + 1];
                width = dst.kind() == OpKind.RM ? dst.size() : dst.size();
            }
            case XMM_RM -> {
                width = src.size();
                if (d.rm >= 0) {
                    lo = cpu.xmm[2 * d.rm];
                    hi = cpu.xmm[2 * d.rm + 1];
                } else {
                    aligned(ea, alignedForm && width == 128);
                    lo = env.read(d.segment, ea, 64);
                    hi = width == 128 ? env.read(d.segment, next(d, ea, 1), 64) : 0;
                }
            }
            default -> { // a general register or memory (MOVD/MOVQ xmm, r/m)
                width = src.size();
                lo = d.rm >= 0 ? cpu.gpr[d.rm] & mask(width) : env.read(d.segment, ea, width);
            }
        }
        // Write the destination.
        switch (dst.kind()) {
            case XMM -> {
                boolean whole = width == 128;
                cpu.xmm[2 * d.reg] = whole ? lo : lo & mask(width);
                cpu.xmm[2 * d.reg + 1] = whole ? hi : 0; // MOVD/MOVQ to XMM zero the rest
            }
            case XMM_RM -> {
                if (d.rm >= 0) {
                    if (width == 128) {
                        cpu.xmm[2 * d.rm] = lo;
                        cpu.xmm[2 * d.rm + 1] = hi;
                    } else {
                        cpu.xmm[2 * d.rm] = lo; // MOVQ xmm/m64, xmm (66 0F D6) with a register zeroes the top
                        cpu.xmm[2 * d.rm + 1] = 0;
                    }
                } else {
                    int bytes = dst.size() / 8;
                    aligned(ea, alignedForm && bytes == 16);
                    probeWrite(env, d, ea, bytes);
                    env.write(d.segment, ea, 64, lo);
                    if (bytes == 16) {
                        env.write(d.segment, next(d, ea, 1), 64, hi);
                    }
                }
            }
            default -> { // MOVD/MOVQ r/m, xmm
                int size = dst.size();
                if (d.rm >= 0) {
                    cpu.gpr[d.rm] = lo & mask(size); // a 32-bit register write zero-extends
                } else {
                    env.write(d.segment, ea, size, lo);
                }
            }
        }
        return 0;
    }

    /** PXOR, POR, PAND, PANDN xmm, xmm/m128 (the memory operand must be 16-byte aligned). */
    public static long logic(Env env, DecodedInsn d, long ea) {
        check(env, true);
        Cpu cpu = env.cpu;
        long lo;
        long hi;
        if (d.rm >= 0) {
            lo = cpu.xmm[2 * d.rm];
            hi = cpu.xmm[2 * d.rm + 1];
        } else {
            aligned(ea, true);
            lo = env.read(d.segment, ea, 64);
            hi = env.read(d.segment, next(d, ea, 1), 64);
        }
        int r = 2 * d.reg;
        switch (d.form.mnemonic) {
            case "PXOR" -> {
                cpu.xmm[r] ^= lo;
                cpu.xmm[r + 1] ^= hi;
            }
            case "POR" -> {
                cpu.xmm[r] |= lo;
                cpu.xmm[r + 1] |= hi;
            }
            case "PAND" -> {
                cpu.xmm[r] &= lo;
                cpu.xmm[r + 1] &= hi;
            }
            default -> { // PANDN: dest = ~dest & src
                cpu.xmm[r] = ~cpu.xmm[r] & lo;
                cpu.xmm[r + 1] = ~cpu.xmm[r + 1] & hi;
            }
        }
        return 0;
    }

    /** The XMM registers FXSAVE/FXRSTOR cover: 16 in 64-bit mode, else 8. */
    private static int xmmCount(Env env) {
        return env.cpu.is64BitMode() ? 16 : 8;
    }

    /**
     * FXSAVE m512 (SDM Vol. 1 §10.5.1, table 10-2): FCW, FSW, abridged FTW, MXCSR and MXCSR_MASK, the
     * (zero) x87 registers and, with CR4.OSFXSR, the XMM registers. Bytes 464..511 are left alone.
     */
    public static long fxsave(Env env, DecodedInsn d, long ea) {
        check(env, false);
        aligned(ea, true);
        probeWrite(env, d, ea, 512);
        Cpu cpu = env.cpu;
        env.write(d.segment, ea, 64, cpu.fcw & 0xFFFFL | (cpu.fsw & 0xFFFFL) << 16 | (cpu.ftw & 0xFFL) << 32);
        env.write(d.segment, next(d, ea, 1), 64, 0); // FIP
        env.write(d.segment, next(d, ea, 2), 64, 0); // FDP
        env.write(d.segment, next(d, ea, 3), 64, cpu.mxcsr & 0xFFFFFFFFL | (long) MXCSR_MASK << 32);
        for (int k = 4; k < 20; k++) {
            env.write(d.segment, next(d, ea, k), 64, 0); // ST0..ST7 / MM0..MM7
        }
        if ((cpu.cr4 & CR4_OSFXSR) != 0) {
            for (int i = 0; i < xmmCount(env); i++) {
                env.write(d.segment, next(d, ea, 20 + 2 * i), 64, cpu.xmm[2 * i]);
                env.write(d.segment, next(d, ea, 21 + 2 * i), 64, cpu.xmm[2 * i + 1]);
            }
        }
        return 0;
    }

    /** FXRSTOR m512: the inverse of {@link #fxsave}; reserved MXCSR bits are #GP(0), checked before anything changes. */
    public static long fxrstor(Env env, DecodedInsn d, long ea) {
        check(env, false);
        aligned(ea, true);
        Cpu cpu = env.cpu;
        long w0 = env.read(d.segment, ea, 64);
        long w3 = env.read(d.segment, next(d, ea, 3), 64);
        boolean osfxsr = (cpu.cr4 & CR4_OSFXSR) != 0;
        int n = osfxsr ? xmmCount(env) : 0;
        long[] regs = new long[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            regs[i] = env.read(d.segment, next(d, ea, 20 + i), 64);
        }
        int mxcsr = (int) w3;
        if (osfxsr && (mxcsr & ~MXCSR_MASK) != 0) {
            throw Fault.gp(0);
        }
        cpu.fcw = (int) w0 & 0xFFFF;
        cpu.fsw = (int) (w0 >>> 16) & 0xFFFF;
        cpu.ftw = (int) (w0 >>> 32) & 0xFF;
        if (osfxsr) {
            cpu.mxcsr = mxcsr;
            System.arraycopy(regs, 0, cpu.xmm, 0, regs.length);
        }
        return 0;
    }

    /** LDMXCSR m32: reserved bits are #GP(0). */
    public static long ldmxcsr(Env env, DecodedInsn d, long ea) {
        check(env, true);
        int v = (int) env.read(d.segment, ea, 32);
        if ((v & ~MXCSR_MASK) != 0) {
            throw Fault.gp(0);
        }
        env.cpu.mxcsr = v;
        return 0;
    }

    /** STMXCSR m32. */
    public static long stmxcsr(Env env, DecodedInsn d, long ea) {
        check(env, true);
        env.write(d.segment, ea, 32, env.cpu.mxcsr & 0xFFFFFFFFL);
        return 0;
    }

    private static long mask(int size) {
        return size == 64 ? -1L : (1L << size) - 1;
    }
}
