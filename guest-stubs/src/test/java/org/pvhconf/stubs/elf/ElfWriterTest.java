package org.pvhconf.stubs.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pvhconf.stubs.Binutils;

/** Image structure, read back by {@link ElfFile} and, where installed, by readelf and objdump. */
class ElfWriterTest {
    private static final long VA = 0xFFFFFFFF80100000L;
    private static final byte[] CODE = {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD};  // hlt; jmp .-1

    @TempDir
    Path tmp;

    private static XenNotes notes() {
        return new XenNotes().guestOs("linux").xenVersion("xen-3.0").entry(VA);
    }

    private static ElfWriter writer() {
        return new ElfWriter().entry(VA)
                .load(".text", VA, 0x100000, CODE, 0x3000, Elf.PF_R | Elf.PF_W | Elf.PF_X)
                .notes(notes())
                .symbols(Map.of("entry", VA, "bss_start", VA + 0x1000, "elsewhere", 0x1000L));
    }

    private Path write(final byte[] image) throws IOException {
        Path p = Files.createTempFile(tmp, "image", ".elf");
        Files.write(p, image);
        return p;
    }

    /** Header fields and the PT_LOAD, with memsz > filesz for bss. */
    @Test
    void toBytes_loadSegment_hasRequestedAddresses() {
        ElfFile f = ElfFile.parse(writer().toBytes());
        assertEquals(Elf.ET_EXEC, f.type());
        assertEquals(Elf.EM_X86_64, f.machine());
        assertEquals(VA, f.entry());
        ElfFile.ProgramHeader load = f.programHeaders().stream().filter(p -> p.type() == Elf.PT_LOAD).findFirst().orElseThrow();
        assertEquals(VA, load.vaddr());
        assertEquals(0x100000, load.paddr());
        assertEquals(CODE.length, load.filesz());
        assertEquals(0x3000, load.memsz());
        assertEquals(load.vaddr() % 4096, load.offset() % 4096);
    }

    /** The default placement puts the same notes in a PT_NOTE and a SHT_NOTE section. */
    @Test
    void toBytes_defaultPlacement_notesInSegmentAndSection() {
        ElfFile f = ElfFile.parse(writer().toBytes());
        assertEquals(notes().notes(), f.segmentNotes());
        assertEquals(notes().notes(), f.sectionNotes());
    }

    /** Each placement produces exactly the PT_NOTE and section it names. */
    @ParameterizedTest
    @EnumSource(NotePlacement.class)
    void notePlacement_each_producesNamedHeaders(final NotePlacement where) {
        ElfFile f = ElfFile.parse(writer().notePlacement(where).toBytes());
        List<ElfFile.ProgramHeader> pt = f.programHeaders().stream().filter(p -> p.type() == Elf.PT_NOTE).toList();
        assertEquals(where.segment() ? 1 : 0, pt.size());
        if (where.segment()) {
            assertEquals(where.zeroOffset(), pt.get(0).offset() == 0);
        }
        assertEquals(where.section(), f.section(".note.Xen").isPresent());
        if (where.section()) {
            assertEquals(notes().notes(), f.sectionNotes());
        }
    }

    /** Symbols land in .symtab with their addresses; one outside every segment is absolute. */
    @Test
    void toBytes_symbols_readBack() {
        assertEquals(Map.of("entry", VA, "bss_start", VA + 0x1000, "elsewhere", 0x1000L),
                ElfFile.parse(writer().toBytes()).symbols());
    }

    @Test
    void damage_elfClass32_setsClassByte() {
        assertEquals(Elf.ELFCLASS32, writer().damage(ElfWriter.Damage.ELFCLASS32).toBytes()[Elf.EI_CLASS]);
    }

    @Test
    void damage_segmentOutsideFile_pointsPastEnd() {
        byte[] image = writer().damage(ElfWriter.Damage.SEGMENT_OUTSIDE_FILE).toBytes();
        ElfFile.ProgramHeader load = ElfFile.parse(image).programHeaders().stream()
                .filter(p -> p.type() == Elf.PT_LOAD).findFirst().orElseThrow();
        assertTrue(load.offset() + load.filesz() > image.length);
    }

    @Test
    void truncate_cutsImage() {
        assertEquals(100, writer().truncate(100).toBytes().length);
    }

    /** readelf accepts the image without a warning and sees our segments, sections, notes and symbols. */
    @Test
    void readelf_wellFormedImage_readsCleanly() throws IOException {
        Binutils.assume("readelf");
        Binutils.Result r = Binutils.run(tmp, "readelf", "-a", "-W", write(writer().toBytes()).toString()).check();
        assertEquals("", r.stderr());
        assertTrue(r.stdout().contains("Type:                              EXEC (Executable file)"), r.stdout());
        assertTrue(r.stdout().contains("Machine:                           Advanced Micro Devices X86-64"), r.stdout());
        Matcher load = Pattern.compile("LOAD +0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) RWE")
                .matcher(r.stdout());
        assertTrue(load.find(), r.stdout());
        assertEquals(Long.toHexString(VA), load.group(2).replaceFirst("^0+", ""));
        assertEquals(0x100000, Long.parseLong(load.group(3), 16));
        assertEquals(CODE.length, Long.parseLong(load.group(4), 16));
        assertEquals(0x3000, Long.parseLong(load.group(5), 16));
        assertTrue(r.stdout().contains("NOTE "), r.stdout());
        assertEquals(3, count(r.stdout(), "\n  Xen "), r.stdout());
        assertTrue(r.stdout().matches("(?s).*GLOBAL DEFAULT +1 entry\n.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*GLOBAL DEFAULT +2 bss_start\n.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*GLOBAL DEFAULT +ABS elsewhere\n.*"), r.stdout());
    }

    /** objdump sees the section table (with .bss as NOBITS-sized ALLOC) and disassembles the code. */
    @Test
    void objdump_wellFormedImage_listsSectionsAndCode() throws IOException {
        Binutils.assume("objdump");
        Path p = write(writer().toBytes());
        Binutils.Result x = Binutils.run(tmp, "objdump", "-x", p.toString()).check();
        assertTrue(x.stdout().contains(".text         00000003  ffffffff80100000  0000000000100000"), x.stdout());
        assertTrue(x.stdout().contains(".bss          00002ffd  ffffffff80100003"), x.stdout());
        assertTrue(x.stdout().contains(".note.Xen"), x.stdout());
        Binutils.Result d = Binutils.run(tmp, "objdump", "-d", p.toString()).check();
        assertTrue(d.stdout().contains("ffffffff80100000:\tf4                   \thlt"), d.stdout());
    }

    /** readelf refuses a bad magic and complains about a truncated image, as a loader must. */
    @Test
    void readelf_brokenImages_complain() throws IOException {
        Binutils.assume("readelf");
        Binutils.Result magic = Binutils.run(tmp, "readelf", "-h", write(writer().damage(ElfWriter.Damage.BAD_MAGIC).toBytes()).toString());
        assertTrue(magic.stderr().contains("Not an ELF file"), magic.stderr());
        Binutils.Result cut = Binutils.run(tmp, "readelf", "-a", "-W", write(writer().truncate(200).toBytes()).toString());
        assertFalse(cut.stderr().isEmpty());
    }

    private static int count(final String s, final String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
