package org.pvhconf.stubs.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.pvhconf.stubs.asm.Assembler;
import org.pvhconf.stubs.asm.Label;
import org.pvhconf.stubs.elf.Elf;
import org.pvhconf.stubs.elf.ElfWriter;
import org.pvhconf.stubs.elf.NotePlacement;
import org.pvhconf.stubs.elf.XenNotes;

/**
 * What every PVHv1 stub kernel shares: a Linux-like layout, the standard Xen notes, and the knobs that
 * turn a good image into one the domain builder must refuse.
 *
 * <p>Layout: one RWX PT_LOAD at p_paddr {@link #LOAD_PADDR}, virtual {@link #TEXT_VA} (VIRT_BASE
 * {@link #VIRT_BASE}, PADDR_OFFSET 0, §5.2): code and data, then the page-aligned {@code hypercall_page}
 * (4096 bytes of {@code int3}, so a page the builder never wrote traps at once instead of running
 * zeros), then zero-filled bss (memsz > filesz). Everything lives in the top 2 GiB, so any address fits a
 * sign-extended disp32 or imm32.
 *
 * <p>Entry state assumed (§7.1): 64-bit mode, paging on, RSI = start_info VA, RSP = top of a boot stack.
 *
 * <p>Override knobs, applied in this order when {@link #build()} runs: {@link #notes} edits of the
 * default notes, {@link #entryAt} (both e_entry and the ENTRY note), {@link #notePlacement}, and
 * {@link #elf} edits of the ELF writer (damage, machine, truncation).
 *
 * @param <S> the concrete kernel type, returned by the fluent setters
 */
public abstract class PvhKernel<S extends PvhKernel<S>> {
    /** XEN_ELFNOTE_VIRT_BASE, where Linux puts it. */
    public static final long VIRT_BASE = 0xFFFFFFFF80000000L;
    /** The p_paddr of the first byte of the image (PADDR_OFFSET is 0). */
    public static final long LOAD_PADDR = 0x100000;
    /** The virtual address of the first byte of the image. */
    public static final long TEXT_VA = VIRT_BASE + LOAD_PADDR;
    /** The FEATURES note of Linux's PVHv1 kernels: the four the 4.4 builder requests, and more (§5.3). */
    public static final String FEATURES = "!writable_page_tables|pae_pgdir_above_4gb|writable_descriptor_tables"
            + "|auto_translated_physmap|supervisor_mode_kernel|hvm_callback_vector";

    private final List<Consumer<XenNotes>> noteEdits = new ArrayList<>();
    private final List<Consumer<ElfWriter>> elfEdits = new ArrayList<>();
    private final List<Reservation> bss = new ArrayList<>();
    private NotePlacement placement = NotePlacement.SEGMENT_AND_SECTION;
    private Long entryOverride;

    private record Reservation(Label label, int size, int align) {
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Edits the notes after the defaults are set, e.g. {@code n -> n.remove(XenNoteType.FEATURES)}. */
    public S notes(final Consumer<XenNotes> edit) {
        noteEdits.add(edit);
        return self();
    }

    /** Sets e_entry and the ENTRY note to an address of the caller's choosing (for instance outside the kernel). */
    public S entryAt(final long va) {
        entryOverride = va;
        return self();
    }

    /** Where the notes go in the image. */
    public S notePlacement(final NotePlacement where) {
        placement = where;
        return self();
    }

    /** Edits the ELF writer last, e.g. {@code w -> w.damage(ElfWriter.Damage.BAD_MAGIC)}. */
    public S elf(final Consumer<ElfWriter> edit) {
        elfEdits.add(edit);
        return self();
    }

    /**
     * Emits the kernel's code and data. Must bind {@code entry}; may call {@code hypercallPage} with
     * an addend and reserve bss with {@link #bss}.
     */
    protected abstract void emit(Assembler asm, Label entry, Label hypercallPage);

    /** Reserves zero-filled memory after the image; the label is bound when the image is laid out. */
    protected final Label bss(final Assembler asm, final String name, final int size, final int align) {
        Label l = asm.newLabel(name);
        bss.add(new Reservation(l, size, align));
        return l;
    }

    /** Assembles and links the kernel. */
    public final StubImage build() {
        bss.clear();
        Assembler asm = new Assembler(TEXT_VA);
        Label entry = asm.newLabel("entry");
        Label hypercallPage = asm.newLabel("hypercall_page");
        emit(asm, entry, hypercallPage);
        asm.align(GuestAbi.PAGE_SIZE, 0xCC);
        asm.bind(hypercallPage).fill(GuestAbi.PAGE_SIZE, 0xCC);
        long end = asm.address();
        for (Reservation r : bss) {
            end = (end + r.align - 1) & -(long) r.align;
            asm.bindAt(r.label, end);
            end += r.size;
        }
        byte[] code = asm.finish();
        long memsz = end - TEXT_VA;

        XenNotes notes = new XenNotes()
                .guestOs("linux")
                .xenVersion("xen-3.0")
                .virtBase(VIRT_BASE)
                .paddrOffset(0)
                .entry(entry.address())
                .hypercallPage(hypercallPage.address())
                .features(FEATURES)
                .loader("generic");
        noteEdits.forEach(e -> e.accept(notes));
        long entryVa = entry.address();
        if (entryOverride != null) {
            entryVa = entryOverride;
            notes.entry(entryVa);
        }
        ElfWriter w = new ElfWriter()
                .entry(entryVa)
                .load(".text", TEXT_VA, LOAD_PADDR, code, memsz, Elf.PF_R | Elf.PF_W | Elf.PF_X)
                .notes(notes)
                .notePlacement(placement)
                .symbols(asm.symbols());
        elfEdits.forEach(e -> e.accept(w));
        return new StubImage(w.toBytes(), asm.symbols());
    }
}
