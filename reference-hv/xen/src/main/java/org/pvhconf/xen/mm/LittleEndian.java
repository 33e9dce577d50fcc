package org.pvhconf.xen.mm;

/** Little-endian field access in byte arrays (the ABI is little-endian, §0). */
public final class LittleEndian {
    private LittleEndian() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    public static long u32(byte[] b, int off) {
        return ((b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16
                | (long) (b[off + 3] & 0xFF) << 24) & 0xFFFFFFFFL;
    }

    public static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    public static void put8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Writes {@code s} as bytes (ISO-8859-1) followed by NUL, truncated to {@code max} bytes including the NUL. */
    public static void putCString(byte[] b, int off, String s, int max) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int n = Math.min(bytes.length, max - 1);
        System.arraycopy(bytes, 0, b, off, n);
        b[off + n] = 0;
    }

    /** The NUL-terminated string at {@code off}, reading at most {@code max} bytes. */
    public static String cString(byte[] b, int off, int max) {
        int end = off;
        int limit = Math.min(b.length, off + max);
        while (end < limit && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
