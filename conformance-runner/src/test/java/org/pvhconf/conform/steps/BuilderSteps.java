package org.pvhconf.conform.steps;

import io.cucumber.java.en.Given;
import org.pvhconf.stubs.elf.ElfWriter.Damage;
import org.pvhconf.stubs.elf.NotePlacement;

/** The kernels given to the toolstack: the agent stub and its variants (§5). */
public final class BuilderSteps {

    private final GuestSession session;

    public BuilderSteps(GuestSession session) {
        this.session = session;
    }

    @Given("the agent stub with its usual Xen notes")
    public void usual() {
        session.kernel(Kernels.agent());
    }

    @Given("the agent stub whose FEATURES note is {string}")
    public void features(String features) {
        session.kernel(Kernels.withFeatures(features));
    }

    @Given("the agent stub with no FEATURES note and a SUPPORTED_FEATURES note of {value}")
    public void supportedFeatures(Long submap0) {
        session.kernel(Kernels.withSupportedFeaturesOnly((int) (long) submap0));
    }

    @Given("the agent stub whose XEN_VERSION note is {string}")
    public void xenVersion(String v) {
        session.kernel(Kernels.withXenVersion(v));
    }

    @Given("the agent stub whose LOADER note is {string} and GUEST_OS note is {string}")
    public void loaderAndGuestOs(String loader, String guestOs) {
        session.kernel(Kernels.withLoaderAndGuestOs(loader, guestOs));
    }

    @Given("the agent stub with no Xen notes")
    public void noNotes() {
        session.kernel(Kernels.withPlacement(NotePlacement.NONE));
    }

    @Given("the agent stub whose notes are named {string}")
    public void notesNamed(String name) {
        session.kernel(Kernels.withNotesNamed(name));
    }

    @Given("the agent stub with its Xen notes only in a SHT_NOTE section")
    public void sectionOnly() {
        session.kernel(Kernels.withPlacement(NotePlacement.SECTION_ONLY));
    }

    @Given("the agent stub whose PT_NOTE header has p_offset 0")
    public void zeroOffsetSegment() {
        session.kernel(Kernels.withPlacement(NotePlacement.ZERO_OFFSET_SEGMENT_AND_SECTION));
    }

    @Given("the agent stub whose ENTRY note is the entry address in a 4-byte descriptor")
    public void fourByteEntry() {
        session.kernel(Kernels.withFourByteEntryNote());
    }

    @Given("the agent stub whose ENTRY note points past the end of the kernel")
    public void entryPastEnd() {
        long end = Kernels.agent().symbols().values().stream().mapToLong(Long::longValue).max().orElseThrow();
        session.kernel(Kernels.withEntryNote(end + 0x100000));
    }

    @Given("the agent stub whose ENTRY note names its alternate entry point")
    public void alternateEntry() {
        session.kernel(Kernels.withEntryNote(Kernels.agent().symbol("entry_alt")));
    }

    @Given("the agent stub whose PADDR_OFFSET note is {value}, above its lowest p_paddr")
    public void paddrOffset(Long offset) {
        session.kernel(Kernels.withPaddrOffset(offset));
    }

    @Given("a 32-bit ELF image")
    public void elf32() {
        session.kernel(Kernels.withElf(w -> w.damage(Damage.ELFCLASS32)));
    }

    @Given("an ELF image for machine {int} \\(AArch64)")
    public void otherMachine(int machine) {
        session.kernel(Kernels.withElf(w -> w.machine(machine)));
    }

    @Given("a file that is not an ELF image")
    public void notElf() {
        session.kernel(Kernels.withElf(w -> w.damage(Damage.BAD_MAGIC)));
    }

    @Given("the agent stub cut short after {int} bytes")
    public void truncated(int bytes) {
        session.kernel(Kernels.withElf(w -> w.truncate(bytes)));
    }
}
