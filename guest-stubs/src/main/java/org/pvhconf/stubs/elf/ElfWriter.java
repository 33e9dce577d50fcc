package org.pvhconf.stubs.elf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes an ELF64 little-endian x86-64 {@code ET_EXEC} image: PT_LOAD segments, an optional PT_NOTE
 * segment of Xen notes, and section headers (one per segment, {@code .bss} where memsz exceeds filesz,
 * {@code .note.Xen}, {@code .symtab}, {@code .strtab}, {@code .shstrtab}) so that readelf, objdump and
 * gdb can read it.
 *
 * <p>File layout: ELF header, program headers, notes, then each segment's bytes at a file offset
 * congruent to its p_vaddr modulo the page size (as linkers do, so a loader may map it directly), then
 * the symbol and string tables and the section headers.
 *
 * <p>{@link Damage} and {@link #truncate} produce deliberately broken images for loader tests; they
 * are applied after the image is laid out, so everything else stays well formed.
 */
public final class ElfWriter {
    private static final int PAGE = 4096;

    /** Single defects a loader must refuse. */
    public enum Damage {
        /** e_ident[EI_CLASS] = ELFCLASS32 on an otherwise 64-bit image. */
        ELFCLASS32,
        /** e_ident[0..3] is not "\x7fELF" (the last byte is 'X'). */
        BAD_MAGIC,
        /** The first PT_LOAD's p_offset points past the end of the file. */
        SEGMENT_OUTSIDE_FILE
    }

    private record Segment(String name, long vaddr, long paddr, byte[] data, long memsz, int flags) {
    }

    private final List<Segment> segments = new ArrayList<>();
    private final SortedMap<String, Long> symbols = new TreeMap<>();
    private final Set<Damage> damage = EnumSet.noneOf(Damage.class);
    private XenNotes notes = new XenNotes();
    private NotePlacement placement = NotePlacement.SEGMENT_AND_SECTION;
    private long entry;
    private int machine = Elf.EM_X86_64;
    private int truncateTo = -1;

    /** Sets e_entry. */
    public ElfWriter entry(final long va) {
        this.entry = va;
        return this;
    }

    /** Sets e_machine (EM_X86_64 unless a test wants another). */
    public ElfWriter machine(final int eMachine) {
        this.machine = eMachine;
        return this;
    }

    /**
     * Adds a PT_LOAD segment.
     *
     * @param name  the section name for its bytes ({@code .text}); a {@code .bss} section covers memsz − filesz
     * @param vaddr p_vaddr, page-aligned
     * @param paddr p_paddr
     * @param data  the file bytes (p_filesz = data.length)
     * @param memsz p_memsz, at least data.length; the loader zero-fills the rest
     * @param flags PF_R | PF_W | PF_X bits
     */
    public ElfWriter load(final String name, final long vaddr, final long paddr, final byte[] data,
                          final long memsz, final int flags) {
        if ((vaddr & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("segment vaddr must be page-aligned");
        }
        if (memsz < data.length) {
            throw new IllegalArgumentException("memsz < filesz");
        }
        segments.add(new Segment(name, vaddr, paddr, data.clone(), memsz, flags));
        return this;
    }

    /** The Xen notes to write (copied). */
    public ElfWriter notes(final XenNotes xenNotes) {
        this.notes = xenNotes.copy();
        return this;
    }

    /** Where the notes go; see {@link NotePlacement}. */
    public ElfWriter notePlacement(final NotePlacement where) {
        this.placement = where;
        return this;
    }

    /** Adds symbols (name → virtual address) to .symtab. */
    public ElfWriter symbols(final Map<String, Long> nameToVa) {
        symbols.putAll(nameToVa);
        return this;
    }

    /** Applies a defect to the written image. */
    public ElfWriter damage(final Damage d) {
        damage.add(d);
        return this;
    }

    /** Cuts the written image to its first {@code length} bytes. */
    public ElfWriter truncate(final int length) {
        this.truncateTo = length;
        return this;
    }

    /** Lays out and returns the image. */
    public byte[] toBytes() {
        byte[] noteBytes = placement == NotePlacement.NONE ? new byte[0] : notes.encode();
        boolean noteSegment = placement.segment();
        int phnum = segments.size() + (noteSegment ? 1 : 0);

        // ---- file layout ----
        long pos = Elf.EHDR_SIZE + (long) phnum * Elf.PHDR_SIZE;
        pos = align(pos, 8);
        long noteOffset = pos;
        pos += noteBytes.length;
        long[] segOffset = new long[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            pos = align(pos, PAGE) + (s.vaddr & (PAGE - 1));
            segOffset[i] = pos;
            pos += s.data.length;
        }

        // ---- sections ----
        Strings shstr = new Strings();
        List<long[]> shdrs = new ArrayList<>();  // name, type, flags, addr, offset, size, link, info, align, entsize
        shdrs.add(new long[10]);
        int[] segSection = new int[segments.size()];
        int[] bssSection = new int[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            long flags = Elf.SHF_ALLOC | ((s.flags & Elf.PF_W) != 0 ? Elf.SHF_WRITE : 0)
                    | ((s.flags & Elf.PF_X) != 0 ? Elf.SHF_EXECINSTR : 0);
            segSection[i] = shdrs.size();
            shdrs.add(new long[]{shstr.add(s.name), Elf.SHT_PROGBITS, flags, s.vaddr, segOffset[i], s.data.length,
                0, 0, PAGE, 0});
            bssSection[i] = -1;
            if (s.memsz > s.data.length) {
                bssSection[i] = shdrs.size();
                shdrs.add(new long[]{shstr.add(".bss"), Elf.SHT_NOBITS, flags & ~Elf.SHF_EXECINSTR,
                    s.vaddr + s.data.length, segOffset[i] + s.data.length, s.memsz - s.data.length, 0, 0, 8, 0});
            }
        }
        if (placement.section()) {
            shdrs.add(new long[]{shstr.add(".note.Xen"), Elf.SHT_NOTE, 0, 0, noteOffset, noteBytes.length,
                0, 0, 4, 0});
        }

        // .symtab: the null symbol, then every symbol as a global (st_info binding 1), sorted by name.
        Strings str = new Strings();
        ByteArrayOutputStream symtab = new ByteArrayOutputStream();
        symtab.writeBytes(new byte[Elf.SYM_SIZE]);
        for (Map.Entry<String, Long> e : symbols.entrySet()) {
            long va = e.getValue();
            int shndx = Elf.SHN_ABS;
            for (int i = 0; i < segments.size(); i++) {
                Segment s = segments.get(i);
                if (va >= s.vaddr && va < s.vaddr + s.data.length) {
                    shndx = segSection[i];
                } else if (bssSection[i] >= 0 && va >= s.vaddr + s.data.length && va < s.vaddr + s.memsz) {
                    shndx = bssSection[i];
                }
            }
            le(symtab, str.add(e.getKey()), 4);
            le(symtab, Elf.STB_GLOBAL << 4 | Elf.STT_NOTYPE, 1);
            le(symtab, 0, 1);
            le(symtab, shndx, 2);
            le(symtab, va, 8);
            le(symtab, 0, 8);
        }
        int symtabIndex = shdrs.size();
        pos = align(pos, 8);
        long symtabOffset = pos;
        pos += symtab.size();
        long strtabOffset = pos;
        pos += str.size();
        shdrs.add(new long[]{shstr.add(".symtab"), Elf.SHT_SYMTAB, 0, 0, symtabOffset, symtab.size(),
            symtabIndex + 1, 1, 8, Elf.SYM_SIZE});
        shdrs.add(new long[]{shstr.add(".strtab"), Elf.SHT_STRTAB, 0, 0, strtabOffset, str.size(), 0, 0, 1, 0});
        int shstrndx = shdrs.size();
        long shstrOffset = pos;
        long[] shstrHdr = {shstr.add(".shstrtab"), Elf.SHT_STRTAB, 0, 0, shstrOffset, 0, 0, 0, 1, 0};
        shdrs.add(shstrHdr);
        shstrHdr[5] = shstr.size();
        pos += shstr.size();
        pos = align(pos, 8);
        long shoff = pos;
        long fileSize = shoff + (long) shdrs.size() * Elf.SHDR_SIZE;

        // ---- write ----
        byte[] out = new byte[Math.toIntExact(fileSize)];
        Writer w = new Writer(out);
        w.at(0).bytes(0x7F, 'E', 'L', 'F', Elf.ELFCLASS64, Elf.ELFDATA2LSB, Elf.EV_CURRENT);
        w.at(16).u16(Elf.ET_EXEC).u16(machine).u32(Elf.EV_CURRENT).u64(entry)
                .u64(Elf.EHDR_SIZE).u64(shoff).u32(0).u16(Elf.EHDR_SIZE)
                .u16(Elf.PHDR_SIZE).u16(phnum).u16(Elf.SHDR_SIZE).u16(shdrs.size()).u16(shstrndx);
        w.at(Elf.EHDR_SIZE);
        if (noteSegment) {
            long off = placement.zeroOffset() ? 0 : noteOffset;
            w.u32(Elf.PT_NOTE).u32(Elf.PF_R).u64(off).u64(0).u64(0)
                    .u64(noteBytes.length).u64(noteBytes.length).u64(4);
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            w.u32(Elf.PT_LOAD).u32(s.flags).u64(segOffset[i]).u64(s.vaddr).u64(s.paddr)
                    .u64(s.data.length).u64(s.memsz).u64(PAGE);
        }
        System.arraycopy(noteBytes, 0, out, (int) noteOffset, noteBytes.length);
        for (int i = 0; i < segments.size(); i++) {
            System.arraycopy(segments.get(i).data, 0, out, (int) segOffset[i], segments.get(i).data.length);
        }
        System.arraycopy(symtab.toByteArray(), 0, out, (int) symtabOffset, symtab.size());
        System.arraycopy(str.bytes(), 0, out, (int) strtabOffset, str.size());
        System.arraycopy(shstr.bytes(), 0, out, (int) shstrOffset, shstr.size());
        w.at((int) shoff);
        for (long[] h : shdrs) {
            w.u32(h[0]).u32(h[1]).u64(h[2]).u64(h[3]).u64(h[4]).u64(h[5]).u32(h[6]).u32(h[7]).u64(h[8]).u64(h[9]);
        }

        // ---- deliberate defects ----
        if (damage.contains(Damage.ELFCLASS32)) {
            out[Elf.EI_CLASS] = Elf.ELFCLASS32;
        }
        if (damage.contains(Damage.BAD_MAGIC)) {
            out[3] = 'X';
        }
        if (damage.contains(Damage.SEGMENT_OUTSIDE_FILE)) {
            int firstLoad = Elf.EHDR_SIZE + (noteSegment ? Elf.PHDR_SIZE : 0);
            if (segments.isEmpty()) {
                throw new IllegalStateException("SEGMENT_OUTSIDE_FILE needs a PT_LOAD segment");
            }
            new Writer(out).at(firstLoad + 8).u64(fileSize);
        }
        return truncateTo >= 0 ? Arrays.copyOf(out, Math.min(truncateTo, out.length)) : out;
    }

    private static long align(final long v, final long a) {
        return (v + a - 1) & -a;
    }

    private static void le(final ByteArrayOutputStream out, final long v, final int width) {
        for (int i = 0; i < width; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** A string table: starts with the empty string; {@link #add} returns the offset of a name. */
    private static final class Strings {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Strings() {
            b.write(0);
        }

        int add(final String s) {
            int off = b.size();
            b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            b.write(0);
            return off;
        }

        int size() {
            return b.size();
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    /** Little-endian field writer over a byte array. */
    private static final class Writer {
        private final byte[] out;
        private int pos;

        Writer(final byte[] out) {
            this.out = out;
        }

        Writer at(final int position) {
            pos = position;
            return this;
        }

        Writer bytes(final int... values) {
            for (int v : values) {
                out[pos++] = (byte) v;
            }
            return this;
        }

        private Writer le(final long v, final int width) {
            for (int i = 0; i < width; i++) {
                out[pos++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Writer u16(final long v) {
            return le(v, 2);
        }

        Writer u32(final long v) {
            return le(v, 4);
        }

        Writer u64(final long v) {
            return le(v, 8);
        }
    }
}
