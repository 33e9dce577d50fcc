package org.pvhconf.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.testing.Asm;
import org.pvhconf.x86.testing.TestMachine;

/**
 * Guest programs in 32-bit code segments: legacy protected mode with paging off, with 32-bit
 * paging (4 KiB and 4 MiB pages) and with PAE paging; exceptions through 32-bit IDT gates with and
 * without a TSS stack switch; compatibility mode; and the PVHv2 entry transition to long mode
 * (CR4.PAE, CR3, EFER.LME, CR0.PG, far jump).
 */
class ProtectedModeTest {
    private static final long CODE = 0x10000;
    private TestMachine m;

    @BeforeEach
    void setUp() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m = new TestMachine().withProtectedMode32();
        m.cpu.gpr[4] = 0x80000;
    }

    private VmExit run32(String... lines) {
        m.load(CODE, Asm.assemble(".code32\nbegin:\n" + String.join("\n", lines)));
        return m.run(10_000);
    }

    /** The absolute address of a label in the program. */
    private static String at(String label) {
        return CODE + " + " + label + " - begin";
    }

    private long dword(long gpa) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) m.read8(gpa + i) << (8 * i);
        }
        return v;
    }

    @Test
    void integerCode_stackAndNearBranches_in32BitMode() {
        VmExit e = run32(
                "mov eax, 0xFFFFFFFF", "inc eax", // 40: INC EAX outside 64-bit mode
                "mov ecx, 5", "xor ebx, ebx",
                "1: add ebx, ecx", "dec ecx", "jnz 1b",
                "push 0x1234", "pop edx",
                "call f", "mov esi, [" + at("data") + "]", "hlt",
                "f: mov edi, esp", "ret",
                "data: .long 0xCAFEBABE");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertFalse(m.cpu.is64BitMode());
        assertEquals(0, m.cpu.gpr[0], "INC wrapped EAX to 0");
        assertEquals(15, m.cpu.gpr[3]);
        assertEquals(0x1234, m.cpu.gpr[2]);
        assertEquals(0x80000 - 4, m.cpu.gpr[7], "CALL pushed a 4-byte return address");
        assertEquals(0x80000, m.cpu.gpr[4]);
        assertEquals(0xCAFEBABEL, m.cpu.gpr[6], "disp32 without a base is absolute, not RIP-relative");
    }

    @Test
    void segmentLimit_isGp_nullDataSegment_isGp() {
        m.cpu.segment(SegReg.DS).set(TestMachine.DATA32, 0, 0xFFFF, 0x4093);
        run32("mov eax, [0xFFFE]");
        assertEquals(TestMachine.HANDLERS + 16 * 13, m.cpu.rip, "a dword at 0xFFFE crosses the limit");
        assertEquals(0, dword(m.cpu.gpr[4]), "#GP(0)");
    }

    @Test
    void ud_throughA32BitGate_pushesEflagsCsEip() {
        VmExit e = run32("nop", "ud2");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(TestMachine.HANDLERS + 16 * 6, m.cpu.rip);
        assertEquals(0x80000 - 12, m.cpu.gpr[4], "three dwords, no alignment");
        assertEquals(CODE + 1, dword(m.cpu.gpr[4]));
        assertEquals(TestMachine.CODE32, dword(m.cpu.gpr[4] + 4));
        assertEquals(0x202, dword(m.cpu.gpr[4] + 8) & 0x2FF);
        assertEquals(0, m.cpu.rflags & 0x200, "an interrupt gate clears IF");
    }

    @Test
    void intFromCpl3_switchesToTheTss32Stack_andIretReturns() {
        m.write(TestMachine.TSS + 4, new byte[] {0, 0, 7, 0}); // ESP0 = 0x70000
        long user = 0x30000;
        m.write(user, Asm.assemble(".code32\n int 0x80\n mov ebx, 0x55\n int 3"));
        m.write(TestMachine.HANDLERS + 16 * 0x80, Asm.assemble(".code32\n mov eax, 0x77\n iretd"));
        m.cpu.segment(SegReg.CS).set(TestMachine.USER_CODE32, 0, 0xFFFFFFFF, 0xC0FB);
        m.cpu.segment(SegReg.SS).set(TestMachine.USER_DATA32, 0, 0xFFFFFFFF, 0xC0F3);
        m.cpu.rip = user;
        m.cpu.gpr[4] = 0x31000;
        VmExit e = m.run(100);
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(TestMachine.HANDLERS + 16 * 3, m.cpu.rip, "back in user mode, then INT3 to its handler");
        assertEquals(0x77, m.cpu.gpr[0], "the INT 0x80 handler ran");
        assertEquals(0x55, m.cpu.gpr[3], "IRET returned to CPL 3");
        long sp = m.cpu.gpr[4];
        assertEquals(0x70000 - 20, sp, "the INT3 frame is on ESP0: EIP CS EFLAGS ESP SS");
        assertEquals(user + 2 + 5 + 1, dword(sp), "INT3 pushes the next EIP");
        assertEquals(TestMachine.USER_CODE32, dword(sp + 4));
        assertEquals(0x31000, dword(sp + 12), "the user ESP");
        assertEquals(TestMachine.USER_DATA32, dword(sp + 16));
        assertEquals(TestMachine.DATA32, m.cpu.segment(SegReg.SS).selector, "SS0 from the TSS");
    }

    @Test
    void pageFault_32bitPaging_4MiBPage_andErrorCodeThroughTheGate() {
        long pd = 0x200000;
        m.write64(pd, 0x00000087L); // 0..4 MiB: 4 MiB page, identity (the code, stacks, tables)
        m.write64(pd + 4 * 2, 0x00C00087L); // 8..12 MiB -> 12 MiB
        m.write64(0xC00010, 0x5151);
        VmExit e = run32(
                "mov eax, cr4", "or eax, 0x10", "mov cr4, eax", // PSE
                "mov eax, " + pd, "mov cr3, eax",
                "mov eax, cr0", "or eax, 0x80000000", "mov cr0, eax",
                "mov ebx, [0x800010]", "mov ecx, [0x400000]");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(0x5151, m.cpu.gpr[3], "through the 4 MiB page");
        assertEquals(TestMachine.HANDLERS + 16 * 14, m.cpu.rip, "4..8 MiB is not present");
        assertEquals(0x400000, m.cpu.cr2);
        assertEquals(0, dword(m.cpu.gpr[4]), "#PF error code: not present, read, supervisor");
    }

    @Test
    void paePaging_in32BitMode_readsThrough2MiBAnd4KiBPages() {
        long pdpt = 0x200000, pd = 0x201000, pt = 0x202000;
        m.write64(pdpt, pd | 1);
        m.write64(pd, pt | 0x3);
        for (int i = 0; i < 512; i++) {
            m.write64(pt + 8L * i, (long) i << 12 | 0x3); // 0..2 MiB identity, 4 KiB pages
        }
        m.write64(pd + 8 * 3, 0x800000L | 0x83); // 6..8 MiB -> 8 MiB, a 2 MiB page
        m.write64(0x800020, 0x6262);
        VmExit e = run32(
                "mov eax, cr4", "or eax, 0x20", "mov cr4, eax",
                "mov eax, " + pdpt, "mov cr3, eax",
                "mov eax, cr0", "or eax, 0x80000000", "mov cr0, eax",
                "mov ebx, [0x600020]", "hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(0x6262, m.cpu.gpr[3]);
        assertEquals(0, m.cpu.efer & 0x400, "PAE without LME is not long mode");
    }

    @Test
    void pvhEntry_toLongMode_throughCompatibilityMode() {
        // TestMachine's 4-level identity map is at L4; the guest switches on its own.
        m.write64(TestMachine.L2, TestMachine.L1 | 0x67);
        VmExit e = run32(
                "lgdt [" + at("gdtr") + "]",
                "mov eax, cr4", "or eax, 0x20", "mov cr4, eax",
                "mov eax, " + TestMachine.L4, "mov cr3, eax",
                "mov ecx, 0xC0000080", "rdmsr", "or eax, 0x100", "wrmsr",
                "mov eax, cr0", "or eax, 0x80000000", "mov cr0, eax",
                "mov esi, 1", // compatibility mode: still 32-bit code
                ".byte 0xEA", ".long " + at("long64"), ".word 0x08",
                ".code64",
                "long64: mov rax, 0x123456789",
                "hlt",
                ".balign 8",
                "gdt: .quad 0, 0x00AF9B000000FFFF, 0x00CF93000000FFFF",
                "gdtr: .word 23", ".long " + at("gdt"));
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertTrue(m.cpu.is64BitMode());
        assertEquals(0x123456789L, m.cpu.gpr[0]);
        assertEquals(1, m.cpu.gpr[6]);
        assertEquals(0x500, m.cpu.efer & 0x500, "LME and LMA");
        assertEquals(0x08, m.cpu.segment(SegReg.CS).selector);
    }

    @Test
    void compatibilityMode_exceptionGoesThroughThe64BitIdt() {
        m = new TestMachine().withDescriptorTables();
        m.write64(TestMachine.GDT + 0x38, 0x00CF9B000000FFFFL); // a 32-bit code segment in the long-mode GDT
        m.cpu.gdtrLimit = 0x3F;
        m.cpu.segment(SegReg.CS).set(0x38, 0, 0xFFFFFFFF, 0xC09B);
        m.load(CODE, Asm.assemble(".code32\n mov eax, 0xFFFFFFFF\n inc eax\n ud2"));
        assertFalse(m.cpu.is64BitMode());
        assertEquals(VmExit.Reason.HLT, m.run(100).reason());
        assertEquals(0, m.cpu.gpr[0]);
        assertEquals(TestMachine.HANDLERS + 16 * 6, m.cpu.rip);
        assertTrue(m.cpu.is64BitMode(), "the 64-bit handler runs in 64-bit mode");
        assertEquals(CODE + 6, m.read64(m.cpu.gpr[4]), "a 64-bit frame with the 32-bit EIP");
        assertEquals(0x38, m.read64(m.cpu.gpr[4] + 8));
    }

    // ---- instructions that exist only outside 64-bit mode ----

    @Test
    void pushadPopad_roundTrip_skipsEsp() {
        VmExit e = run32("mov eax, 1", "mov ecx, 2", "mov edx, 3", "mov ebx, 4", "mov ebp, 6", "mov esi, 7", "mov edi, 8",
                "pushad", "mov ebx, [esp + 12]", "mov [0x60000], ebx", "mov [esp + 12], eax", "mov eax, [esp + 28]",
                "xor ecx, ecx", "xor edi, edi", "popad", "hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(1, m.cpu.gpr[0]);
        assertEquals(2, m.cpu.gpr[1]);
        assertEquals(8, m.cpu.gpr[7]);
        assertEquals(4, m.cpu.gpr[3], "POPAD restored EBX");
        assertEquals(0x80000, dword(0x60000), "PUSHAD saved the original ESP");
        assertEquals(0x80000, m.cpu.gpr[4], "the saved ESP is skipped; ESP is back");
    }

    @Test
    void bcdAdjustments_matchTheSdmExamples() {
        VmExit e = run32(
                "mov al, 0x79", "add al, 0x35", "daa", "mov bl, al", "setc bh",
                "mov al, 0x35", "sub al, 0x47", "das", "mov cl, al", "setc ch",
                "mov ax, 0x0008", "add al, 9", "aaa", "mov dx, ax",
                "mov ax, 63", "aam", "mov si, ax",
                "mov ax, 0x0603", "aad", "mov di, ax", "hlt");
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(0x0114, m.cpu.gpr[3] & 0xFFFF, "DAA: 79 + 35 = 114, CF");
        assertEquals(0x0188, m.cpu.gpr[1] & 0xFFFF, "DAS: 35 - 47 = 88 borrow 1");
        assertEquals(0x0107, m.cpu.gpr[2] & 0xFFFF, "AAA: 8 + 9 = 17 unpacked");
        assertEquals(0x0603, m.cpu.gpr[6] & 0xFFFF, "AAM: 63 = 6, 3");
        assertEquals(63, m.cpu.gpr[7] & 0xFFFF, "AAD: 6, 3 = 63");
    }

    @Test
    void aamZero_isDe_bound_isBr_into_isOf() {
        run32("mov ax, 5", ".byte 0xD4, 0");
        assertEquals(TestMachine.HANDLERS, m.cpu.rip, "#DE");
        m = new TestMachine().withProtectedMode32();
        m.cpu.gpr[4] = 0x80000;
        run32("mov eax, 11", "bound eax, [" + at("bounds") + "]", "mov eax, 10", "bound eax, [" + at("bounds") + "]", "hlt",
                "bounds: .long 0, 10");
        assertEquals(TestMachine.HANDLERS + 16 * 5, m.cpu.rip, "#BR for 11 outside 0..10");
        assertEquals(CODE + 5, dword(m.cpu.gpr[4]), "#BR is a fault: the BOUND itself");
        m = new TestMachine().withProtectedMode32();
        m.cpu.gpr[4] = 0x80000;
        m.setGate32(4, TestMachine.HANDLERS + 16 * 4, 0xE, 3);
        run32("mov al, 0x7F", "into", "add al, 1", "into");
        assertEquals(TestMachine.HANDLERS + 16 * 4, m.cpu.rip, "#OF after the overflow");
        assertEquals(CODE + 2 + 1 + 2 + 1, dword(m.cpu.gpr[4]), "INTO is a trap: the next EIP");
    }

    @Test
    void arpl_lds_andThe82Alias() {
        m.write64(0x60000, 0x12345678L | (long) TestMachine.DATA32 << 32);
        VmExit e = run32("mov ax, 0x10", "mov bx, 0x13", "arpl ax, bx", "setz cl",
                "lds edx, [0x60000]", ".byte 0x82, 0xC6, 0x05", "hlt"); // 82 /0: add dh, 5
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(0x13, m.cpu.gpr[0] & 0xFFFF);
        assertEquals(1, m.cpu.gpr[1] & 0xFF);
        assertEquals(0x12345678L + 0x500, m.cpu.gpr[2]);
        assertEquals(TestMachine.DATA32, m.cpu.segment(SegReg.DS).selector);
    }
}
