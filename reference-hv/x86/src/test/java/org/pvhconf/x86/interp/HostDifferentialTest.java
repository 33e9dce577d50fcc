package org.pvhconf.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.decode.Decoder;
import org.pvhconf.x86.isa.RFlags;
import org.pvhconf.x86.testing.RandomAlu;
import org.pvhconf.x86.testing.TestMachine;

/**
 * Runs random register-only integer sequences on the host CPU (through JNA, in an RWX page) and on
 * the interpreter, from the same registers and flags, and demands identical GPRs and status flags.
 * {@link RandomAlu} keeps every flag architecturally defined at the end, so nothing is masked.
 */
class HostDifferentialTest {
    private static final int SLOTS = 16; // the GPRs; RSP's slot carries RFLAGS
    private static final int FLAGS = 4;
    private static final int PAGE = 1 << 16;
    private static Pointer page;
    private static Function munmap;

    @BeforeAll
    static void mapPage() {
        String arch = System.getProperty("os.arch");
        String os = System.getProperty("os.name");
        assumeTrue(("amd64".equals(arch) || "x86_64".equals(arch)) && os.startsWith("Linux"),
                "needs an x86-64 Linux host");
        NativeLibrary libc = NativeLibrary.getInstance("c");
        Function mmap = libc.getFunction("mmap");
        munmap = libc.getFunction("munmap");
        page = (Pointer) mmap.invoke(Pointer.class, new Object[] {Pointer.NULL, (long) PAGE, 7, 0x22, -1, 0L});
        assumeTrue(page != null && Pointer.nativeValue(page) != -1L, "the kernel refused an RWX mapping");
    }

    @AfterAll
    static void unmapPage() {
        if (page != null && Pointer.nativeValue(page) != -1L) {
            munmap.invokeInt(new Object[] {page, (long) PAGE});
        }
    }

    @Test
    void randomAluSequences_matchHost_seed1() {
        compare(1, 2200, 48);
    }

    @Test
    void randomAluSequences_matchHost_seed0x5eed() {
        compare(0x5eed, 1000, 48);
    }

    private void compare(long seed, int sequences, int length) {
        RandomAlu gen = new RandomAlu(seed);
        Memory buf = new Memory(SLOTS * 8L);
        long total = 0;
        List<String> failures = new ArrayList<>();
        for (int s = 0; s < sequences && failures.size() < 5; s++) {
            byte[] body = gen.sequence(length);
            total += gen.count();
            long[] regs = new long[SLOTS];
            for (int i = 0; i < 16; i++) {
                regs[i] = i == FLAGS ? gen.flags() : gen.value();
            }

            String diff = diff(host(buf, body, regs), interpret(body, regs));
            if (diff != null) {
                failures.add("sequence " + s + ": " + diff + "\n  start " + HexFormat.of().formatHex(toBytes(regs))
                        + "\n  first divergence after" + firstDivergence(buf, body, regs, gen.checkpoints()));
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertTrue(total >= (long) sequences * length, "ran " + total + " instructions");
    }

    private static long[] host(Memory buf, byte[] body, long[] regs) {
        buf.write(0, regs, 0, SLOTS);
        byte[] code = harness(body);
        page.write(0, code, 0, code.length);
        Function.getFunction(page).invokeVoid(new Object[] {buf});
        return buf.getLongArray(0, SLOTS);
    }

    /** Re-runs growing prefixes of {@code body} and names the first instruction after which the states differ. */
    private static String firstDivergence(Memory buf, byte[] body, long[] regs, List<Integer> checkpoints) {
        int pos = 0;
        StringBuilder listing = new StringBuilder();
        while (pos < body.length) {
            int start = pos;
            DecodedInsn d = Decoder.decode(i -> body[start + i] & 0xFF);
            pos += d.length;
            listing.append("\n    ").append(HexFormat.of().formatHex(body, start, pos)).append("  ").append(d.form.name);
            if (!checkpoints.contains(pos)) {
                continue;
            }
            byte[] prefix = java.util.Arrays.copyOf(body, pos);
            String diff = diff(host(buf, prefix, regs), interpret(prefix, regs));
            if (diff != null) {
                return listing + "\n  :" + diff;
            }
        }
        return " (none: the difference needs the whole sequence)" + listing;
    }

    private static long[] interpret(byte[] body, long[] regs) {
        TestMachine m = new TestMachine();
        byte[] code = new byte[body.length + 1];
        System.arraycopy(body, 0, code, 0, body.length);
        code[body.length] = (byte) 0xF4;
        m.load(0x10000, code);
        for (int i = 0; i < 16; i++) {
            if (i != 4) {
                m.cpu.gpr[i] = regs[i];
            }
        }
        m.cpu.rflags = 0x202 | regs[FLAGS];
        VmExit e = m.run(1_000_000);
        assertEquals(VmExit.Reason.HLT, e.reason(), "interpreter stopped early at " + Long.toHexString(m.cpu.rip));
        long[] out = new long[SLOTS];
        System.arraycopy(m.cpu.gpr, 0, out, 0, 16);
        out[FLAGS] = m.cpu.rflags;
        return out;
    }

    private static String diff(long[] host, long[] mine) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i != 4 && host[i] != mine[i]) {
                sb.append(String.format(" r%d host=%016x interp=%016x", i, host[i], mine[i]));
            }
        }
        if (((host[FLAGS] ^ mine[FLAGS]) & RFlags.ARITH) != 0) {
            sb.append(String.format(" flags host=%03x interp=%03x", host[FLAGS] & RFlags.ARITH, mine[FLAGS] & RFlags.ARITH));
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static byte[] toBytes(long[] v) {
        byte[] b = new byte[v.length * 8];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (v[i / 8] >>> (8 * (i % 8)));
        }
        return b;
    }

