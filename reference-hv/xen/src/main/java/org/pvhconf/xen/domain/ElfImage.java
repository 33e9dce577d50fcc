package org.pvhconf.xen.domain;

import static org.pvhconf.xen.abi.Elf.*;

import java.util.ArrayList;
import java.util.List;

import org.pvhconf.xen.mm.LittleEndian;

/**
 * An ELF64 x86-64 kernel image, validated as libelf and the libxc ELF loader do before anything is read
 * from it (§5). Every refusal names the rule and the value found.
 */
final class ElfImage {

    record Phdr(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz) {
        boolean loadable() {
            return type == PT_LOAD && (flags & (PF_R | PF_W | PF_X)) != 0;
        }
    }

    record Shdr(String name, int type, long offset, long size) {
    }

    final byte[] bytes;
    final long entry;
    final List<Phdr> phdrs;
    final List<Shdr> shdrs;
    /** Lowest p_paddr and highest p_paddr + p_memsz of the loadable segments (libelf's pstart/pend). */
    final long pstart, pend;

    private ElfImage(byte[] bytes, long entry, List<Phdr> phdrs, List<Shdr> shdrs, long pstart, long pend) {
        this.bytes = bytes;
        this.entry = entry;
        this.phdrs = phdrs;
        this.shdrs = shdrs;
        this.pstart = pstart;
        this.pend = pend;
    }

    static ElfImage parse(byte[] b) throws BuildRefusedException {
        if (b == null || b.length < EI_NIDENT || b[0] != ELFMAG[0] || b[1] != ELFMAG[1] || b[2] != ELFMAG[2]
                || b[3] != ELFMAG[3]) {
            throw new BuildRefusedException("elf-magic", "not an ELF binary (" + (b == null ? "no image"
                    : b.length < 4 ? b.length + " bytes" : String.format("magic %02x %02x %02x %02x",
                    b[0], b[1], b[2], b[3])) + ")");
        }
        if (b[EI_CLASS] == ELFCLASS32) {
            throw new BuildRefusedException("elf-class", "ELFCLASS32: PVH not supported for 32bit guests");
        }
        if (b[EI_CLASS] != ELFCLASS64) {
            throw new BuildRefusedException("elf-class", "EI_CLASS " + b[EI_CLASS] + " is not ELFCLASS64 (2)");
        }
        if (b[EI_DATA] != ELFDATA2LSB) {
            throw new BuildRefusedException("elf-data", "EI_DATA " + b[EI_DATA]
                    + " is not ELFDATA2LSB (1): x86-64 is little-endian");
        }
        if (b.length < EHDR_SIZE) {
            throw new BuildRefusedException("elf-header", "the file (" + b.length
                    + " bytes) is shorter than an ELF64 header (64)");
        }
        int machine = LittleEndian.u16(b, E_MACHINE);
        if (machine != EM_X86_64) {
            throw new BuildRefusedException("elf-machine", "e_machine " + machine + " is not EM_X86_64 (62)"
                    + (machine == EM_386 ? ": PVH not supported for 32bit guests" : ""));
        }
        int type = LittleEndian.u16(b, E_TYPE);
        if (type != ET_EXEC) {
            throw new BuildRefusedException("elf-type", "e_type " + type + " is not ET_EXEC (2)");
        }
        long phoff = LittleEndian.u64(b, E_PHOFF);
        int phentsize = LittleEndian.u16(b, E_PHENTSIZE);
        int phnum = LittleEndian.u16(b, E_PHNUM);
        if (phnum > 0 && phentsize != PHDR_SIZE) {
            throw new BuildRefusedException("elf-phdr", "e_phentsize " + phentsize + " is not 56");
        }
        if (!within(phoff, (long) phnum * PHDR_SIZE, b.length)) {
            throw new BuildRefusedException("elf-phdr", String.format(
                    "program headers [0x%x, +%d x 56) lie outside the %d-byte file", phoff, phnum, b.length));
        }
        List<Phdr> phdrs = new ArrayList<>();
        long pstart = -1, pend = 0;
        for (int i = 0; i < phnum; i++) {
            int o = (int) phoff + i * PHDR_SIZE;
            Phdr p = new Phdr((int) LittleEndian.u32(b, o + P_TYPE), (int) LittleEndian.u32(b, o + P_FLAGS),
                    LittleEndian.u64(b, o + P_OFFSET), LittleEndian.u64(b, o + P_VADDR),
                    LittleEndian.u64(b, o + P_PADDR), LittleEndian.u64(b, o + P_FILESZ),
                    LittleEndian.u64(b, o + P_MEMSZ));
            if ((p.type == PT_LOAD || p.type == PT_NOTE) && !within(p.offset, p.filesz, b.length)) {
                throw new BuildRefusedException("elf-segment", String.format(
                        "program header %d: [p_offset 0x%x, +p_filesz 0x%x) lies outside the %d-byte file",
                        i, p.offset, p.filesz, b.length));
            }
            if (p.loadable()) {
                if (Long.compareUnsigned(p.filesz, p.memsz) > 0) {
                    throw new BuildRefusedException("elf-segment", String.format(
                            "program header %d: p_filesz 0x%x exceeds p_memsz 0x%x", i, p.filesz, p.memsz));
                }
                if (Long.compareUnsigned(p.paddr + p.memsz, p.paddr) < 0) {
                    throw new BuildRefusedException("elf-segment", String.format(
                            "program header %d: p_paddr 0x%x + p_memsz 0x%x wraps", i, p.paddr, p.memsz));
                }
                if (pstart == -1 || Long.compareUnsigned(p.paddr, pstart) < 0) {
                    pstart = p.paddr;
                }
                if (Long.compareUnsigned(p.paddr + p.memsz, pend) > 0) {
                    pend = p.paddr + p.memsz;
                }
            }
            phdrs.add(p);
        }
        if (pstart == -1) {
            throw new BuildRefusedException("elf-segment", "no loadable PT_LOAD segment");
        }
        return new ElfImage(b, LittleEndian.u64(b, E_ENTRY), phdrs, sections(b), pstart, pend);
    }

