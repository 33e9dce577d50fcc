package org.pvhconf.x86.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.interp.Interpreter;
import org.pvhconf.x86.testing.Asm;
import org.pvhconf.x86.testing.TestMachine;

/**
 * The guest programs of issue 4, each run on the interpreter and on the JIT (threshold 2, so
 * the loops are translated early): self-modifying code, a fault in the middle of a translated block,
 * external interrupts injected at budget boundaries, recursion chained inside a region, and flags
 * carried across an edge into a fault. Each must give the architecturally expected
 * result on both engines, and the same state on both.
 */
class GuestProgramsTest {
    private static final long CODE = 0x10000, DATA = 0x20000;

    private static TestMachine machine(Cpu.Engine engine, String source) {
        TestMachine m = new TestMachine(engine).withDescriptorTables();
        m.load(CODE, Asm.assemble(source));
        return m;
    }

    /** A loop that patches the immediate of its own MOV on every pass: the sum is 0 + 1 + ... + 99. */
    @Test
    void selfModifyingLoop_sumsPatchedImmediates_onBothEngines() {
        assumeTrue(Asm.available(), "needs GNU as");
        String src = """
                mov ecx, 100
                xor eax, eax
                again:
                mov ebx, 0
                add eax, ebx
                inc dword ptr [rip + again + 1]
                dec ecx
                jnz again
                hlt
                """;
        JitEngine jit = new JitEngine(2);
        TestMachine a = machine(new Interpreter(), src);
        TestMachine b = machine(jit, src);
        for (TestMachine m : List.of(a, b)) {
            assertEquals(VmExit.Reason.HLT, m.run(100_000).reason());
            assertEquals(4950, m.cpu.gpr[0], "eax: the sum of the patched immediates");
        }
        assertEquals(a.cpu.retiredInstructions(), b.cpu.retiredInstructions());
        assertTrue(jit.invalidations > 0, "the store must have invalidated a translation");
        assertTrue(jit.blocksRun > 0, "the loop must have run translated");
    }

    /**
     * A translated loop loads through RSI, 512 bytes further each pass; the 9th pass reaches a
     * not-present page. The #PF must name the load (pushed RIP, CR2) with every register as the
     * instruction before it left it. (A loop's access leaves its region when no page cache holds the
     * page; the interpreter then raises the fault.)
     */
    @Test
    void faultInsideTranslatedBlock_isPrecise_onBothEngines() {
        assumeTrue(Asm.available(), "needs GNU as");
        String src = """
                mov esi, 0x21000
                xor edx, edx
                again:
                add rdx, 3
                lea rdi, [rdx + rdx]
                mov rax, [rsi]
                add rsi, 512
                imul rdi, rdi, 5
                jmp again
                """;
        long[][] results = new long[2][];
        long[] cr2 = new long[2];
        long[] pushedRip = new long[2];
        int i = 0;
        JitEngine jit = new JitEngine(2);
        for (Cpu.Engine engine : new Cpu.Engine[] {new Interpreter(), jit}) {
            TestMachine m = machine(engine, src);
            m.setPte(0x22000, 0); // not present: the 9th load (0x21000 + 8 * 512) faults
            VmExit e = m.run(100_000);
            assertEquals(VmExit.Reason.HLT, e.reason(), "stops at the #PF handler's HLT");
            assertEquals(TestMachine.HANDLERS + 16 * 14, m.cpu.rip, "at the #PF handler's HLT");
            results[i] = m.cpu.gpr.clone();
            cr2[i] = m.cpu.cr2;
            pushedRip[i] = m.read64(m.cpu.gpr[4] + 8); // above the error code
            assertEquals(0x22000, m.cpu.cr2);
            assertEquals(0x22000, m.cpu.gpr[6], "RSI: not yet advanced");
            assertEquals(27, m.cpu.gpr[2], "RDX: incremented 9 times");
            assertEquals(54, m.cpu.gpr[7], "RDI: the LEA before the load ran, the IMUL after it did not");
            i++;
        }
        assertArrayEquals(results[0], results[1]);
        assertEquals(pushedRip[0], pushedRip[1]);
        assertEquals(CODE + 15, pushedRip[0], "the pushed RIP is the faulting MOV's (after 5 + 2 + 4 + 4 bytes)");
        assertTrue(jit.blocksRun > 0);
        assertTrue(jit.pageMisses > 0, "the loop's load left the region on a page-cache miss (the fault among them)");
    }

    /**
     * Recursive fib(20): CALL, RET, PUSH and POP across traces of one region. Both engines must agree,
     * and the JIT must run it chained inside its region: the engine enters translations far less
     * often than once per hundred instructions (it would enter one every six without chaining).
     */
    @Test
    void recursiveCalls_runChainedInsideTheirRegion_onBothEngines() {
        assumeTrue(Asm.available(), "needs GNU as");
        String src = """
                mov edi, 20
                call fib
                hlt
                fib:
                cmp rdi, 2
                jb 1f
                push rbx
                push rbp
                mov rbx, rdi
                lea rdi, [rdi - 1]
                call fib
                mov rbp, rax
                lea rdi, [rbx - 2]
                call fib
                add rax, rbp
                pop rbp
                pop rbx
                ret
                1:
                mov rax, rdi
                ret
                """;
        JitEngine jit = new JitEngine(2);
        TestMachine a = machine(new Interpreter(), src);
        TestMachine b = machine(jit, src);
        for (TestMachine m : List.of(a, b)) {
            assertEquals(VmExit.Reason.HLT, m.run(10_000_000).reason());
            assertEquals(6765, m.cpu.gpr[0], "rax: fib(20)");
        }
        assertArrayEquals(a.cpu.gpr, b.cpu.gpr);
        assertEquals(a.cpu.rflags, b.cpu.rflags);
        long retired = b.cpu.retiredInstructions();
        assertEquals(a.cpu.retiredInstructions(), retired);
        assertTrue(jit.blocksRun > 0 && jit.blocksRun * 100 < retired,
                () -> jit.blocksRun + " translation entries for " + retired + " instructions");
    }

