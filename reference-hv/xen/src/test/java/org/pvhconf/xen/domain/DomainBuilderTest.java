package org.pvhconf.xen.domain;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.x86.mmu.PageWalk;
import org.pvhconf.xen.testutil.ScriptedEngine;
import org.pvhconf.xen.testutil.TestKernel;

/** The PVHv1 builder (§5–§7). Expected values are worked out from the spec by hand, not by the code. */
class DomainBuilderTest {
    private static final long VB = TestKernel.VIRT_BASE;

    private static Domain build(DomainConfig cfg, byte[] elf) throws BuildRefusedException {
        return new Hypervisor(HypervisorOptions.builder().engineFactory(ScriptedEngine::new).build())
                .createDomain(cfg, elf);
    }

    private static Domain build() throws BuildRefusedException {
        return build(new DomainConfig(), TestKernel.pvh().bytes());
    }

    private static String refusal(DomainConfig cfg, byte[] elf) {
        BuildRefusedException e = assertThrows(BuildRefusedException.class, () -> build(cfg, elf));
        assertTrue(e.getMessage().startsWith(e.rule() + ": "), e.getMessage());
        return e.rule() + " | " + e.getMessage();
    }

    private static String refusal(byte[] elf) {
        return refusal(new DomainConfig(), elf);
    }

    // ---- layout: 32 MiB = 8192 pages; kernel 2 pages; p2m 16; start_info 18; store 19; console 20;
    // ---- shared_info 21; page tables 22..26 (L4, L3, L2, 2 x L1 for 4 MiB); boot stack 27.

    @Test
    void build_pvhKernel_segmentsInSpecOrder() throws Exception {
        BuildInfo b = build().buildInfo();
        assertEquals(VB, b.virtBase());
        assertEquals(VB + 2 * 4096, b.mfnListVa());
        assertEquals(VB + 18 * 4096, b.startInfoVa());
        assertEquals(18L * 4096, b.startInfoGpa());
        assertEquals(19, b.storeGfn());
        assertEquals(20, b.consoleGfn());
        assertEquals(21L * 4096, b.sharedInfoGpa());
        assertEquals(VB + 22 * 4096, b.ptBaseVa());
        assertEquals(5, b.nrPtFrames());
        assertEquals(VB + 28 * 4096, b.bootStackTopVa());
        assertEquals(VB + 0x400000, b.virtPgtabEnd());
        assertEquals(VB + 0x1000, b.hypercallPageVa());
        assertEquals(8192, b.nrPages());
    }

