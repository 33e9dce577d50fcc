package org.pvhconf.stubs.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvhconf.stubs.Binutils;
import org.pvhconf.stubs.elf.ElfFile;
import org.pvhconf.stubs.elf.ElfWriter;
import org.pvhconf.stubs.elf.NotePlacement;
import org.pvhconf.stubs.elf.XenNote;
import org.pvhconf.stubs.elf.XenNoteType;

/** The hello stub's image: its notes, its layout and its code (expected values are literals from the spec). */
class HelloStubTest {
    @TempDir
    Path tmp;

    /** The notes the brief requires, with the values of a Linux PVHv1 kernel (§5.2, §5.3). */
    @Test
    void build_default_carriesPvhNotes() {
        StubImage img = new HelloStub().build();
        Map<String, XenNote> n = Images.notes(img.elf());
        assertEquals("linux", n.get("GUEST_OS").string());
        assertEquals("xen-3.0", n.get("XEN_VERSION").string());
        assertEquals("generic", n.get("LOADER").string());
        assertEquals(0xFFFFFFFF80000000L, n.get("VIRT_BASE").numeric());
        assertEquals(0, n.get("PADDR_OFFSET").numeric());
        assertEquals("!writable_page_tables|pae_pgdir_above_4gb|writable_descriptor_tables|auto_translated_physmap"
                + "|supervisor_mode_kernel|hvm_callback_vector", n.get("FEATURES").string());
        assertEquals(img.symbol("entry"), n.get("ENTRY").numeric());
        assertEquals(img.symbol("hypercall_page"), n.get("HYPERCALL_PAGE").numeric());
        assertEquals(img.symbol("entry"), ElfFile.parse(img.elf()).entry());
    }

    /** virt_base ≤ virt_kstart ≤ entry ≤ virt_kend, and the hypercall page is a page inside the image (§1.4, §5.2). */
    @Test
    void build_default_passesBuilderAddressChecks() {
        StubImage img = new HelloStub().build();
        ElfFile.ProgramHeader load = Images.load(img.elf());
        long virtBase = 0xFFFFFFFF80000000L;
        long kstart = load.paddr() + virtBase;
        long kend = kstart + load.memsz();
        assertEquals(0x100000, load.paddr());
        assertEquals(0xFFFFFFFF80100000L, load.vaddr());
        assertTrue(virtBase <= kstart && kstart <= img.symbol("entry") && img.symbol("entry") <= kend);
        long page = img.symbol("hypercall_page");
        assertEquals(0, page & 0xFFF);
        assertTrue(page >= kstart && page + 4096 <= kstart + load.filesz());
    }

    /** The message and the shutdown argument are in the image where the symbols say. */
    @Test
    void build_messageAndReason_atTheirSymbols() {
        StubImage img = new HelloStub().message("hi\n").shutdownReason(4).build();
        assertArrayEquals("hi\n".getBytes(StandardCharsets.UTF_8), Images.at(img.elf(), img.symbol("message"), 3));
        assertArrayEquals(new byte[]{4, 0, 0, 0}, Images.at(img.elf(), img.symbol("shutdown_reason"), 4));
    }

    @Test
    void crash_shutdownReason_isThree() {
        StubImage img = HelloStub.crash().build();
        assertArrayEquals(new byte[]{3, 0, 0, 0}, Images.at(img.elf(), img.symbol("shutdown_reason"), 4));
    }

    /**
     * Same program, two toolchains: with the GNU kernel's message, our code bytes equal the code GNU
     * as and ld produced for hello-pvh.S (up to the alignment padding, which GNU fills with NOP).
     */
    @Test
    void build_gnuMessage_codeMatchesGnuBuiltKernel() {
        StubImage ours = new HelloStub().message(GnuHelloKernel.MESSAGE).build();
        StubImage gnu = GnuHelloKernel.image();
        assertEquals(gnu.symbol("message"), ours.symbol("message"));
        assertEquals(gnu.symbol("hypercall_page"), ours.symbol("hypercall_page"));
        assertEquals(gnu.symbol("stuck"), ours.symbol("stuck"));
        // Everything from the entry to the end of the "pause; jmp stuck" loop.
        int code = (int) (ours.symbol("stuck") + 4 - ours.symbol("entry"));
        assertArrayEquals(Images.at(gnu.elf(), gnu.symbol("_start"), code),
                Images.at(ours.elf(), ours.symbol("entry"), code));
        int rest = (int) (ours.symbol("hypercall_page") - ours.symbol("shutdown_reason"));
        int len = 4 + GnuHelloKernel.MESSAGE.length();
        assertArrayEquals(Images.at(gnu.elf(), gnu.symbol("message") - 4, len),
                Images.at(ours.elf(), ours.symbol("shutdown_reason"), len));
        assertTrue(rest > len);
    }

    /** notes() edits the defaults: the harness builds refusal variants this way. */
    @Test
    void notes_override_replacesOrRemoves() {
        StubImage img = new HelloStub()
                .notes(n -> n.remove(XenNoteType.FEATURES).xenVersion("xen-2.0"))
                .build();
        Map<String, XenNote> n = Images.notes(img.elf());
        assertFalse(n.containsKey("FEATURES"));
        assertEquals("xen-2.0", n.get("XEN_VERSION").string());
    }

    /** entryAt() moves both e_entry and the ENTRY note, e.g. outside the kernel. */
    @Test
    void entryAt_outsideKernel_setsHeaderAndNote() {
        StubImage img = new HelloStub().entryAt(0x1000).build();
        assertEquals(0x1000, ElfFile.parse(img.elf()).entry());
        assertEquals(0x1000, Images.notes(img.elf()).get("ENTRY").numeric());
    }

    @Test
    void notePlacement_none_leavesNoNotes() {
        byte[] elf = new HelloStub().notePlacement(NotePlacement.NONE).build().elf();
        assertTrue(ElfFile.parse(elf).segmentNotes().isEmpty());
        assertTrue(ElfFile.parse(elf).sectionNotes().isEmpty());
    }

    /** elf() reaches the writer: e_machine and deliberate damage end up in the image. */
    @Test
    void elf_overrides_reachImage() {
        byte[] elf = new HelloStub().elf(w -> w.machine(183)).build().elf();
        assertEquals(183, ElfFile.parse(elf).machine());
        assertEquals('X', new HelloStub().elf(w -> w.damage(ElfWriter.Damage.BAD_MAGIC)).build().elf()[3]);
    }

    /** objdump reads the calls as binutils would: console_io (18) and sched_op (29) page slots. */
    @Test
    void objdump_entry_callsHypercallPageSlots() throws IOException {
        Binutils.assume("objdump");
        Path p = tmp.resolve("hello.elf");
        Files.write(p, new HelloStub().build().elf());
        String d = Binutils.run(tmp, "objdump", "-d", "-M", "intel", p.toString()).check().stdout();
        assertTrue(d.contains("call   ffffffff80101240 <hypercall_page+0x240>"), d);
        assertTrue(d.contains("call   ffffffff801013a0 <hypercall_page+0x3a0>"), d);
        assertTrue(d.contains("lea    rdx,[rip+0x1f]        # ffffffff80100030 <message>"), d);
    }
}
