package org.pvhconf.stubs.asm;

/** Segment registers in the encoding order of the ModRM.reg field of MOV Sreg (8C/8E). */
public enum SReg {
    ES, CS, SS, DS, FS, GS
}