    @Test
    void build_pvhKernel_startInfoPerSpec() throws Exception {
        Domain d = build(new DomainConfig().cmdline("console=hvc0"), TestKernel.pvh().bytes());
        ByteBuffer si = ByteBuffer.wrap(d.readGuestPhys(18L * 4096, 1168)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("xen-3.0-x86_64\0", new String(d.readGuestPhys(18L * 4096, 15)));
        assertEquals(8192, si.getLong(32));
        assertEquals(21L * 4096, si.getLong(40));
        assertEquals(0, si.getInt(48));
        assertEquals(19, si.getLong(56));
        assertEquals(1, si.getInt(64), "store port: the first port libxl allocates");
        assertEquals(20, si.getLong(72));
        assertEquals(2, si.getInt(80));
        assertEquals(VB + 22 * 4096, si.getLong(88));
        assertEquals(5, si.getLong(96));
        assertEquals(VB + 2 * 4096, si.getLong(104));
        assertEquals(0, si.getLong(112));
        assertEquals("console=hvc0\0", new String(d.readGuestPhys(18L * 4096 + 128, 13)));
        assertEquals(5, d.readGuestPhysU64(2L * 4096 + 5 * 8), "phys2mach is the identity");
    }

    @Test
    void build_pvhKernel_pageTablesMapLinearlyWithSpecFlags() throws Exception {
        Domain d = build();
        long l4 = 22L * 4096;
        long l4e = d.readGuestPhysU64(l4 + 511 * 8);          // VB is in PML4 slot 511
        assertEquals(23L * 4096 | 0x067, l4e);
        long l3e = d.readGuestPhysU64(23L * 4096 + 510 * 8);  // PDPT slot 510
        assertEquals(24L * 4096 | 0x067, l3e);
        assertEquals(25L * 4096 | 0x067, d.readGuestPhysU64(24L * 4096));
        assertEquals(26L * 4096 | 0x067, d.readGuestPhysU64(24L * 4096 + 8));
        assertEquals(0, d.readGuestPhysU64(24L * 4096 + 16), "nothing beyond virt_pgtab_end");
        assertEquals(7L * 4096 | 0x023, d.readGuestPhysU64(25L * 4096 + 7 * 8));
        assertEquals(1023L * 4096 | 0x023, d.readGuestPhysU64(26L * 4096 + 511 * 8));
        Cpu cpu = d.vcpu(0).cpu();
        assertEquals(21L * 4096 + 0x123,
                PageWalk.translate(cpu, VB + 21 * 4096 + 0x123, GuestPhysMemory.WRITE, false));
    }

    @Test
    void build_pvhKernel_vcpu0EntryStatePerSpec() throws Exception {
        Cpu c = build().vcpu(0).cpu();
        assertEquals(VB, c.rip);
        assertEquals(VB + 18 * 4096, c.get(Reg.RSI));
        assertEquals(VB + 28 * 4096, c.get(Reg.RSP));
        assertEquals(0, c.get(Reg.RAX) | c.get(Reg.RBX) | c.get(Reg.RDI) | c.get(Reg.R15));
        assertEquals(0x202, c.rflags);
        assertEquals(0xA09B, c.segment(SegReg.CS).ar);
        assertEquals(0xFFFFFFFF, c.segment(SegReg.CS).limit);
        for (SegReg s : new SegReg[] {SegReg.SS, SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS}) {
            assertEquals(0xC093, c.segment(s).ar, s.name());
            assertEquals(0, c.segment(s).selector);
        }
        assertEquals(0x8B, c.segment(SegReg.TR).ar);
        assertEquals(0xFF, c.segment(SegReg.TR).limit);
        assertEquals(0x82, c.segment(SegReg.LDTR).ar);
        assertEquals(0x80000011L, c.cr0);
        assertEquals(0x20, c.cr4);
        assertEquals(0x501, c.efer);
        assertEquals(22L * 4096, c.cr3);
        assertEquals(0, c.gdtrBase + c.gdtrLimit + c.idtrBase + c.idtrLimit);
        assertEquals(0x0007040600070406L, c.pat);
        assertTrue(c.is64BitMode());
    }

    @Test
    void build_pvhKernel_hypercallPageBytes() throws Exception {
        byte[] page = build().readGuestPhys(4096, 4096);
        byte[] memoryOp = {(byte) 0xB8, 0x0C, 0, 0, 0, 0x0F, 0x01, (byte) 0xC1, (byte) 0xC3, (byte) 0xCC};
        for (int i = 0; i < memoryOp.length; i++) {
            assertEquals(memoryOp[i], page[0x180 + i], "memory_op stub byte " + i);
        }
        assertEquals((byte) 0x0F, page[0x2E0]);
        assertEquals((byte) 0x0B, page[0x2E1]);
        for (int i = 2; i < 32; i++) {
            assertEquals((byte) 0xCC, page[0x2E0 + i], "iret slot byte " + i);
        }
        assertEquals((byte) 0x7F, page[127 * 32 + 1], "slot 127 is a stub for 127");
        assertEquals((byte) 0xCC, page[4095]);
    }

    @Test
    void build_pvhKernel_sharedInfoMappedMaskedAndRamPageFreed() throws Exception {
        Domain d = build();
        byte[] si = d.readGuestPhys(21L * 4096, 4096);
        for (int v = 0; v < 32; v++) {
            assertEquals(1, si[v * 64 + 1], "vcpu_info " + v + " evtchn_upcall_mask");
            assertEquals(0, si[v * 64]);
        }
        assertEquals(8191, d.totPages(), "the RAM page under shared_info was given back (add_to_physmap)");
        assertEquals(1, d.e820().size());
        assertArrayEquals(new long[] {0, 32L << 20, 1}, d.e820().get(0));
    }

    @Test
    void build_twoVcpus_secondIsDownAndUninitialised() throws Exception {
        Domain d = build(new DomainConfig().vcpus(2), TestKernel.pvh().bytes());
        assertTrue(d.vcpu(0).isUp());
        assertFalse(d.vcpu(1).isUp());
        assertFalse(d.vcpu(1).isInitialised());
    }

    // ---- refusals, one per rule ----

    @Test
    void build_pvhZero_refused() {
        assertTrue(refusal(new DomainConfig().pvh(false), TestKernel.pvh().bytes()).startsWith("config-pvh"));
    }

    @Test
    void build_hapZeroWithPvh_refusedWithLibxlMessage() {
        String r = refusal(new DomainConfig().hap(false), TestKernel.pvh().bytes());
        assertTrue(r.startsWith("config-hap") && r.contains("HAP must be on for PVH"), r);
    }

    @Test
    void build_notElf_refused() {
        assertTrue(refusal(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}).startsWith("elf-magic"));
    }

