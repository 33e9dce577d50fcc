package org.pvhconf.x86.sem;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.isa.RFlags;

/**
 * MOVS, STOS, LODS, CMPS, SCAS with REP/REPE/REPNE (SDM Vol. 2 "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * <p>Each iteration loads, then stores, then commits RSI/RDI/RCX (and RAX or flags), so a fault in
 * iteration k leaves the registers of iterations before k, with RIP still at the instruction:
 * exactly the architectural restart point. A REP runs at most {@link #CHUNK} iterations per step
 * and then stops with {@link Env#noRetire} to be continued, so that one instruction cannot hold the
 * CPU for 2^64 iterations.
 */
public final class StringOps {
    /** Iterations per step of a REP string instruction. */
    public static final int CHUNK = 4096;

    private static final int RAX = 0, RCX = 1, RSI = 6, RDI = 7;

    private StringOps() {
    }

    public static long string(Env env, DecodedInsn d, long arg) {
        Cpu cpu = env.cpu;
        String m = d.form.mnemonic;
        char kind = m.charAt(0); // M(OVS) S(TOS / CAS) L(ODS) C(MPS)
        boolean scas = m.startsWith("SCAS");
        int size = d.opSize;
        if (m.endsWith("B")) {
            size = 8;
        }
        int bytes = size / 8;
        boolean rep = d.rep() || d.repne();
        boolean conditional = kind == 'C' || scas;
        long addrMask = d.addrSize == 32 ? 0xFFFFFFFFL : -1L;
        long step = (cpu.rflags & RFlags.DF) != 0 ? -bytes : bytes;
        int srcSeg = d.segment;
        int es = SegReg.ES.ordinal();
        for (int i = 0; ; i++) {
            if (rep && (cpu.gpr[RCX] & addrMask) == 0) {
                return 0;
            }
            if (rep && i == CHUNK) {
                env.noRetire = true;
                env.jump(cpu.rip);
                return 0;
            }
            long rsi = cpu.gpr[RSI] & addrMask, rdi = cpu.gpr[RDI] & addrMask;
            long flags = cpu.rflags;
            switch (kind) {
                case 'M' -> {
                    long v = env.read(srcSeg, rsi, size);
                    env.write(es, rdi, size, v);
                    advance(cpu, RSI, step, addrMask);
                    advance(cpu, RDI, step, addrMask);
                }
                case 'L' -> {
                    long v = env.read(srcSeg, rsi, size);
                    setGpr(cpu, RAX, size, v);
                    advance(cpu, RSI, step, addrMask);
                }
                case 'C' -> {
                    long a = env.read(srcSeg, rsi, size);
                    long b = env.read(es, rdi, size);
                    flags = cpu.rflags & ~RFlags.ARITH | Flags.sub(size, a, b, a - b);
                    cpu.rflags = flags;
                    advance(cpu, RSI, step, addrMask);
                    advance(cpu, RDI, step, addrMask);
                }
                default -> {
                    if (scas) {
                        long a = cpu.gpr[RAX];
                        long b = env.read(es, rdi, size);
                        flags = cpu.rflags & ~RFlags.ARITH | Flags.sub(size, a, b, a - b);
                        cpu.rflags = flags;
                    } else {
                        env.write(es, rdi, size, cpu.gpr[RAX]);
                    }
                    advance(cpu, RDI, step, addrMask);
                }
            }
            if (!rep) {
                return 0;
            }
            advance(cpu, RCX, -1, addrMask);
            if (conditional) {
                boolean zf = (flags & RFlags.ZF) != 0;
                if (d.rep() && !zf || d.repne() && zf) {
                    return 0;
                }
            }
        }
    }

    private static void advance(Cpu cpu, int r, long delta, long addrMask) {
        if (addrMask == -1L) {
            cpu.gpr[r] += delta;
        } else {
            cpu.gpr[r] = (cpu.gpr[r] + delta) & addrMask; // a 32-bit address-size update zero-extends
        }
    }

    private static void setGpr(Cpu cpu, int r, int size, long v) {
        cpu.gpr[r] = switch (size) {
            case 8 -> cpu.gpr[r] & ~0xFFL | v & 0xFF;
            case 16 -> cpu.gpr[r] & ~0xFFFFL | v & 0xFFFF;
            case 32 -> v & 0xFFFFFFFFL;
            default -> v;
        };
    }
}
