package org.pvhconf.stubs.asm;

/** 16-bit general-purpose registers in encoding order (operand-size prefix 66). */
public enum Reg16 implements Gpr {
    AX, CX, DX, BX, SP, BP, SI, DI, R8W, R9W, R10W, R11W, R12W, R13W, R14W, R15W;

    @Override
    public int number() {
        return ordinal();
    }

    @Override
    public int size() {
        return 2;
    }
}
