package org.pvhconf.stubs.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A builder for a kernel's {@code "Xen"} ELF notes (pvh-abi.md §5.1, §5.2), in the order they will
 * appear in the image.
 *
 * <p>The typed setters ({@link #entry}, {@link #features}, …) <em>replace</em> any Xen note of the same
 * type, so a caller can start from a kernel's defaults and override one note. {@link #add} appends
 * unconditionally: duplicates, foreign owner names and malformed descriptors are allowed on purpose,
 * because the loader's refusal paths need such images.
 *
 * <p>Numeric notes are written as 8-byte descriptors unless a size is given; the loader reads 1, 2, 4
 * and 8 bytes alike (§5.1).
 */
public final class XenNotes {
    private final List<XenNote> notes = new ArrayList<>();

    /** Every note, in image order. */
    public List<XenNote> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** A copy that can be changed without changing this one. */
    public XenNotes copy() {
        XenNotes c = new XenNotes();
        c.notes.addAll(notes);
        return c;
    }

    /** The first Xen note of this type. */
    public Optional<XenNote> find(final XenNoteType type) {
        return notes.stream().filter(n -> n.is(type)).findFirst();
    }

    // ---- raw access ----

    /** Appends a note as given, whatever its name, type or descriptor. */
    public XenNotes add(final XenNote note) {
        notes.add(note);
        return this;
    }

    /** Removes every Xen note of this type. */
    public XenNotes remove(final XenNoteType type) {
        notes.removeIf(n -> n.is(type));
        return this;
    }

    /** Removes every note. */
    public XenNotes clear() {
        notes.clear();
        return this;
    }

    /** Sets a Xen note: replaces the first one of its type in place (dropping later ones), else appends. */
    public XenNotes set(final XenNoteType type, final byte[] desc) {
        XenNote note = new XenNote(XenNote.XEN, type.number(), desc);
        int at = -1;
        for (int i = 0; i < notes.size(); i++) {
            if (notes.get(i).is(type)) {
                at = i;
                break;
            }
        }
        remove(type);
        if (at < 0 || at > notes.size()) {
            notes.add(note);
        } else {
            notes.add(at, note);
        }
        return this;
    }

    /** Sets a numeric Xen note with an 8-byte descriptor. */
    public XenNotes numeric(final XenNoteType type, final long value) {
        return numeric(type, value, 8);
    }

    /** Sets a numeric Xen note with a descriptor of {@code size} little-endian bytes (any size, for tests). */
    public XenNotes numeric(final XenNoteType type, final long value, final int size) {
        byte[] d = new byte[size];
        for (int i = 0; i < size && i < 8; i++) {
            d[i] = (byte) (value >>> (8 * i));
        }
        return set(type, d);
    }

    /** Sets a string Xen note (NUL-terminated, as the kernel's assembler would emit it). */
    public XenNotes string(final XenNoteType type, final String value) {
        byte[] s = value.getBytes(StandardCharsets.ISO_8859_1);
        byte[] d = new byte[s.length + 1];
        System.arraycopy(s, 0, d, 0, s.length);
        return set(type, d);
    }

    /** Sets an array note of little-endian u32 words. */
    public XenNotes words(final XenNoteType type, final int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return set(type, b.array());
    }

    /** Sets an array note of little-endian u64 words. */
    public XenNotes quads(final XenNoteType type, final long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return set(type, b.array());
    }

    // ---- one setter per §5.2 type ----

    /** XEN_ELFNOTE_ENTRY (1): the virtual entry address. */
    public XenNotes entry(final long va) {
        return numeric(XenNoteType.ENTRY, va);
    }

    /** XEN_ELFNOTE_HYPERCALL_PAGE (2): the virtual address of a page-aligned page inside the image. */
    public XenNotes hypercallPage(final long va) {
        return numeric(XenNoteType.HYPERCALL_PAGE, va);
    }

    /** XEN_ELFNOTE_VIRT_BASE (3): where pfn 0 is mapped. */
    public XenNotes virtBase(final long va) {
        return numeric(XenNoteType.VIRT_BASE, va);
    }

    /** XEN_ELFNOTE_PADDR_OFFSET (4). */
    public XenNotes paddrOffset(final long offset) {
        return numeric(XenNoteType.PADDR_OFFSET, offset);
    }

    /** XEN_ELFNOTE_XEN_VERSION (5): must start with "xen-3.0". */
    public XenNotes xenVersion(final String s) {
        return string(XenNoteType.XEN_VERSION, s);
    }

    /** XEN_ELFNOTE_GUEST_OS (6). */
    public XenNotes guestOs(final String s) {
        return string(XenNoteType.GUEST_OS, s);
    }

    /** XEN_ELFNOTE_GUEST_VERSION (7). */
    public XenNotes guestVersion(final String s) {
        return string(XenNoteType.GUEST_VERSION, s);
    }

    /** XEN_ELFNOTE_LOADER (8). */
    public XenNotes loader(final String s) {
        return string(XenNoteType.LOADER, s);
    }

    /** XEN_ELFNOTE_PAE_MODE (9). */
    public XenNotes paeMode(final String s) {
        return string(XenNoteType.PAE_MODE, s);
    }

    /** XEN_ELFNOTE_FEATURES (10): '|'-separated, '!' marks a required feature (§5.3). */
    public XenNotes features(final String s) {
        return string(XenNoteType.FEATURES, s);
    }

    /** XEN_ELFNOTE_BSD_SYMTAB (11). */
    public XenNotes bsdSymtab(final String s) {
        return string(XenNoteType.BSD_SYMTAB, s);
    }

    /** XEN_ELFNOTE_HV_START_LOW (12). */
    public XenNotes hvStartLow(final long va) {
        return numeric(XenNoteType.HV_START_LOW, va);
    }

    /** XEN_ELFNOTE_L1_MFN_VALID (13): mask/value pairs. */
    public XenNotes l1MfnValid(final long... maskValuePairs) {
        return quads(XenNoteType.L1_MFN_VALID, maskValuePairs);
    }

    /** XEN_ELFNOTE_SUSPEND_CANCEL (14). */
    public XenNotes suspendCancel(final long value) {
        return numeric(XenNoteType.SUSPEND_CANCEL, value);
    }

    /** XEN_ELFNOTE_INIT_P2M (15). */
    public XenNotes initP2m(final long va) {
        return numeric(XenNoteType.INIT_P2M, va);
    }

    /** XEN_ELFNOTE_MOD_START_PFN (16). */
    public XenNotes modStartPfn(final long value) {
        return numeric(XenNoteType.MOD_START_PFN, value);
    }

    /** XEN_ELFNOTE_SUPPORTED_FEATURES (17): word i is OR-ed into supported submap i. */
    public XenNotes supportedFeatures(final int... submaps) {
        return words(XenNoteType.SUPPORTED_FEATURES, submaps);
    }

    /** XEN_ELFNOTE_PHYS32_ENTRY (18): a u32 physical entry point (PVHv2). */
    public XenNotes phys32Entry(final int pa) {
        return numeric(XenNoteType.PHYS32_ENTRY, pa & 0xFFFFFFFFL, 4);
    }

    /** XEN_ELFNOTE_PHYS32_RELOC (19): alignment, minimum, maximum (up to three u32). */
    public XenNotes phys32Reloc(final int... values) {
        return words(XenNoteType.PHYS32_RELOC, values);
    }

    // ---- encoding ----

    /** The notes as the contents of a note segment: each header is namesz, descsz, type; name and desc padded to 4. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (XenNote n : notes) {
            byte[] name = (n.name() + "\0").getBytes(StandardCharsets.ISO_8859_1);
            writeU32(out, name.length);
            writeU32(out, n.desc().length);
            writeU32(out, n.type());
            out.writeBytes(name);
            out.writeBytes(new byte[pad4(name.length)]);
            out.writeBytes(n.desc());
            out.writeBytes(new byte[pad4(n.desc().length)]);
        }
        return out.toByteArray();
    }

    /**
     * Parses note bytes (a PT_NOTE segment's or SHT_NOTE section's contents).
     *
     * @throws IllegalArgumentException if a note runs past the end
     */
    public static List<XenNote> decode(final byte[] bytes, final int offset, final int length) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        List<XenNote> out = new ArrayList<>();
        while (b.remaining() >= 12) {
            int namesz = b.getInt();
            int descsz = b.getInt();
            int type = b.getInt();
            long need = (long) namesz + pad4(namesz) + descsz;
            if (namesz < 0 || descsz < 0 || need > b.remaining()) {
                throw new IllegalArgumentException("note at offset " + (b.position() - 12) + " runs past the end");
            }
            byte[] name = new byte[namesz];
            b.get(name);
            b.position(b.position() + pad4(namesz));
            byte[] desc = new byte[descsz];
            b.get(desc);
            b.position(Math.min(b.limit(), b.position() + pad4(descsz)));
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            out.add(new XenNote(new String(name, 0, end, StandardCharsets.ISO_8859_1), type, desc));
        }
        return out;
    }

    /** Parses what {@link #encode} wrote into a new builder. */
    public static XenNotes parse(final byte[] bytes) {
        XenNotes n = new XenNotes();
        n.notes.addAll(decode(bytes, 0, bytes.length));
        return n;
    }

    private static int pad4(final int n) {
        return -n & 3;
    }

    private static void writeU32(final ByteArrayOutputStream out, final int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    @Override
    public String toString() {
        return notes.toString();
    }
}
