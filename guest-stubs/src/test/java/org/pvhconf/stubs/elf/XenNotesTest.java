package org.pvhconf.stubs.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The note format of pvh-abi.md §5.1, written and read back. */
class XenNotesTest {

    /** One note of every §5.2 type, each with its own kind of descriptor. */
    private static XenNotes everyType() {
        return new XenNotes()
                .entry(0xFFFFFFFF80100000L).hypercallPage(0xFFFFFFFF80101000L).virtBase(0xFFFFFFFF80000000L)
                .paddrOffset(0).xenVersion("xen-3.0").guestOs("linux").guestVersion("2.6").loader("generic")
                .paeMode("yes").features("!writable_page_tables|hvm_callback_vector").bsdSymtab("yes")
                .hvStartLow(0xF5800000L).l1MfnValid(1, 1).suspendCancel(1).initP2m(0xFFFFEA0000000000L)
                .modStartPfn(1).supportedFeatures(0x1F).phys32Entry(0x100000).phys32Reloc(0x200000, 0x1000000)
                .add(new XenNote(XenNote.XEN, XenNoteType.INFO.number(), new byte[0]));
    }

    /** encode then parse gives back every note, in order, byte for byte. */
    @Test
    void parse_encodedNotes_roundTrips() {
        XenNotes notes = everyType();
        assertEquals(notes.notes(), XenNotes.parse(notes.encode()).notes());
        assertEquals(XenNoteType.values().length, notes.notes().size());
    }

    /** Header: namesz counts the NUL ("Xen\0" = 4), descsz is unpadded, the descriptor is padded to 4. */
    @Test
    void encode_stringNote_hasElfNoteLayout() {
        byte[] b = new XenNotes().guestOs("linux").encode();
        byte[] expected = {4, 0, 0, 0, 6, 0, 0, 0, 6, 0, 0, 0, 'X', 'e', 'n', 0, 'l', 'i', 'n', 'u', 'x', 0, 0, 0};
        assertEquals(Arrays.toString(expected), Arrays.toString(b));
    }

    /** A loader reads 4- and 8-byte numeric descriptors alike; other sizes read as 0 (§5.1). */
    @Test
    void numeric_descriptorSizes_readAsLibelfDoes() {
        XenNotes n = new XenNotes().numeric(XenNoteType.ENTRY, 0x80100000L, 4)
                .numeric(XenNoteType.HYPERCALL_PAGE, 0xFFFFFFFF80101000L, 8)
                .numeric(XenNoteType.VIRT_BASE, 0x123456L, 3);
        List<XenNote> back = XenNotes.parse(n.encode()).notes();
        assertEquals(4, back.get(0).desc().length);
        assertEquals(0x80100000L, back.get(0).numeric());
        assertEquals(0xFFFFFFFF80101000L, back.get(1).numeric());
        assertEquals(0, back.get(2).numeric());
    }

    /** Typed setters replace a note of the same type in place, so overrides keep the order. */
    @Test
    void set_existingType_replacesInPlace() {
        XenNotes n = new XenNotes().guestOs("linux").xenVersion("xen-3.0").loader("generic");
        n.xenVersion("xen-4.0");
        assertEquals("[Xen/GUEST_OS=\"linux\", Xen/XEN_VERSION=\"xen-4.0\", Xen/LOADER=\"generic\"]",
                n.notes().toString());
    }

    /** add() keeps duplicates and foreign owners, which a loader must skip (§5.1). */
    @Test
    void add_foreignOwner_isKeptAndNotMatchedAsXen() {
        XenNotes n = new XenNotes().add(new XenNote("Xem", XenNoteType.ENTRY.number(), new byte[8]));
        List<XenNote> back = XenNotes.parse(n.encode()).notes();
        assertEquals("Xem", back.get(0).name());
        assertEquals(false, back.get(0).is(XenNoteType.ENTRY));
        assertEquals(true, n.find(XenNoteType.ENTRY).isEmpty());
    }

    @Test
    void decode_noteRunningPastEnd_throws() {
        byte[] b = Arrays.copyOf(new XenNotes().guestOs("linux").encode(), 18);
        assertThrows(IllegalArgumentException.class, () -> XenNotes.decode(b, 0, b.length));
    }

    @Test
    void remove_type_dropsEveryXenNoteOfIt() {
        XenNotes n = new XenNotes().features("a").add(new XenNote(XenNote.XEN, 10, new byte[]{'b', 0}));
        assertEquals(0, n.remove(XenNoteType.FEATURES).notes().size());
    }
}
