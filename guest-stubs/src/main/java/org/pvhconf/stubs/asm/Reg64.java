package org.pvhconf.stubs.asm;

/** 64-bit general-purpose registers in encoding order. */
public enum Reg64 implements Gpr {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;

    @Override
    public int number() {
        return ordinal();
    }

    @Override
    public int size() {
        return 8;
    }
}
