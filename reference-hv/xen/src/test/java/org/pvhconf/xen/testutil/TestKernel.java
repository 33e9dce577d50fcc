package org.pvhconf.xen.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small ELF64 writer for tests, independent of the code under test: one PT_LOAD at file offset
 * 0x1000 (p_paddr 0, p_vaddr = virt base) and one PT_NOTE holding the notes added. Every field can be
 * spoiled afterwards through {@link #bytes()} and the offsets below.
 */
public final class TestKernel {
    public static final long VIRT_BASE = 0xFFFFFFFF80000000L;
    public static final int PHDR_OFF = 64, NOTES_OFF = 0x200, LOAD_OFF = 0x1000;

    private final List<byte[]> notes = new ArrayList<>();
    private byte[] code = new byte[0x2000];
    private long memsz = 0x2000;
    private long entry = VIRT_BASE;
    private boolean noteSegment = true;
    private long noteOffsetOverride = -1;

    /** A kernel with the notes of a PVH Linux: Xen version, guest OS, virt base, entry, the PVH features, hypercall page. */
    public static TestKernel pvh() {
        return new TestKernel().note(5, "xen-3.0").note(6, "linux").note(3, VIRT_BASE).note(4, 0L)
                .note(1, VIRT_BASE)
                .note(10, "!writable_page_tables|writable_descriptor_tables|auto_translated_physmap"
                        + "|supervisor_mode_kernel|hvm_callback_vector")
                .note(2, VIRT_BASE + 0x1000);
    }

    public TestKernel note(int type, String s) {
        byte[] d = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        return rawNote("Xen", type, d);
    }

    public TestKernel note(int type, long v) {
        return rawNote("Xen", type, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    public TestKernel rawNote(String name, int type, byte[] desc) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + pad(n.length) + pad(desc.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n.length).putInt(desc.length).putInt(type).put(n);
        b.position(12 + pad(n.length));
        b.put(desc);
        notes.add(b.array());
        return this;
    }

    /** Drops every note of this type added so far. */
    public TestKernel without(int type) {
        notes.removeIf(n -> ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).getInt(8) == type);
        return this;
    }

    public TestKernel code(byte[] c) {
        code = c;
        memsz = Math.max(memsz, c.length);
        return this;
    }

    public TestKernel entry(long e) {
        entry = e;
        return this;
    }

    public TestKernel noNoteSegment() {
        noteSegment = false;
        return this;
    }

    public TestKernel noteSegmentAtOffsetZero() {
        noteOffsetOverride = 0;
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream notesOut = new ByteArrayOutputStream();
        for (byte[] n : notes) {
            notesOut.writeBytes(n);
        }
        byte[] nb = notesOut.toByteArray();
        int phnum = noteSegment ? 2 : 1;
        ByteBuffer b = ByteBuffer.allocate(LOAD_OFF + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(entry).putLong(PHDR_OFF).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum).putShort((short) 64)
                .putShort((short) 0).putShort((short) 0);
        b.position(PHDR_OFF);
        b.putInt(1).putInt(7).putLong(LOAD_OFF).putLong(VIRT_BASE).putLong(0).putLong(code.length).putLong(memsz)
                .putLong(0x1000);
        if (noteSegment) {
            long off = noteOffsetOverride >= 0 ? noteOffsetOverride : NOTES_OFF;
            b.putInt(4).putInt(4).putLong(off).putLong(0).putLong(0).putLong(nb.length).putLong(nb.length).putLong(4);
        }
        b.position(NOTES_OFF);
        b.put(nb);
        b.position(LOAD_OFF);
        b.put(code);
        return b.array();
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }
}
