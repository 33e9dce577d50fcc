package org.pvhconf.stubs.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvhconf.stubs.Binutils;
import org.pvhconf.stubs.elf.ElfFile;
import org.pvhconf.stubs.elf.XenNote;

/** The kernel built by GNU as and ld: the checked-in binary, and a fresh build from its sources. */
class GnuHelloKernelTest {
    @TempDir
    Path tmp;

    /** The checked-in binary carries the PVH notes and the layout of a Linux PVHv1 kernel. */
    @Test
    void image_checkedIn_hasPvhNotesAndLayout() {
        StubImage img = GnuHelloKernel.image();
        Map<String, XenNote> n = Images.notes(img.elf());
        assertEquals("linux", n.get("GUEST_OS").string());
        assertEquals("xen-3.0", n.get("XEN_VERSION").string());
        assertEquals("generic", n.get("LOADER").string());
        assertEquals(0xFFFFFFFF80000000L, n.get("VIRT_BASE").numeric());
        assertEquals(0, n.get("PADDR_OFFSET").numeric());
        assertEquals(img.symbol("_start"), n.get("ENTRY").numeric());
        assertEquals(img.symbol("hypercall_page"), n.get("HYPERCALL_PAGE").numeric());
        assertEquals(0, img.symbol("hypercall_page") & 0xFFF);
        assertEquals("!writable_page_tables|pae_pgdir_above_4gb|writable_descriptor_tables|auto_translated_physmap"
                + "|supervisor_mode_kernel|hvm_callback_vector", n.get("FEATURES").string());
        ElfFile.ProgramHeader load = Images.load(img.elf());
        assertEquals(0xFFFFFFFF80100000L, load.vaddr());
        assertEquals(0x100000, load.paddr());
        assertArrayEquals("Hello from a GNU-built PVH kernel\n".getBytes(StandardCharsets.US_ASCII),
                Images.at(img.elf(), img.symbol("message"), 34));
    }

    /** make (as + ld) rebuilds the same kernel from hello-pvh.S and hello-pvh.ld (skipped without binutils). */
    @Test
    void rebuild_withGnuToolchain_matchesCheckedInImage() throws IOException {
        Binutils.assume("as", "ld", "make");
        for (String f : new String[]{"hello-pvh.S", "hello-pvh.ld", "Makefile"}) {
            try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/gnu/" + f), f)) {
                Files.write(tmp.resolve(f), in.readAllBytes());
            }
        }
        Binutils.run(tmp, "make", "-s").check();
        byte[] fresh = Files.readAllBytes(tmp.resolve("hello-pvh.elf"));
        byte[] checkedIn = GnuHelloKernel.image().elf();
        ElfFile a = ElfFile.parse(fresh);
        ElfFile b = ElfFile.parse(checkedIn);
        assertEquals(b.segmentNotes(), a.segmentNotes());
        assertEquals(b.entry(), a.entry());
        assertEquals(b.symbols(), a.symbols());
        ElfFile.ProgramHeader la = Images.load(fresh);
        ElfFile.ProgramHeader lb = Images.load(checkedIn);
        assertEquals(lb.vaddr(), la.vaddr());
        assertEquals(lb.paddr(), la.paddr());
        assertEquals(lb.memsz(), la.memsz());
        assertArrayEquals(Images.at(checkedIn, lb.vaddr(), (int) lb.filesz()), Images.at(fresh, la.vaddr(), (int) la.filesz()));
    }
}
