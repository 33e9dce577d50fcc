package org.pvhconf.stubs.asm;

/** The control registers that MOV to/from CRn (0F 20 / 0F 22) accepts in long mode. */
public enum CReg {
    CR0(0), CR2(2), CR3(3), CR4(4), CR8(8);

    private final int number;

    CReg(final int number) {
        this.number = number;
    }

    /** The register number; 8 needs REX.R. */
    public int number() {
        return number;
    }
}
