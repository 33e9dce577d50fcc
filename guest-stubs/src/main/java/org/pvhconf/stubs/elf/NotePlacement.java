package org.pvhconf.stubs.elf;

/**
 * Where {@link ElfWriter} puts the note bytes. The 4.4 loader looks in PT_NOTE program headers first
 * (skipping one whose p_offset is 0), then in SHT_NOTE sections (pvh-abi.md §5.1); the variants let a
 * test exercise each step of that search.
 */
public enum NotePlacement {
    /** A PT_NOTE segment and a SHT_NOTE section over the same bytes: what a linker produces. */
    SEGMENT_AND_SECTION(true, true, false),
    /** Only a PT_NOTE segment (a stripped image with no section headers for notes). */
    SEGMENT_ONLY(true, false, false),
    /** Only a SHT_NOTE section: the loader must fall back to sections. */
    SECTION_ONLY(false, true, false),
    /** A PT_NOTE segment whose p_offset is 0, and no section: the loader skips it and finds no notes. */
    ZERO_OFFSET_SEGMENT(true, false, true),
    /** A PT_NOTE with p_offset 0 plus the SHT_NOTE section: the loader skips the segment, uses the section. */
    ZERO_OFFSET_SEGMENT_AND_SECTION(true, true, true),
    /** Neither: the note bytes are not written at all, whatever the notes builder holds. */
    NONE(false, false, false);

    private final boolean segment;
    private final boolean section;
    private final boolean zeroOffset;

    NotePlacement(final boolean segment, final boolean section, final boolean zeroOffset) {
        this.segment = segment;
        this.section = section;
        this.zeroOffset = zeroOffset;
    }

    public boolean segment() {
        return segment;
    }

    public boolean section() {
        return section;
    }

    public boolean zeroOffset() {
        return zeroOffset;
    }
}