    @Test
    void build_segmentWrappingTheAddressSpace_refusedNotThrown() {
        byte[] b = TestKernel.pvh().bytes();
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putLong(TestKernel.PHDR_OFF + 24, 0xFFFFFFFFFFFFF000L); // p_paddr
        h.putLong(TestKernel.PHDR_OFF + 40, 0x2000);              // p_memsz: paddr + memsz wraps past 2^64
        String r = refusal(b);
        assertTrue(r.startsWith("elf-segment") && r.contains("wraps"), r);
    }

    @Test
    void readNotes_manyNoteSegmentsOverOneRegion_scanCapIsATotal() {
        // 4096 PT_NOTE headers all pointing at the same notes: libelf's cap counts notes over all of them
        // (§5.1), so building stays cheap; the result is simply the kernel's notes, read once.
        byte[] one = TestKernel.pvh().bytes();
        int phnum = 4096;
        byte[] b = java.util.Arrays.copyOf(one, TestKernel.LOAD_OFF + phnum * 56 + one.length);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long newPhoff = one.length;
        h.putLong(32, newPhoff).putShort(56, (short) phnum);
        byte[] load = java.util.Arrays.copyOfRange(one, TestKernel.PHDR_OFF, TestKernel.PHDR_OFF + 56);
        byte[] note = java.util.Arrays.copyOfRange(one, TestKernel.PHDR_OFF + 56, TestKernel.PHDR_OFF + 112);
        System.arraycopy(load, 0, b, (int) newPhoff, 56);
        for (int i = 1; i < phnum; i++) {
            System.arraycopy(note, 0, b, (int) newPhoff + 56 * i, 56);
        }
        ElfNotes notes = assertDoesNotThrow(() -> ElfNotes.read(ElfImage.parse(b)));
        assertEquals(org.pvhconf.xen.abi.ElfNote.ELF_MAX_TOTAL_NOTE_COUNT, notes.notesScanned(),
                "the scan stops at the total cap, not at a cap per PT_NOTE");
    }

    @Test
    void build_elfClass32_refusedAs32bitPvh() {
        byte[] b = TestKernel.pvh().bytes();
        b[4] = 1;
        String r = refusal(b);
        assertTrue(r.startsWith("elf-class") && r.contains("32bit"), r);
    }

    @Test
    void build_bigEndian_refused() {
        byte[] b = TestKernel.pvh().bytes();
        b[5] = 2;
        assertTrue(refusal(b).startsWith("elf-data"));
    }

    @Test
    void build_wrongMachine_refusedNamingIt() {
        byte[] b = TestKernel.pvh().bytes();
        b[18] = 40; // EM_ARM
        String r = refusal(b);
        assertTrue(r.startsWith("elf-machine") && r.contains("40"), r);
    }

    @Test
    void build_etDyn_refused() {
        byte[] b = TestKernel.pvh().bytes();
        b[16] = 3;
        assertTrue(refusal(b).startsWith("elf-type"));
    }

    @Test
    void build_programHeadersBeyondFile_refused() {
        byte[] b = TestKernel.pvh().bytes();
        b[32] = (byte) 0xF0;
        b[33] = (byte) 0xFF; // e_phoff far away
        assertTrue(refusal(b).startsWith("elf-phdr"));
    }

    @Test
    void build_segmentBeyondFile_refused() {
        byte[] b = TestKernel.pvh().bytes();
        b[TestKernel.PHDR_OFF + 32 + 2] = 0x10; // p_filesz of PT_LOAD = 0x102000
        assertTrue(refusal(b).startsWith("elf-segment"));
    }

    @Test
    void build_noNotes_refused() {
        assertTrue(refusal(TestKernel.pvh().noNoteSegment().bytes()).startsWith("notes-missing"));
    }

