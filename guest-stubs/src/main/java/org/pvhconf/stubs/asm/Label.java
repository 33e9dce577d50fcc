package org.pvhconf.stubs.asm;

/**
 * A position in assembled code, or any other virtual address. A label is created by an
 * {@link Assembler}, bound exactly once (to the current position with {@link Assembler#bind} or to
 * an address with {@link Assembler#bindAt}) and may be referred to before it is bound; the references
 * are fixed up when the assembler {@linkplain Assembler#finish() finishes}.
 *
 * <p>A label with a name becomes a symbol of the program ({@link Assembler#symbols()}).
 */
public final class Label {
    private final Assembler owner;
    private final String name;
    private final int id;
    private boolean bound;
    private long address;

    Label(final Assembler owner, final String name, final int id) {
        this.owner = owner;
        this.name = name;
        this.id = id;
    }

    /** The symbol name, or null for an anonymous label. */
    public String name() {
        return name;
    }

    public boolean isBound() {
        return bound;
    }

    /**
     * The virtual address this label is bound to.
     *
     * @throws IllegalStateException if the label is not bound yet
     */
    public long address() {
        if (!bound) {
            throw new IllegalStateException("label " + this + " is not bound");
        }
        return address;
    }

    Assembler owner() {
        return owner;
    }

    void bindTo(final long va) {
        if (bound) {
            throw new IllegalStateException("label " + this + " is already bound");
        }
        bound = true;
        address = va;
    }

    @Override
    public String toString() {
        return name != null ? name : ".L" + id;
    }
}
