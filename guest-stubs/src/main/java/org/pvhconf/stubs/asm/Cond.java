package org.pvhconf.stubs.asm;

/** Condition codes in encoding order: Jcc rel8 is {@code 70+cc}, Jcc rel32 is {@code 0F 80+cc}. */
public enum Cond {
    /** overflow */ O,
    /** no overflow */ NO,
    /** below (unsigned), carry */ B,
    /** above or equal (unsigned), no carry */ AE,
    /** equal, zero */ E,
    /** not equal, not zero */ NE,
    /** below or equal (unsigned) */ BE,
    /** above (unsigned) */ A,
    /** sign */ S,
    /** no sign */ NS,
    /** parity even */ P,
    /** parity odd */ NP,
    /** less (signed) */ L,
    /** greater or equal (signed) */ GE,
    /** less or equal (signed) */ LE,
    /** greater (signed) */ G;

    /** The low nibble of the Jcc/SETcc/CMOVcc opcode. */
    public int code() {
        return ordinal();
    }
}