    @Test
    void build_noteSegmentAtOffsetZero_isSkipped() {
        assertTrue(refusal(TestKernel.pvh().noteSegmentAtOffsetZero().bytes()).startsWith("notes-missing"));
    }

    @Test
    void build_notesNamedOtherThanXen_ignored() {
        TestKernel k = new TestKernel().rawNote("Xe", 5, "xen-3.0\0".getBytes());
        assertTrue(refusal(k.bytes()).startsWith("notes-missing"));
    }

    @Test
    void build_neitherGenericLoaderNorLinux_refused() {
        String r = refusal(TestKernel.pvh().without(6).note(6, "NetBSD").bytes());
        assertTrue(r.startsWith("notes-loader") && r.contains("NetBSD"), r);
    }

    @Test
    void build_genericLoaderWithOtherOs_accepted() throws Exception {
        assertNotNull(build(new DomainConfig(), TestKernel.pvh().without(6).note(6, "NetBSD").note(8, "generic").bytes()));
    }

    @Test
    void build_xenVersionNot30_refused() {
        String r = refusal(TestKernel.pvh().without(5).note(5, "xen-4.0").bytes());
        assertTrue(r.startsWith("notes-xen-version") && r.contains("xen-4.0"), r);
    }

    @Test
    void build_unknownRequiredFeature_refused() {
        TestKernel k = TestKernel.pvh().note(10, "!flying_pigs|hvm_callback_vector");
        assertTrue(refusal(k.bytes()).startsWith("notes-features"));
    }

    @Test
    void build_unknownOptionalFeature_ignored() throws Exception {
        TestKernel k = TestKernel.pvh().without(10).note(10, "flying_pigs|writable_descriptor_tables"
                + "|auto_translated_physmap|supervisor_mode_kernel|hvm_callback_vector");
        assertNotNull(build(new DomainConfig(), k.bytes()));
    }

    @Test
    void build_missingHvmCallbackVector_refusedNamingIt() {
        TestKernel k = TestKernel.pvh().without(10).note(10, "writable_descriptor_tables|auto_translated_physmap"
                + "|supervisor_mode_kernel");
        String r = refusal(k.bytes());
        assertTrue(r.contains("features: unsupported feature requested: hvm_callback_vector ("), r);
    }

    @Test
    void build_featuresFromSupportedFeaturesNote_accepted() throws Exception {
        byte[] words = {(byte) 0x0E, 0x01, 0, 0}; // bits 1, 2, 3, 8
        TestKernel k = TestKernel.pvh().without(10).rawNote("Xen", 17, words);
        assertNotNull(build(new DomainConfig(), k.bytes()));
    }

    @Test
    void build_entryOutsideKernel_refused() {
        String r = refusal(TestKernel.pvh().without(1).note(1, TestKernel.VIRT_BASE + 0x5000).bytes());
        assertTrue(r.startsWith("notes-addresses"), r);
    }

    @Test
    void build_entryNoteOfThreeBytes_readsZeroAndIsRefused() {
        TestKernel k = TestKernel.pvh().without(1).rawNote("Xen", 1, new byte[] {0x10, 0, 0});
        assertTrue(refusal(k.bytes()).startsWith("notes-addresses"));
    }

    @Test
    void build_paddrOffsetWithoutVirtBase_refused() {
        assertTrue(refusal(TestKernel.pvh().without(3).bytes()).startsWith("notes-paddr-offset"));
    }

    @Test
    void build_unalignedHypercallPage_refused() {
        String r = refusal(TestKernel.pvh().without(2).note(2, TestKernel.VIRT_BASE + 0x1008).bytes());
        assertTrue(r.startsWith("notes-hypercall-page") && r.contains("page-aligned"), r);
    }

    @Test
    void build_hypercallPageOutsideImage_refused() {
        String r = refusal(TestKernel.pvh().without(2).note(2, TestKernel.VIRT_BASE + 0x8000).bytes());
        assertTrue(r.startsWith("notes-hypercall-page") && r.contains("outside"), r);
    }

    @Test
    void build_oneMiB_notEnoughMemoryForInitialMapping() {
        String r = refusal(new DomainConfig().memoryMiB(1), TestKernel.pvh().bytes());
        assertTrue(r.startsWith("memory-initial-mapping") && r.contains("not enough memory for initial mapping"), r);
    }
}
