package org.pvhconf.x86.sem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.testing.Asm;
import org.pvhconf.x86.testing.TestMachine;

/** Exception and interrupt delivery through 64-bit IDT gates, escalation, IRET, injection and windows. */
class DeliveryTest {
    private static final long CODE = 0x10000, USER_CODE = 0x30000;
    private TestMachine m;

    @BeforeEach
    void setUp() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m = new TestMachine().withDescriptorTables();
    }

    private long stack(int slot) {
        return m.read64(m.cpu.gpr[4] + 8L * slot);
    }

    private VmExit run(String code) {
        m.load(CODE, Asm.assemble(code));
        return m.run(1000);
    }

    @Test
    void ud_sameLevel_pushesAlignedFrame() {
        m.cpu.gpr[4] = 0x7FFF8; // not 16-byte aligned: the frame is aligned first
        assertEquals(VmExit.Reason.HLT, run("nop\n ud2").reason());
        assertEquals(TestMachine.HANDLERS + 16 * 6, m.cpu.rip);
        assertEquals(0x7FFF0 - 40, m.cpu.gpr[4]);
        assertEquals(CODE + 1, stack(0), "RIP of UD2");
        assertEquals(TestMachine.KERNEL_CS, stack(1));
        assertEquals(0x202, stack(2));
        assertEquals(0x7FFF8, stack(3));
        assertEquals(TestMachine.KERNEL_DS, stack(4));
        assertEquals(0, m.cpu.rflags & 0x200, "an interrupt gate clears IF");
    }

    @Test
    void trapGate_keepsIf() {
        m.setGate(6, TestMachine.HANDLERS + 16 * 6, 0xF, 0, 0);
        run("ud2");
        assertEquals(0x200, m.cpu.rflags & 0x200);
    }

    @Test
    void intFromUser_switchesToRsp0() {
        m.write64(TestMachine.TSS + 4, 0x70000);
        m.setPte(USER_CODE, USER_CODE | 0x67);
        m.write(USER_CODE, Asm.assemble("int 0x80"));
        m.enterUser(USER_CODE, 0x12345);
        assertEquals(VmExit.Reason.HLT, m.run(10).reason());
        assertEquals(0, m.cpu.cpl());
        assertEquals(0x70000 - 40, m.cpu.gpr[4]);
        assertEquals(USER_CODE + 2, stack(0), "INT n pushes the next RIP");
        assertEquals(TestMachine.USER_CS, stack(1));
        assertEquals(0x12345, stack(3));
        assertEquals(TestMachine.USER_DS, stack(4));
        assertEquals(0, m.cpu.segment(SegReg.SS).selector, "SS is null with RPL 0");
    }

    @Test
    void intFromUser_throughDpl0Gate_isGpWithIdtErrorCode() {
        m.write64(TestMachine.TSS + 4, 0x70000);
        m.setPte(USER_CODE, USER_CODE | 0x67);
        m.write(USER_CODE, Asm.assemble("int 0x81"));
        m.enterUser(USER_CODE, 0x12345);
        m.run(10);
        assertEquals(TestMachine.HANDLERS + 16 * 13, m.cpu.rip);
        assertEquals(0x81 * 8 + 2, stack(0));
        assertEquals(USER_CODE, stack(1), "#GP reports the INT instruction");
    }

    @Test
    void ist_overridesTheStack() {
        m.write64(TestMachine.TSS + 0x24 + 8, 0x60008); // IST2
        m.setGate(3, TestMachine.HANDLERS + 16 * 3, 0xE, 3, 2);
        run("int3");
        assertEquals(0x60000 - 40, m.cpu.gpr[4]);
        assertEquals(CODE + 1, stack(0));
    }

    @Test
    void notPresentGate_deliversNp_thenNotPresentNp_isDoubleFault() {
        m.setGate(6, TestMachine.HANDLERS + 16 * 6, 0xE, 0, 0);
        m.write64(TestMachine.IDT + 16 * 6, m.read64(TestMachine.IDT + 16 * 6) & ~(1L << 47));
        run("ud2");
        assertEquals(TestMachine.HANDLERS + 16 * 11, m.cpu.rip, "#UD is benign: #NP is delivered serially");
        assertEquals(6 * 8 + 2 + 1, stack(0), "IDT bit and EXT bit");

        m.write64(TestMachine.IDT + 16 * 11, m.read64(TestMachine.IDT + 16 * 11) & ~(1L << 47));
        m.cpu.gpr[4] = 0x80000;
        run("ud2");
        assertEquals(TestMachine.HANDLERS + 16 * 8, m.cpu.rip, "#NP while delivering #NP is #DF");
        assertEquals(0, stack(0));
    }

    @Test
    void faultWhileDeliveringDoubleFault_isTripleFault() {
        m.cpu.idtrLimit = 16 * 8 - 1; // #DF (8) is beyond the limit, as is #GP (13)
        assertEquals(VmExit.Reason.TRIPLE_FAULT, run("mov ax, 0x40\n mov ds, ax").reason());
    }

    @Test
    void segmentLoad_beyondGdtLimit_isGpWithSelector() {
        run("mov ax, 0x40\n mov ds, ax");
        assertEquals(TestMachine.HANDLERS + 16 * 13, m.cpu.rip);
        assertEquals(0x40, stack(0));
    }

    @Test
    void segmentLoad_userDataAtCpl0_isFine_stackSegmentNeedsMatchingDpl() {
        run("mov ax, 0x23\n mov ds, ax\n mov ss, ax");
        assertEquals(0x23, m.cpu.segment(SegReg.DS).selector);
        assertEquals(TestMachine.HANDLERS + 16 * 13, m.cpu.rip);
        assertEquals(0x20, stack(0));
    }

    @Test
    void iretq_returnsFromHandler() {
        m.write(TestMachine.HANDLERS + 16 * 3, Asm.assemble("iretq"));
        assertEquals(VmExit.Reason.HLT, run("int3\n mov eax, 1\n hlt").reason());
        assertEquals(1, m.cpu.gpr[0]);
        assertEquals(0x80000, m.cpu.gpr[4]);
        assertEquals(0x202, m.cpu.rflags);
    }

    @Test
    void iretq_toUser_dropsPrivilege_thenHltIsGp() {
        m.write64(TestMachine.TSS + 4, 0x70000);
        m.setPte(USER_CODE, USER_CODE | 0x67);
        m.write(USER_CODE, Asm.assemble("hlt"));
        VmExit e = run("push 0x23\n push 0x4000\n push 0x202\n push 0x1b\n push " + USER_CODE + "\n iretq");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(TestMachine.HANDLERS + 16 * 13, m.cpu.rip, "HLT at CPL 3 is #GP(0)");
        assertEquals(0, stack(0));
        assertEquals(USER_CODE, stack(1));
        assertEquals(TestMachine.USER_CS, stack(2));
        assertEquals(0x4000, stack(4), "the user RSP that IRETQ loaded");
        assertEquals(TestMachine.USER_DS, stack(5));
    }

    @Test
    void injectedInterrupt_deliveredAtRunStart() {
        m.load(CODE, Asm.assemble("hlt"));
        m.cpu.injectExternalInterrupt(0x40);
        assertEquals(VmExit.Reason.HLT, m.run(10).reason());
        assertEquals(TestMachine.HANDLERS + 16 * 0x40, m.cpu.rip);
        assertEquals(CODE, stack(0));
        assertTrue(!m.cpu.hasPendingInjection());
    }

    @Test
    void interruptWindow_opensAfterTheStiShadow() {
        m.cpu.rflags = 0x2;
        m.cpu.setInterruptWindowExiting(true);
        VmExit e = run("sti\n nop\n hlt");
        assertEquals(VmExit.Reason.INTERRUPT_WINDOW, e.reason());
        assertEquals(CODE + 2, m.cpu.rip, "STI and the NOP in its shadow retired");
        assertEquals(2, m.cpu.retiredInstructions());
    }

    @Test
    void divideByZero_deliversDe() {
        run("xor ecx, ecx\n div ecx");
        assertEquals(TestMachine.HANDLERS, m.cpu.rip);
        assertEquals(CODE + 2, stack(0));
    }

    // ---- #DB, #AC, far transfers, XSETBV, CMPXCHG16B ----

    private long handler(int vector) {
        return TestMachine.HANDLERS + 16L * vector;
    }

    @Test
    void singleStep_trapsAfterTheInstruction_withDr6Bs() {
        m.cpu.rflags |= 0x100; // TF
        assertEquals(VmExit.Reason.HLT, run("nop\n nop\n hlt").reason());
        assertEquals(handler(1), m.cpu.rip);
        assertEquals(CODE + 1, stack(0), "a trap: the next RIP is pushed");
        assertEquals(0x100, stack(2) & 0x100, "the pushed RFLAGS has TF");
        assertEquals(0, m.cpu.rflags & 0x100, "delivery clears TF");
        assertEquals(1 << 14, m.cpu.dr[6] & (1 << 14), "DR6.BS");
    }

    @Test
    void alignmentCheck_atCpl3_isAcWithErrorCode0() {
        m.write64(TestMachine.TSS + 4, 0x70000);
        m.setPte(USER_CODE, USER_CODE | 0x67);
        m.setPte(0x31000, 0x31000 | 0x67);
        m.write(USER_CODE, Asm.assemble("mov eax, [0x31000]\n mov eax, [0x31002]"));
        m.enterUser(USER_CODE, 0x31800);
        m.cpu.cr0 |= 1 << 18;
        m.cpu.rflags |= 1 << 18;
        assertEquals(VmExit.Reason.HLT, m.run(10).reason());
        assertEquals(handler(17), m.cpu.rip);
        assertEquals(0, stack(0), "error code");
        assertEquals(USER_CODE + 7, stack(1), "the faulting (second) load");
    }

    @Test
    void farCall_andRetf_throughAMemoryPointer() {
        VmExit e = run(String.join("\n", "begin: mov rbx, rsp", "call fword ptr [rip + ptr]", "hlt",
                "target: mov eax, 7", "retf", "ptr: .long " + CODE + " + target - begin", ".word " + TestMachine.KERNEL_CS));
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(7, m.cpu.gpr[0]);
        assertEquals(m.cpu.gpr[3], m.cpu.gpr[4], "RETF popped what CALL far pushed");
        assertEquals(TestMachine.KERNEL_CS, m.cpu.segment(SegReg.CS).selector);
    }

    @Test
    void farJump_toADataSegment_isGpWithSelector_toNull_isGp0() {
        run(String.join("\n", "jmp fword ptr [rip + ptr]", "ptr: .long 0", ".word " + TestMachine.KERNEL_DS));
        assertEquals(handler(13), m.cpu.rip);
        assertEquals(TestMachine.KERNEL_DS, stack(0));
        m = new TestMachine().withDescriptorTables();
        run(String.join("\n", "jmp fword ptr [rip + ptr]", "ptr: .long 0", ".word 0"));
        assertEquals(handler(13), m.cpu.rip);
        assertEquals(0, stack(0));
    }

    @Test
    void xsetbv_setsXcr0_rejectsMissingX87() {
        m.cpu.cr4 |= 1 << 18;
        run("xor ecx, ecx\n xor edx, edx\n mov eax, 3\n xsetbv\n xor eax, eax\n xgetbv\n hlt");
        assertEquals(3, m.cpu.gpr[0]);
        assertEquals(3, m.cpu.xcr0);
        m = new TestMachine().withDescriptorTables();
        m.cpu.cr4 |= 1 << 18;
        run("xor ecx, ecx\n xor edx, edx\n mov eax, 2\n xsetbv");
        assertEquals(handler(13), m.cpu.rip);
        assertEquals(1, m.cpu.xcr0);
    }

    @Test
    void xsetbv_withoutOsxsave_isUd() {
        run("xsetbv");
        assertEquals(handler(6), m.cpu.rip);
    }

    @Test
    void cmpxchg16b_misaligned_isGp0_aligned_swaps() {
        m.write64(0x50000, 5);
        m.write64(0x50008, 6);
        run(String.join("\n", "mov eax, 5", "mov edx, 6", "mov ebx, 7", "mov ecx, 8",
                "lock cmpxchg16b [0x50000]", "setz sil", "cmpxchg16b [0x50008]"));
        assertEquals(7, m.read64(0x50000));
        assertEquals(8, m.read64(0x50008));
        assertEquals(1, m.cpu.gpr[6] & 0xFF, "ZF after a match");
        assertEquals(handler(13), m.cpu.rip);
        assertEquals(0, stack(0));
    }

    @Test
    void int3_isBpTrap_withTheNextRip() {
        run("nop\n int3");
        assertEquals(handler(3), m.cpu.rip);
        assertEquals(CODE + 2, stack(0));
    }

    @Test
    void nonCanonicalStack_isSs0() {
        m.setGate(12, handler(12), 0xE, 0, 1); // the handler needs a good stack: IST1
        m.write64(TestMachine.TSS + 0x24, 0x7E000);
        run("mov rsp, 0x0000800000000008\n push rax");
        assertEquals(handler(12), m.cpu.rip);
        assertEquals(0, stack(0), "#SS(0)");
        assertEquals(CODE + 10, stack(1), "the PUSH faulted");
        assertEquals(0x0000800000000008L, stack(4), "the old RSP is in the frame: PUSH changed nothing");
    }

    @Test
    void istBeyondTheTssLimit_isTsWithTheTrSelector() {
        m.setGate(0x80, handler(0x80), 0xE, 0, 1);
        m.cpu.segment(SegReg.TR).set(TestMachine.TSS_SEL, TestMachine.TSS, 0x23, 0x8B); // IST1 at 0x24 is outside
        m.cpu.gpr[4] = 0x7F000;
        run("int 0x80");
        assertEquals(handler(10), m.cpu.rip);
        assertEquals(TestMachine.TSS_SEL, stack(0), "#TS(TR selector), EXT clear for INT n");
        assertEquals(CODE, stack(1), "#TS is a fault on the INT instruction");
    }
}
