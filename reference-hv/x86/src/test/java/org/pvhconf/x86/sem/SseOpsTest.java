package org.pvhconf.x86.sem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.testing.Asm;
import org.pvhconf.x86.testing.TestMachine;

/** The SSE/SSE2 subset and FXSAVE/FXRSTOR as guest programs: data movement, logic, CR0.EM/TS, CR4.OSFXSR, alignment. */
class SseOpsTest {
    private static final long CODE = 0x10000, BUF = 0x50000;
    private TestMachine m;

    @BeforeEach
    void setUp() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m = new TestMachine().withDescriptorTables();
        m.cpu.cr4 |= 1 << 9; // OSFXSR
    }

    private VmExit run(String... lines) {
        m.load(CODE, Asm.assemble(String.join("\n", lines)));
        return m.run(1000);
    }

    private long handler(int vector) {
        return TestMachine.HANDLERS + 16L * vector;
    }

    @Test
    void moves_andLogic() {
        VmExit e = run(
                "mov rax, 0x1111222233334444", "movq xmm1, rax",
                "mov rax, 0x5555666677778888", "movq xmm2, rax",
                "movdqa [" + BUF + "], xmm1", "movdqu [" + (BUF + 0x21) + "], xmm2",
                "movups xmm3, [" + (BUF + 0x21) + "]",
                "movaps xmm4, xmm1", "por xmm4, xmm2",
                "movdqa xmm5, [" + BUF + "]", "pand xmm5, xmm2",
                "pxor xmm6, xmm6", "movd ebx, xmm4", "movq rcx, xmm5",
                "mov edx, 0xFFFFFFFF", "movd xmm7, edx", "movq [" + (BUF + 0x40) + "], xmm7",
                "movq xmm8, [" + BUF + "]", "pandn xmm8, xmm2", "movq rsi, xmm8",
                "hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(0x1111222233334444L, m.read64(BUF));
        assertEquals(0, m.read64(BUF + 8), "MOVQ xmm, r64 zeroed the top");
        assertEquals(0x5555666677778888L, m.cpu.xmm[6], "xmm3 through an unaligned MOVUPS");
        assertEquals(0x1111222233334444L | 0x5555666677778888L, m.cpu.xmm[8]);
        assertEquals((0x1111222233334444L | 0x5555666677778888L) & 0xFFFFFFFFL, m.cpu.gpr[3], "MOVD r32 zero-extends");
        assertEquals(0x1111222233334444L & 0x5555666677778888L, m.cpu.gpr[1]);
        assertEquals(0, m.cpu.xmm[12] | m.cpu.xmm[13]);
        assertEquals(0xFFFFFFFFL, m.read64(BUF + 0x40));
        assertEquals(~0x1111222233334444L & 0x5555666677778888L, m.cpu.gpr[6]);
    }

    @Test
    void withoutOsfxsr_isUd_withEm_isUd() {
        m.cpu.cr4 &= ~(1L << 9);
        run("pxor xmm0, xmm0");
        assertEquals(handler(6), m.cpu.rip);
        m = new TestMachine().withDescriptorTables();
        m.cpu.cr4 |= 1 << 9;
        m.cpu.cr0 |= 4; // EM
        run("fxsave [" + BUF + "]");
        assertEquals(handler(6), m.cpu.rip);
    }

    @Test
    void withTs_isNm_untilClts() {
        m.cpu.cr0 |= 8; // TS
        m.setGate(7, CODE + 0x100, 0xE, 0, 0);
        m.write(CODE + 0x100, Asm.assemble("clts\n iretq"));
        VmExit e = run("mov eax, 5", "movd xmm0, eax", "movd ebx, xmm0", "hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(5, m.cpu.gpr[3], "#NM, CLTS in the handler, then the instruction ran again");
        assertEquals(0, m.cpu.cr0 & 8);
    }

    @Test
    void misalignedMovdqa_isGp0_misalignedPxorMemory_isGp0() {
        run("movdqa xmm0, [" + (BUF + 8) + "]");
        assertEquals(handler(13), m.cpu.rip);
        assertEquals(0, m.read64(m.cpu.gpr[4]));
        m = new TestMachine().withDescriptorTables();
        m.cpu.cr4 |= 1 << 9;
        run("pxor xmm0, [" + (BUF + 4) + "]");
        assertEquals(handler(13), m.cpu.rip);
    }

    @Test
    void fxsave_fxrstor_roundTrip_andLayout() {
        VmExit e = run(
                "mov rax, 0x0123456789ABCDEF", "movq xmm0, rax", "movq xmm15, rax",
                "mov dword ptr [" + (BUF + 0x800) + "], 0x1FA0", "ldmxcsr [" + (BUF + 0x800) + "]",
                "fxsave [" + BUF + "]",
                "pxor xmm0, xmm0", "pxor xmm15, xmm15", "mov dword ptr [" + (BUF + 0x800) + "], 0x1F80",
                "ldmxcsr [" + (BUF + 0x800) + "]",
                "fxrstor [" + BUF + "]", "stmxcsr [" + (BUF + 0x804) + "]", "movq rbx, xmm15", "hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(0x037F, m.read64(BUF) & 0xFFFF, "FCW");
        assertEquals(0x1FA0, m.read64(BUF + 24) & 0xFFFFFFFFL, "MXCSR");
        assertEquals(SseOps.MXCSR_MASK, m.read64(BUF + 24) >>> 32, "MXCSR_MASK");
        assertEquals(0x0123456789ABCDEFL, m.read64(BUF + 160), "XMM0");
        assertEquals(0x0123456789ABCDEFL, m.read64(BUF + 160 + 15 * 16), "XMM15 in 64-bit mode");
        assertEquals(0x0123456789ABCDEFL, m.cpu.gpr[3]);
        assertEquals(0x1FA0, m.read64(BUF + 0x804) & 0xFFFFFFFFL);
    }

    @Test
    void reservedMxcsrBits_areGp0() {
        run("mov dword ptr [" + BUF + "], 0x10000", "ldmxcsr [" + BUF + "]");
        assertEquals(handler(13), m.cpu.rip);
        assertEquals(0x1F80, m.cpu.mxcsr);
    }
}