    /** Section headers, used only to find SHT_NOTE and __xen_guest; bad ones are refused, not ignored. */
    private static List<Shdr> sections(byte[] b) throws BuildRefusedException {
        long shoff = LittleEndian.u64(b, E_SHOFF);
        int shnum = LittleEndian.u16(b, E_SHNUM);
        int shentsize = LittleEndian.u16(b, E_SHENTSIZE);
        List<Shdr> out = new ArrayList<>();
        if (shnum == 0) {
            return out;
        }
        if (shentsize != SHDR_SIZE || !within(shoff, (long) shnum * SHDR_SIZE, b.length)) {
            throw new BuildRefusedException("elf-shdr", String.format(
                    "section headers [0x%x, +%d x %d) lie outside the %d-byte file or have the wrong size",
                    shoff, shnum, shentsize, b.length));
        }
        int strndx = LittleEndian.u16(b, E_SHSTRNDX);
        long strOff = -1, strSize = 0;
        if (strndx < shnum) {
            int so = (int) shoff + strndx * SHDR_SIZE;
            strOff = LittleEndian.u64(b, so + SH_OFFSET);
            strSize = LittleEndian.u64(b, so + SH_SIZE);
            if (!within(strOff, strSize, b.length)) {
                strOff = -1;
            }
        }
        for (int i = 0; i < shnum; i++) {
            int o = (int) shoff + i * SHDR_SIZE;
            long nameOff = LittleEndian.u32(b, o + SH_NAME);
            String name = strOff >= 0 && nameOff < strSize
                    ? LittleEndian.cString(b, (int) (strOff + nameOff), (int) (strSize - nameOff)) : "";
            int type = (int) LittleEndian.u32(b, o + SH_TYPE);
            long off = LittleEndian.u64(b, o + SH_OFFSET);
            long size = LittleEndian.u64(b, o + SH_SIZE);
            if (type == SHT_NOTE && !within(off, size, b.length)) {
                throw new BuildRefusedException("elf-shdr", String.format(
                        "SHT_NOTE section %d [0x%x, +0x%x) lies outside the %d-byte file", i, off, size, b.length));
            }
            out.add(new Shdr(name, type, off, size));
        }
        return out;
    }

    static boolean within(long off, long len, long fileLen) {
        return off >= 0 && len >= 0 && off <= fileLen && len <= fileLen - off;
    }
}