    /**
     * Wraps {@code body} as a C function {@code void f(long *buf)}: saves callee-saved registers and
     * the buffer pointer, loads RFLAGS (from RSP's slot) and every GPR but RSP from buf, runs body,
     * stores them back. Every displacement is a disp8 below 128.
     */
    static byte[] harness(byte[] body) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int[] saved = {3, 5, 12, 13, 14, 15};
        for (int r : saved) {
            push(o, r);
        }
        o.write(0x57); // push rdi (the buffer)
        o.writeBytes(new byte[] {(byte) 0xFF, 0x77, FLAGS * 8}); // push qword [rdi+32]
        o.write(0x9D); // popfq
        for (int r = 0; r < 16; r++) {
            if (r != 4 && r != 7) {
                movRegFromRdi(o, r);
            }
        }
        movRegFromRdi(o, 7);
        o.writeBytes(body);
        o.write(0x57); // push rdi (guest value)
        o.writeBytes(new byte[] {0x48, (byte) 0x8B, 0x7C, 0x24, 0x08}); // mov rdi, [rsp+8]
        o.writeBytes(new byte[] {(byte) 0x8F, 0x47, 7 * 8}); // pop qword [rdi+56]
        for (int r = 0; r < 16; r++) {
            if (r != 4 && r != 7) {
                o.write(0x48 | (r >= 8 ? 4 : 0));
                o.write(0x89);
                o.write(0x40 | (r & 7) << 3 | 7);
                o.write(r * 8);
            }
        }
        o.write(0x9C); // pushfq
        o.writeBytes(new byte[] {(byte) 0x8F, 0x47, FLAGS * 8}); // pop qword [rdi+32]
        o.write(0x5F); // pop rdi
        for (int i = saved.length - 1; i >= 0; i--) {
            int r = saved[i];
            if (r >= 8) {
                o.write(0x41);
            }
            o.write(0x58 + (r & 7));
        }
        o.write(0xC3);
        return o.toByteArray();
    }

    private static void push(ByteArrayOutputStream o, int r) {
        if (r >= 8) {
            o.write(0x41);
        }
        o.write(0x50 + (r & 7));
    }

    /** mov r64, [rdi + 8r] */
    private static void movRegFromRdi(ByteArrayOutputStream o, int r) {
        o.write(0x48 | (r >= 8 ? 4 : 0));
        o.write(0x8B);
        o.write(0x40 | (r & 7) << 3 | 7);
        o.write(r * 8);
    }
}