    /**
     * A CMP's flags cross an edge as its operands (CC_OP) into a trace whose first instruction
     * faults: the #PF frame must hold the RFLAGS of that CMP, on both engines.
     */
    @Test
    void flagsCarriedAcrossAnEdge_areExactInAFault_onBothEngines() {
        assumeTrue(Asm.available(), "needs GNU as");
        String src = """
                mov esi, 0x21000
                xor ecx, ecx
                again:
                add rsi, 512
                cmp rcx, 7
                jmp next
                next:
                mov rax, [rsi]
                inc rcx
                jmp again
                """;
        assertCmp77FlagsInPageFault(src, 7);
    }

    /**
     * Runs {@code src} on both engines with page 0x22000 not present; its 8th load faults there, after
     * CMP 7, 7 and with RCX = {@code rcx}. The #PF frame must hold that CMP's flags on both.
     */
    private static void assertCmp77FlagsInPageFault(String src, long rcx) {
        long[] pushedFlags = new long[2];
        int i = 0;
        JitEngine jit = new JitEngine(2);
        for (Cpu.Engine engine : new Cpu.Engine[] {new Interpreter(), jit}) {
            TestMachine m = machine(engine, src);
            m.setPte(0x22000, 0); // not present
            assertEquals(VmExit.Reason.HLT, m.run(100_000).reason(), "stops at the #PF handler's HLT");
            assertEquals(0x22000, m.cpu.cr2);
            assertEquals(rcx, m.cpu.gpr[1], "rcx");
            pushedFlags[i++] = m.read64(m.cpu.gpr[4] + 24); // error code, RIP, CS, RFLAGS
        }
        assertEquals(pushedFlags[0], pushedFlags[1]);
        long arith = org.pvhconf.x86.isa.RFlags.ARITH;
        assertEquals(org.pvhconf.x86.isa.RFlags.ZF | org.pvhconf.x86.isa.RFlags.PF, pushedFlags[1] & arith,
                "CMP 7, 7: ZF and PF");
        assertTrue(jit.blocksRun > 0);
    }

    /**
     * A carried CMP names RCX as its operand when RCX still holds it at the edge (nothing is stored;
     * the head copies it) and carries the value otherwise. RCX then changes, in the head before its
     * load faults or in the trace before the edge: the pushed RFLAGS must still be CMP 7, 7's.
     */
    @Test
    void flagsCarriedByRegister_surviveTheRegisterChanging_onBothEngines() {
        assumeTrue(Asm.available(), "needs GNU as");
        String inHead = """
                mov esi, 0x21000
                xor ecx, ecx
                again:
                add rsi, 512
                cmp rcx, 7
                jmp next
                next:
                lea rcx, [rcx + 1]
                mov rax, [rsi]
                jmp again
                """;
        String beforeEdge = """
                mov esi, 0x21000
                xor ecx, ecx
                again:
                add rsi, 512
                cmp rcx, 7
                lea rcx, [rcx + 1]
                jmp next
                next:
                mov rax, [rsi]
                jmp again
                """;
        assertCmp77FlagsInPageFault(inHead, 8);
        assertCmp77FlagsInPageFault(beforeEdge, 8);
    }

    /**
     * Interrupts injected after budgets of 1, 8, 15, ... instructions: the handler logs the RIP it
     * interrupted. Both engines must log the same RIPs, which must be the instructions at exactly
     * those retirement counts.
     */
    @Test
    void interruptsAtBudgetBoundaries_interruptTheSameInstructions_onBothEngines() {
        assumeTrue(Asm.available(), "needs GNU as");
        String src = """
                mov ecx, 3000
                xor eax, eax
                again:
                add rax, rcx
                xor rax, 0x55
                dec ecx
                jnz again
                hlt
                .org 0x100
                handler:
                push rax
                push rbx
                mov rbx, [0x20000]
                mov rax, [rsp + 16]
                mov [0x20008 + rbx * 8], rax
                inc rbx
                mov [0x20000], rbx
                pop rbx
                pop rax
                iretq
                """;
        List<List<Long>> logs = new ArrayList<>();
        long[] rax = new long[2];
        int i = 0;
        for (Cpu.Engine engine : new Cpu.Engine[] {new Interpreter(), new JitEngine(2)}) {
            TestMachine m = machine(engine, src);
            m.setGate(0x40, CODE + 0x100, 0xE, 0, 0);
            List<Long> rips = new ArrayList<>();
            List<Long> log = new ArrayList<>();
            long budget = 1;
            for (;;) {
                VmExit e = m.run(budget);
                if (e.reason() != VmExit.Reason.BUDGET) {
                    assertEquals(VmExit.Reason.HLT, e.reason());
                    break;
                }
                if (m.cpu.interruptWindowOpen()) {
                    rips.add(m.cpu.rip);
                    m.cpu.injectExternalInterrupt(0x40);
                }
                budget += 7;
            }
            long n = m.read64(DATA);
            for (int k = 0; k < n; k++) {
                log.add(m.read64(DATA + 8 + 8L * k));
            }
            assertEquals(rips, log, "the handler saw the RIPs at which the hypervisor injected");
            assertTrue(n > 20, "interrupted " + n + " times");
            logs.add(log);
            rax[i++] = m.cpu.gpr[0];
        }
        assertEquals(logs.get(0), logs.get(1));
        assertEquals(rax[0], rax[1]);
    }
}
