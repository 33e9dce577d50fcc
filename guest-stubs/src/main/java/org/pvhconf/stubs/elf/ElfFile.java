package org.pvhconf.stubs.elf;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A read-only view of an ELF64 little-endian image: headers, sections, notes and symbols. It reads
 * what {@link ElfWriter} and GNU ld write, so tests (and the harness) can inspect any kernel without
 * binutils. It is not a loader: it checks only what it needs to read the structures it is asked for.
 */
public final class ElfFile {

    /** One program header. */
    public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz,
                                long memsz, long align) {
    }

    /** One section header, with its name resolved. */
    public record Section(String name, int type, long flags, long addr, long offset, long size, int link,
                          int info, long align, long entsize) {
    }

    private final byte[] image;
    private final ByteBuffer b;
    private final List<ProgramHeader> phdrs = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    private ElfFile(final byte[] image) {
        this.image = image;
        this.b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Parses an ELF64 little-endian image.
     *
     * @throws IllegalArgumentException if it is not one, or a header lies outside the file
     */
    public static ElfFile parse(final byte[] image) {
        ElfFile f = new ElfFile(image);
        try {
            f.read();
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            throw new IllegalArgumentException("ELF header outside the file", e);
        }
        return f;
    }

    private void read() {
        if (image.length < Elf.EHDR_SIZE || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            throw new IllegalArgumentException("not an ELF image");
        }
        if (image[Elf.EI_CLASS] != Elf.ELFCLASS64 || image[Elf.EI_DATA] != Elf.ELFDATA2LSB) {
            throw new IllegalArgumentException("not ELF64 little-endian");
        }
        long phoff = b.getLong(32);
        long shoff = b.getLong(40);
        int phnum = u16(56);
        int shnum = u16(60);
        int shstrndx = u16(62);
        for (int i = 0; i < phnum; i++) {
            int p = Math.toIntExact(phoff + (long) i * Elf.PHDR_SIZE);
            phdrs.add(new ProgramHeader(b.getInt(p), b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16),
                    b.getLong(p + 24), b.getLong(p + 32), b.getLong(p + 40), b.getLong(p + 48)));
        }
        List<long[]> raw = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int s = Math.toIntExact(shoff + (long) i * Elf.SHDR_SIZE);
            raw.add(new long[]{b.getInt(s), b.getInt(s + 4), b.getLong(s + 8), b.getLong(s + 16), b.getLong(s + 24),
                b.getLong(s + 32), b.getInt(s + 40), b.getInt(s + 44), b.getLong(s + 48), b.getLong(s + 56)});
        }
        long strOff = shstrndx < raw.size() ? raw.get(shstrndx)[4] : -1;
        for (long[] r : raw) {
            String name = strOff < 0 ? "" : cString(strOff + r[0]);
            sections.add(new Section(name, (int) r[1], r[2], r[3], r[4], r[5], (int) r[6], (int) r[7], r[8], r[9]));
        }
    }

    private int u16(final int at) {
        return b.getShort(at) & 0xFFFF;
    }

    private String cString(final long at) {
        int start = Math.toIntExact(at);
        int end = start;
        while (image[end] != 0) {
            end++;
        }
        return new String(image, start, end - start, StandardCharsets.ISO_8859_1);
    }

    public int type() {
        return u16(16);
    }

    public int machine() {
        return u16(18);
    }

    public long entry() {
        return b.getLong(24);
    }

    public List<ProgramHeader> programHeaders() {
        return Collections.unmodifiableList(phdrs);
    }

    public List<Section> sections() {
        return Collections.unmodifiableList(sections);
    }

    public Optional<Section> section(final String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The file bytes of a section. */
    public byte[] contents(final Section s) {
        return java.util.Arrays.copyOfRange(image, Math.toIntExact(s.offset()), Math.toIntExact(s.offset() + s.size()));
    }

    /** Every note in PT_NOTE segments, in order (segments with p_offset 0 included). */
    public List<XenNote> segmentNotes() {
        List<XenNote> out = new ArrayList<>();
        for (ProgramHeader p : phdrs) {
            if (p.type() == Elf.PT_NOTE) {
                out.addAll(XenNotes.decode(image, Math.toIntExact(p.offset()), Math.toIntExact(p.filesz())));
            }
        }
        return out;
    }

    /** Every note in SHT_NOTE sections, in order. */
    public List<XenNote> sectionNotes() {
        List<XenNote> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() == Elf.SHT_NOTE) {
                out.addAll(XenNotes.decode(image, Math.toIntExact(s.offset()), Math.toIntExact(s.size())));
            }
        }
        return out;
    }

    /** The named symbols of .symtab, name → st_value (the first definition of a name wins). */
    public SortedMap<String, Long> symbols() {
        SortedMap<String, Long> out = new TreeMap<>();
        for (Section s : sections) {
            if (s.type() != Elf.SHT_SYMTAB) {
                continue;
            }
            long strOff = sections.get(s.link()).offset();
            for (long at = s.offset() + Elf.SYM_SIZE; at + Elf.SYM_SIZE <= s.offset() + s.size(); at += Elf.SYM_SIZE) {
                int name = b.getInt(Math.toIntExact(at));
                if (name != 0) {
                    out.putIfAbsent(cString(strOff + name), b.getLong(Math.toIntExact(at + 8)));
                }
            }
        }
        return out;
    }
}
