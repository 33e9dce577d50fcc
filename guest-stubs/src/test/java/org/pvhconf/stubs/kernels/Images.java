package org.pvhconf.stubs.kernels;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.pvhconf.stubs.elf.Elf;
import org.pvhconf.stubs.elf.ElfFile;
import org.pvhconf.stubs.elf.XenNote;
import org.pvhconf.stubs.elf.XenNoteType;

/** Reading built kernels in tests: notes by type, bytes at a virtual address. */
final class Images {
    private Images() {
    }

    /** The Xen notes the loader would find first (PT_NOTE), by type name. */
    static Map<String, XenNote> notes(final byte[] elf) {
        Map<String, XenNote> out = new TreeMap<>();
        for (XenNote n : ElfFile.parse(elf).segmentNotes()) {
            XenNoteType t = XenNoteType.of(n.type());
            if (XenNote.XEN.equals(n.name()) && t != null) {
                out.putIfAbsent(t.name(), n);
            }
        }
        return out;
    }

    static ElfFile.ProgramHeader load(final byte[] elf) {
        return ElfFile.parse(elf).programHeaders().stream().filter(p -> p.type() == Elf.PT_LOAD)
                .findFirst().orElseThrow();
    }

    /** {@code length} file bytes at virtual address {@code va} of the first PT_LOAD. */
    static byte[] at(final byte[] elf, final long va, final int length) {
        ElfFile.ProgramHeader p = load(elf);
        long off = p.offset() + (va - p.vaddr());
        if (va < p.vaddr() || va + length > p.vaddr() + p.filesz()) {
            throw new IllegalArgumentException("not in the file part of the segment: " + Long.toHexString(va));
        }
        return Arrays.copyOfRange(elf, (int) off, (int) off + length);
    }

    static long u64(final byte[] b, final int at) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(at);
    }
}
