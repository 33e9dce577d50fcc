package org.pvhconf.stubs.elf;

/**
 * The ELF64 constants this package writes and reads (System V gABI and the x86-64 psABI). Facts,
 * declared here so that the module depends on nothing.
 */
public final class Elf {
    private Elf() {
    }

    public static final int EHDR_SIZE = 64;
    public static final int PHDR_SIZE = 56;
    public static final int SHDR_SIZE = 64;
    public static final int SYM_SIZE = 24;

    // e_ident
    public static final int EI_CLASS = 4;
    public static final int EI_DATA = 5;
    public static final int EI_VERSION = 6;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int EV_CURRENT = 1;

    // e_type, e_machine
    public static final int ET_EXEC = 2;
    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    // p_type, p_flags
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    // sh_type, sh_flags, special indices
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final long SHF_WRITE = 1;
    public static final long SHF_ALLOC = 2;
    public static final long SHF_EXECINSTR = 4;
    public static final int SHN_ABS = 0xFFF1;

    // st_info
    public static final int STB_GLOBAL = 1;
    public static final int STT_NOTYPE = 0;
}
