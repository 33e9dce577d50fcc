package org.pvhconf.stubs.kernels.bench;

import static org.pvhconf.stubs.asm.Mem.mem;
import static org.pvhconf.stubs.asm.Mem.rip;
import static org.pvhconf.stubs.asm.Reg32.EAX;
import static org.pvhconf.stubs.asm.Reg32.ECX;
import static org.pvhconf.stubs.asm.Reg32.EDI;
import static org.pvhconf.stubs.asm.Reg32.EDX;
import static org.pvhconf.stubs.asm.Reg32.ESI;
import static org.pvhconf.stubs.asm.Reg32.R8D;
import static org.pvhconf.stubs.asm.Reg32.R15D;
import static org.pvhconf.stubs.asm.Reg64.R14;
import static org.pvhconf.stubs.asm.Reg64.R15;
import static org.pvhconf.stubs.asm.Reg64.R8;
import static org.pvhconf.stubs.asm.Reg64.RAX;
import static org.pvhconf.stubs.asm.Reg64.RBP;
import static org.pvhconf.stubs.asm.Reg64.RBX;
import static org.pvhconf.stubs.asm.Reg64.RCX;
import static org.pvhconf.stubs.asm.Reg64.RDI;
import static org.pvhconf.stubs.asm.Reg64.RDX;
import static org.pvhconf.stubs.asm.Reg64.RSI;
import static org.pvhconf.stubs.asm.Reg8.AL;

import org.pvhconf.stubs.asm.Assembler;
import org.pvhconf.stubs.asm.Label;
import org.pvhconf.stubs.kernels.GuestAbi;
import org.pvhconf.stubs.kernels.PvhKernel;

/**
 * Xen-guest twins of the emulator-performance workloads in {@code shared/bench/x86-workloads}
 * ({@code arith.s}, {@code sieve.s}, {@code fib.s}): the same loop bodies, instruction for
 * instruction, run for the same argument, then the checksum is printed as 16 hex digits and a
 * newline with {@code console_io} (§12.2) and the guest powers off (§12.1). Only the argument
 * parsing and the Linux syscalls differ, so the counts differ from {@code counts.py} by a small
 * constant; the bench reports each engine's own retired count.
 *
 * <p>The project's assembler has no ADC or IMUL, so those two instructions are emitted as their
 * bytes ({@code adc $0,%r8}: 49 83 D0 00; {@code imul %rcx,%rax}: 48 0F AF C1).
 */
public final class BenchKernel extends PvhKernel<BenchKernel> {
    /** The three workloads. */
    public enum Workload {
        ARITH(100_000_000L), SIEVE(64), FIB(38);

        /** The default argument of the Linux program. */
        public final long defaultArg;

        Workload(long defaultArg) {
            this.defaultArg = defaultArg;
        }
    }

    private static final int SIEVE_SIZE = 1 << 20;

    private final Workload workload;
    private final long arg;

    public BenchKernel(final Workload workload, final long arg) {
        this.workload = workload;
        this.arg = arg;
    }

    public Workload workload() {
        return workload;
    }

    public long arg() {
        return arg;
    }

    /** The checksum line the workload prints for {@code arg} (as the Linux program does). */
    public static String expectedOutput(final Workload w, final long arg) {
        long v = switch (w) {
            case ARITH -> {
                long a = 0;
                long b = 0x9E3779B97F4A7C15L;
                long d = 1;
                long carry = 0;
                for (long i = 0; i < arg; i++) {
                    a += b;
                    d ^= a;
                    long s = d << 13;
                    d ^= s;
                    s >>>= 7;
                    b += s;
                    if (Long.compareUnsigned(d, a) < 0) {
                        carry++;
                    }
                }
                yield (a ^ b ^ d) + carry;
            }
            case SIEVE -> {
                boolean[] composite = new boolean[SIEVE_SIZE];
                long sum = 0;
                for (int p = 2; p < SIEVE_SIZE; p++) {
                    if (!composite[p]) {
                        sum += p;
                        for (long m = (long) p * p; m < SIEVE_SIZE; m += p) {
                            composite[(int) m] = true;
                        }
                    }
                }
                yield sum * arg;
            }
            case FIB -> {
                long a = 0;
                long b = 1;
                for (long i = 0; i < arg; i++) {
                    long t = a + b;
                    a = b;
                    b = t;
                }
                yield a;
            }
        };
        return String.format("%016x%n", v);
    }

    @Override
    protected void emit(final Assembler asm, final Label entry, final Label hypercallPage) {
        Label print = asm.newLabel("print_hex_exit");
        asm.bind(entry);
        switch (workload) {
            case ARITH -> arith(asm, print);
            case SIEVE -> sieve(asm, print);
            default -> fib(asm, print);
        }
        printHexExit(asm, print, hypercallPage);
    }

    /** arith.s: 11 instructions per iteration. */
    private void arith(final Assembler asm, final Label print) {
        Label loop = asm.newLabel("arith_loop");
        Label done = asm.newLabel("arith_done");
        asm.movabs(RCX, arg)
                .xor(EAX, EAX)
                .movabs(RBX, 0x9E3779B97F4A7C15L)
                .mov(EDX, 1)
                .xor(R8D, R8D)
                .test(RCX, RCX)
                .je(done)
                .align(16, 0x90)
                .bind(loop)
                .add(RAX, RBX)
                .xor(RDX, RAX)
                .mov(RSI, RDX)
                .shl(RSI, 13)
                .xor(RDX, RSI)
                .shr(RSI, 7)
                .add(RBX, RSI)
                .cmp(RDX, RAX)
                .db(0x49, 0x83, 0xD0, 0x00) // adc $0, %r8
                .dec(RCX)
                .jne(loop)
                .bind(done)
                .xor(RAX, RBX)
                .xor(RAX, RDX)
                .add(RAX, R8)
                .mov(RDI, RAX)
                .jmp(print);
    }

