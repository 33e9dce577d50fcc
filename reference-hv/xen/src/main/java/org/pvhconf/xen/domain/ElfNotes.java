package org.pvhconf.xen.domain;

import static org.pvhconf.xen.abi.ElfNote.*;

import org.pvhconf.xen.abi.Elf;
import org.pvhconf.xen.abi.Features;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * The Xen notes of a kernel, read as libelf 4.4 reads them (§5.1–§5.3): PT_NOTE segments first (one at
 * p_offset 0 is skipped), SHT_NOTE sections only if those held no Xen note; name compared as a C string
 * with "Xen"; numeric notes of 1, 2, 4 or 8 bytes, any other size reads 0; unknown types ignored.
 */
final class ElfNotes {
    /** null = the note was absent (libelf's UNSET_ADDR). */
    Long entry, hypercallPage, virtBase, paddrOffset, initP2m;
    String xenVersion = "", guestOs = "", guestVersion = "", loader = "", paeMode = "", features;
    int featuresSupported, featuresRequired;
    int notesSeen;
    boolean legacyGuestSection;

    static ElfNotes read(ElfImage elf) throws BuildRefusedException {
        ElfNotes n = new ElfNotes();
        for (ElfImage.Phdr p : elf.phdrs) {
            if (p.type() == Elf.PT_NOTE && p.offset() != 0) {
                n.scan(elf.bytes, p.offset(), p.filesz());
            }
        }
        if (n.notesSeen == 0) {
            for (ElfImage.Shdr s : elf.shdrs) {
                if (s.type() == Elf.SHT_NOTE) {
                    n.scan(elf.bytes, s.offset(), s.size());
                }
            }
        }
        if (n.notesSeen == 0) {
            for (ElfImage.Shdr s : elf.shdrs) {
                n.legacyGuestSection |= s.name().equals(Elf.XEN_GUEST_SECTION);
            }
        }
        return n;
    }

    /** Notes scanned so far over every container: the cap is a total, as libelf's (§5.1). */
    private int notesScanned;

    int notesScanned() {
        return notesScanned;
    }

    private void scan(byte[] b, long start, long len) throws BuildRefusedException {
        long end = start + len;
        long o = start;
        while (o + Elf.NHDR_SIZE <= end && notesScanned < ELF_MAX_TOTAL_NOTE_COUNT) {
            long namesz = LittleEndian.u32(b, (int) o);
            long descsz = LittleEndian.u32(b, (int) o + 4);
            int type = (int) LittleEndian.u32(b, (int) o + 8);
            long nameOff = o + Elf.NHDR_SIZE;
            long descOff = nameOff + align4(namesz);
            long next = descOff + align4(descsz);
            if (next > end) {
                break; // a note running past its container ends the scan
            }
            notesScanned++;
            String name = LittleEndian.cString(b, (int) nameOff, (int) namesz);
            if (name.equals(XEN_NOTE_NAME)) {
                notesSeen++;
                note(type, b, (int) descOff, (int) descsz);
            }
            o = next;
        }
    }

    private void note(int type, byte[] b, int off, int size) throws BuildRefusedException {
        switch (type) {
            case XEN_ELFNOTE_ENTRY: entry = numeric(b, off, size); break;
            case XEN_ELFNOTE_HYPERCALL_PAGE: hypercallPage = numeric(b, off, size); break;
            case XEN_ELFNOTE_VIRT_BASE: virtBase = numeric(b, off, size); break;
            case XEN_ELFNOTE_PADDR_OFFSET: paddrOffset = numeric(b, off, size); break;
            case XEN_ELFNOTE_INIT_P2M: initP2m = numeric(b, off, size); break;
            case XEN_ELFNOTE_XEN_VERSION: xenVersion = string(b, off, size); break;
            case XEN_ELFNOTE_GUEST_OS: guestOs = string(b, off, size); break;
            case XEN_ELFNOTE_GUEST_VERSION: guestVersion = string(b, off, size); break;
            case XEN_ELFNOTE_LOADER: loader = string(b, off, size); break;
            case XEN_ELFNOTE_PAE_MODE: paeMode = string(b, off, size); break;
            case XEN_ELFNOTE_FEATURES:
                features = string(b, off, size);
                parseFeatures(features);
                break;
            case XEN_ELFNOTE_SUPPORTED_FEATURES:
                // An array of u32: word i is OR-ed into submap i; only submap 0 exists (§4.1).
                if (size >= 4) {
                    featuresSupported |= (int) LittleEndian.u32(b, off);
                }
                break;
            default:
                break; // BSD_SYMTAB, HV_START_LOW, SUSPEND_CANCEL, MOD_START_PFN, unknown: nothing to do here
        }
    }

    /** §5.3: '|'-separated, '!' = required, tokens cut after 63 characters, unknown required = failure. */
    void parseFeatures(String s) throws BuildRefusedException {
        int i = 0;
        while (i < s.length()) {
            int bar = s.indexOf('|', i);
            int tokEnd = bar < 0 ? s.length() : bar;
            if (tokEnd - i > FEATURE_TOKEN_MAX) {
                tokEnd = i + FEATURE_TOKEN_MAX;
            }
            String tok = s.substring(i, tokEnd);
            i = tokEnd < s.length() && s.charAt(tokEnd) == '|' ? tokEnd + 1 : tokEnd;
            if (tok.isEmpty()) {
                continue;
            }
            boolean required = tok.charAt(0) == '!';
            String name = required ? tok.substring(1) : tok;
            int bit = Features.elfFeatureBit(name);
            if (bit < 0) {
                if (required) {
                    throw new BuildRefusedException("notes-features", "FEATURES requires unknown feature '"
                            + name + "' in \"" + s + "\"");
                }
                continue;
            }
            featuresSupported |= 1 << bit;
            if (required) {
                featuresRequired |= 1 << bit;
            }
        }
    }

    private static long numeric(byte[] b, int off, int size) {
        switch (size) {
            case 1: return LittleEndian.u8(b, off);
            case 2: return LittleEndian.u16(b, off);
            case 4: return LittleEndian.u32(b, off);
            case 8: return LittleEndian.u64(b, off);
            default: return 0;
        }
    }

    private static String string(byte[] b, int off, int size) {
        return LittleEndian.cString(b, off, size);
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }
}
