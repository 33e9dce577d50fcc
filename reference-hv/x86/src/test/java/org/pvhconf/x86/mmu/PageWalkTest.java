package org.pvhconf.x86.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.fault.Fault;
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

    // ---- 32-bit and PAE paging (outside IA-32e mode), global pages ----

    /** Leaves IA-32e mode: protected mode with paging, CR3 = {@code cr3}, the given CR4 and EFER. */
    private void legacyPaging(long cr3, long cr4, long efer) {
        m.cpu.efer = efer;
        m.cpu.cr4 = cr4;
        m.cpu.cr3 = cr3;
        m.cpu.cr0 = 0x80000011L;
        m.cpu.flushTlb();
    }

    private void write32(long gpa, long v) {
        m.write(gpa, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    private long read32(long gpa) {
        return m.read64(gpa) & 0xFFFFFFFFL;
    }

    private int mmuFault(long linear, int access) {
        Mmu mmu = new Mmu(m.cpu);
        Fault f = assertThrows(Fault.class, () -> {
            if (access == GuestPhysMemory.WRITE) {
                mmu.write(linear, 32, 0, false);
            } else if (access == GuestPhysMemory.FETCH) {
                mmu.fetch(linear, false);
            } else {
                mmu.read(linear, 32, false);
            }
        });
        assertEquals(Fault.PF, f.vector);
        assertEquals(linear, f.address);
        return f.errorCode;
    }

    @Test
    void translate_32bitPaging_4KiBPagesAndAccessedDirty() {
        long pd = 0x300000, pt = 0x301000;
        write32(pd, pt | 0x7);
        write32(pt + 4 * 5, 0x123000 | 0x7);
        legacyPaging(pd, 0, 0);
        assertEquals(0x123abc, PageWalk.translate(m.cpu, 0x5abc, GuestPhysMemory.READ, true));
        assertEquals(0x27, read32(pd) & 0x67, "PDE accessed");
        assertEquals(0x27, read32(pt + 20) & 0x67, "PTE accessed, not dirty");
        assertEquals(0x123abc, PageWalk.translate(m.cpu, 0x5abc, GuestPhysMemory.WRITE, true));
        assertEquals(0x67, read32(pt + 20) & 0x67, "PTE dirty");
        assertEquals(0, read32(pt + 24), "the neighbouring 4-byte entry is untouched");
        assertEquals(0x123abc, PageWalk.translate(m.cpu, 0xFFFFFFFF00005abcL, GuestPhysMemory.READ, true),
                "linear addresses are 32 bits");
    }

    @Test
    void translate_32bitPaging_4MiBPagesNeedPse_pse36HighBits() {
        long pd = 0x300000;
        write32(pd + 4, 0x00C00000L | 0x87);
        write32(pd + 8, 0x00400000L | 3L << 13 | 0x87);
        legacyPaging(pd, 0x10, 0); // CR4.PSE
        assertEquals(0xC01234, PageWalk.translate(m.cpu, 0x401234, GuestPhysMemory.READ, false));
        assertEquals(0x300400010L, PageWalk.translate(m.cpu, 0x800010, GuestPhysMemory.READ, false));
        assertEquals(0xA7, read32(pd + 4) & 0xE7, "a read sets A, not D, on the 4 MiB PDE");
        legacyPaging(pd, 0, 0); // without PSE, PS is ignored: the PDE points at a page table at 0xC00000
        write32(0xC00000 + 4 * 1, 0x777000 | 0x3);
        assertEquals(0x777234, PageWalk.translate(m.cpu, 0x401234, GuestPhysMemory.READ, false));
    }

    @Test
    void fault_32bitPaging_reservedBit21Of4MiBPde_isRsvd() {
        write32(0x300000 + 4, 0x00C00000L | 1L << 21 | 0x87);
        legacyPaging(0x300000, 0x10, 0);
        assertEquals(PageWalk.PF_P | PageWalk.PF_RSVD, mmuFault(0x400000, GuestPhysMemory.READ));
    }

    @Test
    void translate_pae_4KiB2MiBPages_nx() {
        long pdpt = 0x300020; // 32-byte aligned
        long pd = 0x301000, pt = 0x302000;
        m.write64(pdpt, pd | 1);
        m.write64(pd, pt | 0x7);
        m.write64(pd + 8, 0x600000L | 0x87);
        m.write64(pt + 8 * 5, 0x123000L | 0x7 | 1L << 63);
        legacyPaging(pdpt, 0x20, 1L << 11); // CR4.PAE, EFER.NXE (no LME)
        assertEquals(0x123abc, PageWalk.translate(m.cpu, 0x5abc, GuestPhysMemory.READ, false));
        assertEquals(PageWalk.PAGE_FAULT, PageWalk.translate(m.cpu, 0x5abc, GuestPhysMemory.FETCH, false));
        assertEquals(PageWalk.PF_P | PageWalk.PF_I, mmuFault(0x5abc, GuestPhysMemory.FETCH));
        assertEquals(0x601234, PageWalk.translate(m.cpu, 0x201234, GuestPhysMemory.READ, false));
        assertEquals(0x01, m.read64(pdpt) & 0x21, "PDPTEs have no accessed bit: left alone");
    }

    @Test
    void fault_pae_notPresentPdpteAndReservedBits() {
        long pdpt = 0x300000;
        m.write64(pdpt, 0x301000L | 1 | 2); // bit 1 is reserved in a PDPTE
        m.write64(0x301000, 0x302000L | 0x7 | 1L << 63); // XD without NXE is reserved
        legacyPaging(pdpt, 0x20, 0);
        assertEquals(PageWalk.PF_P | PageWalk.PF_RSVD, mmuFault(0x1000, GuestPhysMemory.READ));
        assertEquals(PageWalk.PF_W, mmuFault(0x40000000, GuestPhysMemory.WRITE), "PDPTE 1 not present");
        m.write64(pdpt, 0x301000L | 1);
        assertEquals(PageWalk.PF_P | PageWalk.PF_RSVD, mmuFault(0x1000, GuestPhysMemory.READ));
    }

    @Test
    void cr3Load_keepsGlobalPages_invlpgDropsThem() {
        assumeTrue(Asm.available(), "GNU as/objcopy not installed");
        long data2 = DATA + 0x1000;
        m.write64(DATA, 0x1111);
        m.write64(data2, 0x2222);
        m.write64(0x60000, 0x3333);
        m.write64(0x61000, 0x4444);
        m.setPte(DATA, DATA | 0x163); // G
        m.setPte(data2, data2 | 0x63);
        m.cpu.cr4 |= 0x80; // PGE
        m.load(CODE, Asm.assemble(String.join("\n",
                "mov rax, [" + DATA + "]", "mov rax, [" + data2 + "]",
                "mov qword ptr [" + (TestMachine.L1 + 8 * (DATA >>> 12)) + "], 0x60163",
                "mov qword ptr [" + (TestMachine.L1 + 8 * (data2 >>> 12)) + "], 0x61063",
                "mov rcx, cr3", "mov cr3, rcx",
                "mov rdx, [" + DATA + "]", "mov rsi, [" + data2 + "]",
                "invlpg [" + DATA + "]", "mov rdi, [" + DATA + "]", "hlt")));
        assertEquals(VmExit.Reason.HLT, m.run(100).reason());
        assertEquals(0x1111, m.cpu.gpr[2], "the global translation survived MOV CR3");
        assertEquals(0x4444, m.cpu.gpr[6], "the non-global one did not");
        assertEquals(0x3333, m.cpu.gpr[7], "INVLPG drops a global translation");
    }
}
