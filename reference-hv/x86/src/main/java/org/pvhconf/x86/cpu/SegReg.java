package org.pvhconf.x86.cpu;

/** Segment registers in encoding order (the sreg field of MOV Sreg), then the system segments. */
public enum SegReg {
    ES, CS, SS, DS, FS, GS, LDTR, TR
}