    /** sieve.s: a 1 MiB byte sieve, {@code arg} passes. */
    private void sieve(final Assembler asm, final Label print) {
        Label sieve = bss(asm, "sieve", SIEVE_SIZE, 4096);
        Label pass = asm.newLabel("pass");
        Label clear = asm.newLabel("clear");
        Label ploop = asm.newLabel("ploop");
        Label mark = asm.newLabel("mark");
        Label pnext = asm.newLabel("pnext");
        Label pdone = asm.newLabel("pdone");
        Label cnt = asm.newLabel("cnt");
        Label out = asm.newLabel("sieve_out");
        asm.movabs(R14, arg)
                .xor(R15D, R15D)
                .lea(RBX, rip(sieve))
                .test(R14, R14)
                .je(out)
                .bind(pass)
                .mov(RDI, RBX)
                .mov(ECX, SIEVE_SIZE / 8)
                .xor(EAX, EAX)
                .bind(clear)
                .mov(mem(RDI), RAX)
                .add(RDI, 8)
                .dec(ECX)
                .jne(clear)
                .mov(ECX, 2)
                .bind(ploop)
                .mov(RAX, RCX)
                .db(0x48, 0x0F, 0xAF, 0xC1) // imul %rcx, %rax
                .cmp(RAX, SIEVE_SIZE)
                .jae(pdone)
                .cmp(mem(RBX, RCX, 1, 0).b(), 0)
                .jne(pnext)
                .bind(mark)
                .mov(mem(RBX, RAX, 1, 0).b(), 1)
                .add(RAX, RCX)
                .cmp(RAX, SIEVE_SIZE)
                .jb(mark)
                .bind(pnext)
                .inc(RCX)
                .jmp(ploop)
                .bind(pdone)
                .mov(ECX, 2)
                .xor(EDX, EDX)
                .bind(cnt)
                .movzx(EAX, mem(RBX, RCX, 1, 0).b())
                .dec(RAX)
                .and(RAX, RCX)
                .add(RDX, RAX)
                .inc(RCX)
                .cmp(RCX, SIEVE_SIZE)
                .jb(cnt)
                .add(R15, RDX)
                .dec(R14)
                .jne(pass)
                .bind(out)
                .mov(RDI, R15)
                .jmp(print);
    }

    /** fib.s: naive recursive fib(arg). */
    private void fib(final Assembler asm, final Label print) {
        Label fib = asm.newLabel("fib");
        Label leaf = asm.newLabel("fib_leaf");
        asm.movabs(RDI, arg)
                .call(fib)
                .mov(RDI, RAX)
                .jmp(print)
                .align(16, 0x90)
                .bind(fib)
                .cmp(RDI, 2)
                .jb(leaf)
                .push(RBX)
                .push(RBP)
                .mov(RBX, RDI)
                .lea(RDI, mem(RDI, -1))
                .call(fib)
                .mov(RBP, RAX)
                .lea(RDI, mem(RBX, -2))
                .call(fib)
                .add(RAX, RBP)
                .pop(RBP)
                .pop(RBX)
                .ret()
                .bind(leaf)
                .mov(RAX, RDI)
                .ret();
    }

    /** common.s's hex print, then console_io(write) and sched_op(shutdown, poweroff). */
    private static void printHexExit(final Assembler asm, final Label print, final Label hypercallPage) {
        Label outbuf = asm.newLabel("outbuf");
        Label digits = asm.newLabel("hexdigits");
        Label loop = asm.newLabel("hex_loop");
        Label reason = asm.newLabel("shutdown_reason");
        Label stuck = asm.newLabel("stuck");
        asm.bind(print)
                .lea(RSI, rip(outbuf, 16))
                .mov(mem(RSI).b(), 10)
                .lea(R8, rip(digits))
                .mov(ECX, 16)
                .bind(loop)
                .mov(EAX, EDI)
                .and(EAX, 15)
                .movzx(EAX, mem(R8, RAX, 1, 0).b())
                .dec(RSI)
                .mov(mem(RSI), AL)
                .shr(RDI, 4)
                .dec(ECX)
                .jne(loop)
                .mov(EDI, GuestAbi.CONSOLEIO_WRITE)
                .lea(RDX, rip(outbuf))
                .mov(ESI, 17)
                .call(hypercallPage, GuestAbi.HYPERVISOR_CONSOLE_IO * GuestAbi.HYPERCALL_SLOT_SIZE)
                .mov(EDI, GuestAbi.SCHEDOP_SHUTDOWN)
                .lea(RSI, rip(reason))
                .call(hypercallPage, GuestAbi.HYPERVISOR_SCHED_OP * GuestAbi.HYPERCALL_SLOT_SIZE)
                .bind(stuck)
                .pause()
                .jmp(stuck);
        asm.align(16).bind(digits).ascii("0123456789abcdef");
        asm.bind(outbuf).fill(17, 0);
        asm.align(4).bind(reason).dd(GuestAbi.SHUTDOWN_POWEROFF);
    }
}
