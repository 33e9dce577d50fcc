package org.pvhconf.conform.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;
import org.pvhconf.stubs.elf.ElfWriter;
import org.pvhconf.stubs.elf.NotePlacement;
import org.pvhconf.stubs.elf.XenNote;
import org.pvhconf.stubs.elf.XenNoteType;
import org.pvhconf.stubs.kernels.AgentStub;
import org.pvhconf.stubs.kernels.PvhKernel;
import org.pvhconf.stubs.kernels.StubImage;

/** The kernels the scenarios hand to the toolstack: the agent stub and its deliberately broken variants. */
final class Kernels {
    private Kernels() {
    }

    /** A kernel image and what the harness needs to know of it. */
    record Kernel(byte[] elf, long virtBase, Map<String, Long> symbols) {
        long symbol(String name) {
            Long va = symbols.get(name);
            if (va == null) {
                throw new NoSuchElementException("the kernel has no symbol " + name);
            }
            return va;
        }
    }

    static Kernel agent() {
        return agent(UnaryOperator.identity());
    }

    /** The agent stub with the given edits to its builder (notes, placement, ELF damage). */
    static Kernel agent(UnaryOperator<AgentStub> edit) {
        StubImage image = edit.apply(new AgentStub()).build();
        return new Kernel(image.elf(), PvhKernel.VIRT_BASE, image.symbols());
    }

    static Kernel withFeatures(String features) {
        return agent(a -> a.notes(n -> n.features(features)));
    }

    static Kernel withSupportedFeaturesOnly(int submap0) {
        return agent(a -> a.notes(n -> n.remove(XenNoteType.FEATURES).supportedFeatures(submap0)));
    }

    static Kernel withXenVersion(String v) {
        return agent(a -> a.notes(n -> n.xenVersion(v)));
    }

    static Kernel withLoaderAndGuestOs(String loader, String guestOs) {
        return agent(a -> a.notes(n -> n.loader(loader).guestOs(guestOs)));
    }

    static Kernel withPlacement(NotePlacement placement) {
        return agent(a -> a.notePlacement(placement));
    }

    static Kernel withNotesNamed(String name) {
        return agent(a -> a.notes(n -> {
            List<XenNote> all = new ArrayList<>(n.notes());
            n.clear();
            for (XenNote x : all) {
                n.add(new XenNote(name, x.type(), x.desc()));
            }
        }));
    }

    /** The ENTRY note holding the real entry address, but in a 4-byte descriptor (so it reads truncated). */
    static Kernel withFourByteEntryNote() {
        long entry = agent().symbol("entry");
        return agent(a -> a.notes(n -> n.numeric(XenNoteType.ENTRY, entry, 4)));
    }

    static Kernel withEntryNote(long va) {
        return agent(a -> a.notes(n -> n.entry(va)));
    }

    static Kernel withPaddrOffset(long offset) {
        return agent(a -> a.notes(n -> n.paddrOffset(offset)));
    }

    static Kernel withElf(java.util.function.Consumer<ElfWriter> edit) {
        return agent(a -> a.elf(edit));
    }
}
