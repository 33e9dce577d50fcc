package org.pvhconf.x86.cpu;

/**
 * A segment register's visible selector and hidden descriptor cache.
 *
 * <p>{@code ar} uses the VMCS access-rights layout: type in bits 3:0, S 4, DPL 6:5, P 7, AVL 12,
 * L 13, D/B 14, G 15, and bit 16 "unusable".
 */
public final class Segment {
    public int selector;
    public long base;
    public int limit;
    public int ar;

    public Segment set(int selector, long base, int limit, int ar) {
        this.selector = selector;
        this.base = base;
        this.limit = limit;
        this.ar = ar;
        return this;
    }

    public int dpl() {
        return (ar >>> 5) & 3;
    }

    public boolean longMode() {
        return (ar & (1 << 13)) != 0;
    }

    public boolean defaultBig() {
        return (ar & (1 << 14)) != 0;
    }

    public void copyFrom(Segment other) {
        set(other.selector, other.base, other.limit, other.ar);
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%x limit=%x ar=%04x", selector, base, limit, ar);
    }
}
