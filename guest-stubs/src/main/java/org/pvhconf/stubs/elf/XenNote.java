package org.pvhconf.stubs.elf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One ELF note: owner name, type and descriptor bytes (pvh-abi.md §5.1). Any name may be stored, so
 * that a test can write a note that a Xen loader must ignore.
 *
 * @param name the owner name, without its terminating NUL ({@code "Xen"} for Xen notes)
 * @param type the n_type
 * @param desc the descriptor (not copied; treat as immutable)
 */
public record XenNote(String name, int type, byte[] desc) {

    /** The owner name of every note a Xen loader reads. */
    public static final String XEN = "Xen";

    /** The descriptor as a little-endian unsigned value, as libelf reads sizes 1, 2, 4 and 8; other sizes read as 0. */
    public long numeric() {
        return switch (desc.length) {
            case 1, 2, 4, 8 -> {
                long v = 0;
                for (int i = desc.length - 1; i >= 0; i--) {
                    v = v << 8 | (desc[i] & 0xFF);
                }
                yield v;
            }
            default -> 0;
        };
    }

    /** The descriptor as a string: its bytes up to the first NUL. */
    public String string() {
        int end = 0;
        while (end < desc.length && desc[end] != 0) {
            end++;
        }
        return new String(desc, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** True for a note with owner "Xen" and this type. */
    public boolean is(final XenNoteType t) {
        return XEN.equals(name) && type == t.number();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof XenNote n && n.name.equals(name) && n.type == type && Arrays.equals(n.desc, desc);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + type) * 31 + Arrays.hashCode(desc);
    }

    @Override
    public String toString() {
        XenNoteType t = XEN.equals(name) ? XenNoteType.of(type) : null;
        String shown = t != null && t.kind() == XenNoteType.Kind.STRING
                ? '"' + string() + '"' : HexFormat.of().formatHex(desc);
        return name + "/" + (t != null ? t.name() : Integer.toString(type)) + "=" + shown;
    }
}
