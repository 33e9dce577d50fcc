package org.pvhconf.stubs.asm;

/** 32-bit general-purpose registers in encoding order. Writing one zero-extends into the 64-bit register. */
public enum Reg32 implements Gpr {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, R8D, R9D, R10D, R11D, R12D, R13D, R14D, R15D;

    @Override
    public int number() {
        return ordinal();
    }

    @Override
    public int size() {
        return 4;
    }
}
