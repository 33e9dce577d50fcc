package org.pvhconf.x86.jit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.interp.Interpreter;
import org.pvhconf.x86.testing.TestMachine;

/**
 * JIT against interpreter on {@link RandomProgram}s: each program runs on both engines from the same
 * state, in up to three runs with random budgets (and, between runs, sometimes a byte of its code
 * rewritten from outside, as a hypervisor would), and after every run the exit, RIP, GPRs, RFLAGS,
 * CR2 and retired count must agree; at the end so must the code, data and stack pages.
 */
class JitDifferentialTest {

    @Test
    void randomPrograms_matchInterpreter_seed0x4a17() {
        compare(0x4a17, Integer.getInteger("jit.programs", 50_000));
    }

    @Test
    void randomPrograms_matchInterpreter_seed0xc0de() {
        compare(0xc0de, 50_000);
    }

    /** Runs {@code programs} programs, each from its own seed derived from {@code seed}, sequentially (defining hidden classes from two threads was slower). */
    static void compare(long seed, int programs) {
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.LongAdder blocks = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder retired = new java.util.concurrent.atomic.LongAdder();
        java.util.stream.IntStream.range(0, programs).forEach(p -> {
            if (failures.size() < 3) {
                String f = one(seed, p, blocks, retired);
                if (f != null) {
                    failures.add(f);
                }
            }
        });
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        long c = blocks.sum();
        long n = retired.sum();
        assertTrue(c > programs, () -> "only " + c + " translated block runs in " + programs + " programs");
        assertTrue(n > 20L * programs, () -> "only " + n + " instructions");
    }

    /** Program {@code p} of the campaign {@code seed}: null if both engines agree, else the difference. */
    static String one(long seed, int p, java.util.concurrent.atomic.LongAdder blocks,
            java.util.concurrent.atomic.LongAdder retired) {
        RandomProgram gen = new RandomProgram(seed * 0x9E3779B97F4A7C15L + p);
        byte[] code = gen.generate();
        SplittableRandom r = gen.random();
        long[] regs = new long[16];
        for (int i = 0; i < 16; i++) {
            regs[i] = gen.value();
        }
        long flags = gen.flags();
        int threshold = r.nextInt(8) == 0 ? 1 : 2 + r.nextInt(2); // 1 compiles straight-line code too; 2-3 the loops and calls
        JitEngine jit = new JitEngine(threshold);
        TestMachine a = machine(new Interpreter(), code, regs, flags);
        TestMachine b = machine(jit, code, regs, flags);
        int runs = 1 + r.nextInt(3);
        String where = "seed " + seed + " program " + p + " threshold " + threshold;
        String tail = "\n  code " + HexFormat.of().formatHex(code) + "\n  regs " + Arrays.toString(regs)
                + " flags " + Long.toHexString(flags);
        for (int run = 0; run < runs; run++) {
            long budget = 1 + r.nextInt(run == 0 ? 3000 : 500);
            if (run > 0 && r.nextInt(3) == 0) {
                long at = RandomProgram.CODE + r.nextInt(code.length);
                byte[] v = {(byte) r.nextInt(256)};
                a.write(at, v);
                b.write(at, v);
            }
            VmExit ea = a.run(budget);
            VmExit eb = b.run(budget);
            String diff = diff(a.cpu, ea, b.cpu, eb);
            if (diff != null) {
                return where + " run " + run + " budget " + budget + ":" + diff + tail;
            }
            if (ea.reason() != VmExit.Reason.BUDGET) {
                break;
            }
        }
        String mem = memoryDiff(a, b, code.length);
        if (mem != null) {
            return where + ": " + mem + tail;
        }
        blocks.add(jit.blocksRun);
        retired.add(a.cpu.retiredInstructions());
        return null;
    }

    static TestMachine machine(Cpu.Engine engine, byte[] code, long[] regs, long flags) {
        TestMachine m = new TestMachine(engine).withDescriptorTables();
        m.setPte(RandomProgram.NOT_PRESENT, 0);
        m.unmapped.add(RandomProgram.NOT_MAPPED >>> 12);
        m.load(RandomProgram.CODE, code);
        for (int i = 0; i < 16; i++) {
            if (i != 4) {
                m.cpu.gpr[i] = regs[i];
            }
        }
        m.cpu.rflags = 0x202 | flags;
        return m;
    }

    static String diff(Cpu a, VmExit ea, Cpu b, VmExit eb) {
        StringBuilder sb = new StringBuilder();
        if (!ea.equals(eb)) {
            sb.append(" exit interp=").append(ea).append(" jit=").append(eb);
        }
        if (a.rip != b.rip) {
            sb.append(String.format(" rip interp=%x jit=%x", a.rip, b.rip));
        }
        for (int i = 0; i < 16; i++) {
            if (a.gpr[i] != b.gpr[i]) {
                sb.append(String.format(" r%d interp=%x jit=%x", i, a.gpr[i], b.gpr[i]));
            }
        }
        if (a.rflags != b.rflags) {
            sb.append(String.format(" rflags interp=%x jit=%x", a.rflags, b.rflags));
        }
        if (a.cr2 != b.cr2) {
            sb.append(String.format(" cr2 interp=%x jit=%x", a.cr2, b.cr2));
        }
        if (a.retiredInstructions() != b.retiredInstructions()) {
            sb.append(" retired interp=").append(a.retiredInstructions()).append(" jit=").append(b.retiredInstructions());
        }
        if (a.interruptShadow != b.interruptShadow) {
            sb.append(" shadow differs");
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    static String memoryDiff(TestMachine a, TestMachine b, int codeLength) {
        long[] pages = {RandomProgram.CODE, RandomProgram.CODE + 0x1000, RandomProgram.DATA, 0x7F000, 0x0};
        for (long page : pages) {
            byte[] fa = a.frame(page >>> 12, GuestPhysMemory.READ);
            byte[] fb = b.frame(page >>> 12, GuestPhysMemory.READ);
            if (!Arrays.equals(fa, fb)) {
                return "memory differs in page " + Long.toHexString(page);
            }
        }
        return null;
    }
}
