package org.pvhconf.stubs.kernels;

import java.util.Collections;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A built guest kernel: its ELF bytes, and its symbols (name → virtual address) so the harness can
 * find the mailbox, the hypercall page or a message without parsing the ELF.
 */
public final class StubImage {
    private final byte[] elf;
    private final SortedMap<String, Long> symbols;

    public StubImage(final byte[] elf, final SortedMap<String, Long> symbols) {
        this.elf = elf.clone();
        this.symbols = Collections.unmodifiableSortedMap(new TreeMap<>(symbols));
    }

    /** The ELF image (a copy). */
    public byte[] elf() {
        return elf.clone();
    }

    /** Every symbol, sorted by name. */
    public SortedMap<String, Long> symbols() {
        return symbols;
    }

    /**
     * The virtual address of a symbol.
     *
     * @throws NoSuchElementException if the kernel has no such symbol
     */
    public long symbol(final String name) {
        Long va = symbols.get(name);
        if (va == null) {
            throw new NoSuchElementException("no symbol " + name + "; have " + symbols.keySet());
        }
        return va;
    }
}
