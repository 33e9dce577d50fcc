package org.pvhconf.xen.abi;

/** The ELF64 structures libelf reads ({@code libelf/elfstructs.h}): just what the builder needs (§5). */
public final class Elf {
    private Elf() {
    }

    public static final int EI_NIDENT = 16;
    public static final byte[] ELFMAG = {0x7F, 'E', 'L', 'F'};
    public static final int EI_CLASS = 4, EI_DATA = 5;
    public static final int ELFCLASS32 = 1, ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ET_EXEC = 2, ET_DYN = 3;
    public static final int EM_386 = 3, EM_X86_64 = 62;

    /** Elf64_Ehdr (64). */
    public static final int EHDR_SIZE = 64;
    public static final int E_TYPE = 16, E_MACHINE = 18, E_ENTRY = 24, E_PHOFF = 32, E_SHOFF = 40,
            E_PHENTSIZE = 54, E_PHNUM = 56, E_SHENTSIZE = 58, E_SHNUM = 60, E_SHSTRNDX = 62;

    /** Elf64_Phdr (56). */
    public static final int PHDR_SIZE = 56;
    public static final int P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_PADDR = 24, P_FILESZ = 32,
            P_MEMSZ = 40;
    public static final int PT_LOAD = 1, PT_NOTE = 4;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /** Elf64_Shdr (64). */
    public static final int SHDR_SIZE = 64;
    public static final int SH_NAME = 0, SH_TYPE = 4, SH_OFFSET = 24, SH_SIZE = 32;
    public static final int SHT_NOTE = 7;

    /** Elf64_Nhdr (12): namesz, descsz, type; name and desc padded to 4. */
    public static final int NHDR_SIZE = 12;

    /** The legacy section consulted when there are no notes (§5.4). */
    public static final String XEN_GUEST_SECTION = "__xen_guest";
}
