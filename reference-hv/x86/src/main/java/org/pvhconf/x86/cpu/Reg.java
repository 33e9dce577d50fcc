package org.pvhconf.x86.cpu;

/** General-purpose registers in encoding order (the ModRM/REX number is the ordinal). */
public enum Reg {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;

    private static final Reg[] BY_NUMBER = values();

    public static Reg of(int number) {
        return BY_NUMBER[number];
    }
}
