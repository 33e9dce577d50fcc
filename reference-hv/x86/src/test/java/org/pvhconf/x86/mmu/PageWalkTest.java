package org.pvhconf.x86.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.testing.Asm;
import org.pvhconf.x86.testing.TestMachine;

/** The page walk: translation, A/D bits, rights, reserved bits, #PF error codes and CR2, EPT violations. */
class PageWalkTest {
    private static final long CODE = 0x10000, DATA = 0x50000;
    private TestMachine m;

    @BeforeEach
    void setUp() {
        m = new TestMachine();
    }

    @Test
    void translate_setsAccessedOnReadAndDirtyOnWrite() {
        m.setPte(DATA, DATA | 0x3); // P RW, A and D clear
        assertEquals(DATA + 0x123, PageWalk.translate(m.cpu, DATA + 0x123, GuestPhysMemory.READ, false));
        assertEquals(0x23, m.pte(DATA) & 0x63);
        assertEquals(DATA + 8, PageWalk.translate(m.cpu, DATA + 8, GuestPhysMemory.WRITE, false));
        assertEquals(0x63, m.pte(DATA) & 0x63);
    }

    @Test
    void translate_largePages() {
        assertEquals(0x400123, PageWalk.translate(m.cpu, 0x400123, GuestPhysMemory.READ, false));
        m.write64(TestMachine.L3 + 8, 0x0 | 0xE3); // linear 1 GiB -> physical 0 as a 1 GiB page
        m.cpu.flushTlb();
        assertEquals(0x123456, PageWalk.translate(m.cpu, (1L << 30) + 0x123456, GuestPhysMemory.READ, false));
    }

    @Test
    void translate_faults_returnCodesWithoutThrowing() {
        m.setPte(DATA, 0);
        assertEquals(PageWalk.PAGE_FAULT, PageWalk.translate(m.cpu, DATA, GuestPhysMemory.READ, false));
        assertEquals(PageWalk.PAGE_FAULT, PageWalk.translate(m.cpu, 0x0000800000000000L, GuestPhysMemory.READ, false));
        m.setPte(DATA, DATA | 0x63);
        assertEquals(PageWalk.PAGE_FAULT, PageWalk.translate(m.cpu, DATA, GuestPhysMemory.READ, true), "supervisor page");
        m.unmapped.add(TestMachine.L1 >>> 12);
        assertEquals(PageWalk.P2M_FAULT, PageWalk.translate(m.cpu, DATA, GuestPhysMemory.READ, false));
    }

    @Test
    void translate_pagingOff_isIdentity() {
        m.cpu.cr0 &= ~(1L << 31);
        assertEquals(0x1234567, PageWalk.translate(m.cpu, 0x1234567, GuestPhysMemory.WRITE, true));
    }

    // ---- #PF delivered to the guest ----

    private long faultCode(String code) {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m.withDescriptorTables();
        m.load(CODE, Asm.assemble(code));
        VmExit e = m.run(1000);
        assertEquals(VmExit.Reason.HLT, e.reason());
        assertEquals(TestMachine.HANDLERS + 16 * 14, m.cpu.rip, "the #PF handler runs");
        assertEquals(CODE, m.read64(m.cpu.gpr[4] + 8), "the faulting RIP is pushed");
        return m.read64(m.cpu.gpr[4]);
    }

    @Test
    void notPresent_read_errorCode0_cr2() {
        m.setPte(DATA, 0);
        assertEquals(0, faultCode("mov rax, [0x50010]"));
        assertEquals(DATA + 0x10, m.cpu.cr2);
    }

    @Test
    void readOnly_write_withWp_errorCode3() {
        m.setPte(DATA, DATA | 0x61);
        m.cpu.cr0 |= 1 << 16;
        assertEquals(3, faultCode("mov byte ptr [0x50000], 1"));
    }

    @Test
    void readOnly_write_withoutWp_succeedsAtCpl0() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m.setPte(DATA, DATA | 0x61);
        m.load(CODE, Asm.assemble("mov byte ptr [0x50000], 1\n hlt"));
        assertEquals(VmExit.Reason.HLT, m.run(10).reason());
        assertEquals(1, m.read8(DATA));
    }

    @Test
    void reservedBit_errorCodeHasRsvd() {
        m.setPte(DATA, DATA | 0x63 | 1L << 50);
        assertEquals(9, faultCode("mov rax, [0x50000]"));
    }

    @Test
    void noExecute_fetch_errorCodeHasIdAndP() {
        m.cpu.efer |= 1 << 11;
        m.setPte(DATA, DATA | 0x63 | 1L << 63);
        m.write(DATA, new byte[] {(byte) 0xF4});
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m.withDescriptorTables();
        m.load(CODE, Asm.assemble("mov rax, 0x50000\n jmp rax"));
        assertEquals(VmExit.Reason.HLT, m.run(100).reason());
        assertEquals(0x11, m.read64(m.cpu.gpr[4]));
        assertEquals(DATA, m.read64(m.cpu.gpr[4] + 8), "#PF on fetch pushes the target");
    }

    @Test
    void xdBit_withoutNxe_isReserved() {
        m.setPte(DATA, DATA | 0x63 | 1L << 63);
        assertEquals(9, faultCode("mov rax, [0x50000]"));
    }

    @Test
    void p2mHole_exitsBeforeTheInstructionHasEffect() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m.unmapped.add(DATA >>> 12);
        m.load(CODE, Asm.assemble("mov ebx, 7\n push rbx\n add [0x50008], rbx\n hlt"));
        VmExit e = m.run(100);
        assertEquals(VmExit.Reason.EPT_VIOLATION, e.reason());
        assertEquals(DATA + 8, e.guestPhysical());
        assertEquals(GuestPhysMemory.READ, e.qualification());
        assertEquals(CODE + 6, m.cpu.rip, "RIP at the faulting ADD");
        assertEquals(0x80000 - 8, m.cpu.gpr[4]);
        assertEquals(2, m.cpu.retiredInstructions());
    }

    @Test
    void readOnlyP2m_write_exitsWithWriteAccess() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m.readOnly.add(DATA >>> 12);
        m.load(CODE, Asm.assemble("mov rax, [0x50000]\n mov [0x50000], rax\n hlt"));
        VmExit e = m.run(100);
        assertEquals(VmExit.Reason.EPT_VIOLATION, e.reason());
        assertEquals(GuestPhysMemory.WRITE, e.qualification());
        assertTrue(m.cpu.retiredInstructions() == 1);
    }

    @Test
    void invlpg_dropsStaleTranslation() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        m.write64(DATA, 1);
        m.write64(DATA + 0x1000, 2);
        // Read DATA, remap its PTE to the next frame by a guest store, read again before and after INVLPG.
        long pteAddr = TestMachine.L1 + 8 * (DATA >>> 12);
        m.load(CODE, Asm.assemble("mov rax, [0x50000]\n mov qword ptr [" + pteAddr + "], 0x51063\n"
                + "mov rbx, [0x50000]\n invlpg [0x50000]\n mov rcx, [0x50000]\n hlt"));
        assertEquals(VmExit.Reason.HLT, m.run(100).reason());
        assertEquals(1, m.cpu.gpr[0]);
        assertEquals(1, m.cpu.gpr[3], "the TLB still holds the old translation, as hardware may");
        assertEquals(2, m.cpu.gpr[1]);
    }
}
