package org.pvhconf.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.testing.Asm;
import org.pvhconf.x86.testing.TestMachine;

/** Instruction semantics on small programs assembled with GNU as, run on the interpreter. */
class InterpreterTest {
    private static final long CODE = 0x10000;
    private TestMachine m;

    @BeforeEach
    void setUp() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m = new TestMachine();
    }

    /** Runs {@code src} (which must end in hlt) and returns the exit. */
    private VmExit run(String src) {
        m.load(CODE, Asm.assemble(src));
        return m.run(100_000);
    }

    private long rax() {
        return m.cpu.gpr[0];
    }

    @Test
    void arithmetic_sumsALoop() {
        VmExit e = run("xor eax, eax\n mov ecx, 10\n1: add rax, rcx\n loop 1b\n hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(55, rax());
        assertEquals(CODE + 12, m.cpu.rip, "RIP stays at HLT");
    }

    @Test
    void call_ret_pushPop_roundTrip() {
        run("mov rbx, 0x1122334455667788\n call f\n hlt\n f: push rbx\n pop rax\n ret");
        assertEquals(0x1122334455667788L, rax());
        assertEquals(0x80000, m.cpu.gpr[4]);
    }

    @Test
    void write32_zeroExtends_write16_merges() {
        run("mov rax, -1\n mov eax, 5\n mov rbx, -1\n mov bx, 7\n mov rcx, -1\n mov ch, 0\n hlt");
        assertEquals(5, rax());
        assertEquals(0xFFFFFFFFFFFF0007L, m.cpu.gpr[3]);
        assertEquals(0xFFFFFFFFFFFF00FFL, m.cpu.gpr[1]);
    }

    @Test
    void ripRelative_lea_and_load() {
        run("lea rax, [rip + data]\n mov rbx, [rip + data]\n hlt\n data: .quad 0xdeadbeefcafe");
        assertEquals(CODE + 15, rax());
        assertEquals(0xdeadbeefcafeL, m.cpu.gpr[3]);
    }

    @Test
    void repMovsb_copiesAndAdvances() {
        m.write(0x20000, "hello, world".getBytes());
        run("mov rsi, 0x20000\n mov rdi, 0x21000\n mov rcx, 12\n cld\n rep movsb\n hlt");
        assertEquals('w', m.read8(0x21007));
        assertEquals(0, m.cpu.gpr[1]);
        assertEquals(0x2100C, m.cpu.gpr[7]);
    }

    @Test
    void repneScasb_findsByte() {
        m.write(0x20000, "abcdef\0".getBytes());
        run("mov rdi, 0x20000\n mov al, 'e'\n mov rcx, -1\n repne scasb\n hlt");
        assertEquals(0x20005, m.cpu.gpr[7]);
    }

    @Test
    void div_quotientRemainder() {
        run("mov rdx, 1\n mov rax, 5\n mov rcx, 3\n div rcx\n hlt");
        // (2^64 + 5) / 3
        assertEquals(Long.divideUnsigned(-1L, 3) + 2, rax());
        assertEquals(0, m.cpu.gpr[2]);
    }

    @Test
    void cmpxchg_matchAndMismatch() {
        run("mov qword ptr [0x20000], 7\n mov eax, 7\n mov ecx, 9\n lock cmpxchg [0x20000], ecx\n"
                + "mov rbx, [0x20000]\n mov eax, 1\n lock cmpxchg [0x20000], ecx\n hlt");
        assertEquals(9, m.cpu.gpr[3]);
        assertEquals(9, rax(), "mismatch loads the accumulator");
    }

    @Test
    void enterLeave_buildsFrame() {
        run("mov rbp, 0x1234\n enter 32, 0\n mov rbx, rbp\n leave\n hlt");
        assertEquals(0x80000 - 8, m.cpu.gpr[3]);
        assertEquals(0x1234, m.cpu.gpr[5]);
        assertEquals(0x80000, m.cpu.gpr[4]);
    }

    @Test
    void cpuid_exitsWithRipAtInstruction() {
        VmExit e = run("mov eax, 1\n cpuid\n hlt");
        assertEquals(VmExit.Reason.CPUID, e.reason());
        assertEquals(2, e.instructionLength());
        assertEquals(CODE + 5, m.cpu.rip);
        assertEquals(1, m.cpu.retiredInstructions(), "an exiting instruction does not retire");
    }

    @Test
    void vmcall_and_vmmcall_exit() {
        assertEquals(VmExit.Reason.VMCALL, run("vmcall").reason());
        m.cpu.rip += 3;
        m.load(CODE, Asm.assemble("vmmcall"));
        assertEquals(VmExit.Reason.VMCALL, m.run(10).reason());
    }

    @Test
    void outDx_exitsWithPortSizeDirection() {
        VmExit e = run("mov dx, 0xe9\n mov al, 'x'\n out dx, al\n hlt");
        assertEquals(VmExit.Reason.IO, e.reason());
        assertEquals(0xE9, e.qualification());
        assertEquals(1, e.ioSize());
        assertEquals(false, e.ioIn());
        VmExit in = run("in eax, 0x71");
        assertEquals(4, in.ioSize());
        assertEquals(0x71, in.qualification());
        assertEquals(true, in.ioIn());
    }

    @Test
    void rdmsr_unknown_exits_efer_internal() {
        VmExit e = run("mov ecx, 0xc0000080\n rdmsr\n mov ecx, 0x3a\n rdmsr\n hlt");
        assertEquals(VmExit.Reason.RDMSR, e.reason());
        assertEquals(0x3A, e.qualification());
        assertEquals(0x500, rax());
    }

    @Test
    void wrmsr_gsBase_thenSwapgs() {
        run("mov ecx, 0xc0000101\n mov eax, 0x1000\n xor edx, edx\n wrmsr\n swapgs\n mov ecx, 0xc0000102\n rdmsr\n hlt");
        assertEquals(0x1000, rax());
        assertEquals(0, m.cpu.segment(org.pvhconf.x86.cpu.SegReg.GS).base);
    }

    @Test
    void rdtsc_isRetiredPlusOffset() {
        m.cpu.tscOffset = 1000;
        run("nop\n nop\n rdtsc\n hlt");
        assertEquals(1002, rax(), "two NOPs retired before RDTSC reads");
    }

    @Test
    void budget_stopsAfterExactlyBudget() {
        m.load(CODE, Asm.assemble("1: inc rax\n jmp 1b"));
        for (int budget : new int[] {0, 1, 7, 1000}) {
            long before = m.cpu.retiredInstructions();
            VmExit e = m.run(budget);
            assertEquals(VmExit.Reason.BUDGET, e.reason());
            assertEquals(budget, m.cpu.retiredInstructions() - before);
        }
        assertEquals(504, rax(), "1008 instructions, half of them INC");
    }

    @Test
    void movCr3_flushesTlb() {
        // Map linear 0x30000 to frame 0x31000 in a copy of the tables, switch CR3, read through it.
        for (long off = 0; off < 0x4000; off += 8) {
            m.write64(0xA1000 + off, m.read64(TestMachine.L4 + off));
        }
        m.write64(0xA1000, 0xA2000 | 0x67);
        m.write64(0xA2000, 0xA3000 | 0x67);
        m.write64(0xA3000, 0xA4000 | 0x67);
        m.write64(0xA4000 + 8 * 0x30, 0x31000 | 0x63);
        m.write64(0xA4000 + 8 * (CODE >>> 12), CODE | 0x63);
        m.write64(0xA4000 + 8 * 0x7F, 0x7F000 | 0x63);
        m.write64(0x30000, 111);
        m.write64(0x31000, 222);
        run("mov rax, [0x30000]\n mov rcx, 0xa1000\n mov cr3, rcx\n mov rbx, [0x30000]\n hlt");
        assertEquals(111, rax());
        assertEquals(222, m.cpu.gpr[3]);
    }

    @Test
    void ud2_withoutIdt_tripleFaults() {
        assertEquals(VmExit.Reason.TRIPLE_FAULT, run("ud2").reason());
    }

    @Test
    void clearingPg_inLongMode_isGp_tripleFaultWithoutIdt() {
        assertEquals(VmExit.Reason.TRIPLE_FAULT, run("mov rax, cr0\n btr eax, 31\n mov cr0, rax\n hlt").reason());
    }

    @Test
    void selfModifyingCode_runsTheNewBytes_despiteTheDecodeCache() {
        VmExit e = run("mov ecx, 2\n 1: p: mov eax, 1\n mov byte ptr [rip + p + 1], 7\n dec ecx\n jnz 1b\n hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(7, rax(), "the second pass decoded the patched MOV");
    }
}
