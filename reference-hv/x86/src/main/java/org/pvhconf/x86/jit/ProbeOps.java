package org.pvhconf.x86.jit;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.sem.Alu;
import org.pvhconf.x86.sem.Helper;
import org.pvhconf.x86.sem.Ops;
import org.pvhconf.x86.sem.Sys;

/**
 * A dry run of a definition: records what it touches so that the translator can decide whether it
 * compiles the instruction and which guest registers the block keeps in locals. Definitions branch
 * only on the decoded instruction (the {@link Ops} contract), so the dry run sees every call.
 */
final class ProbeOps implements Ops {
    /** Bit r: GPR r is read or written. */
    int regs;
    int regsWritten;
    boolean flags, flagsWritten, jumps, stores, sys, raises, faults;
    /** RFLAGS is read ({@link #flags()}); the RFLAGS bits written ({@link #setFlags}). */
    boolean flagsRead;
    long flagsMask;
    /** The jump's target came from a select: a two-way branch. */
    boolean conditional;
    private int n;
    private final java.util.BitSet selected = new java.util.BitSet();

    void reset() {
        regs = regsWritten = 0;
        flags = flagsWritten = jumps = stores = sys = raises = faults = conditional = flagsRead = false;
        flagsMask = 0;
        n = 0;
        selected.clear();
    }

    private int h() {
        return n++;
    }

    private static int gpr(int r) {
        return r >= DecodedInsn.AH ? r - DecodedInsn.AH : r;
    }

    @Override
    public int imm(long value) {
        return h();
    }

    @Override
    public int reg(int r, int size) {
        regs |= 1 << gpr(r);
        return h();
    }

    @Override
    public void setReg(int r, int size, int value) {
        regs |= 1 << gpr(r);
        regsWritten |= 1 << gpr(r);
    }

    @Override
    public int flags() {
        flags = flagsRead = true;
        return h();
    }

    @Override
    public void setFlags(int value, long mask) {
        flags = flagsWritten = true;
        flagsMask |= mask;
    }

    @Override
    public int rip() {
        return h();
    }

    @Override
    public int nextRip() {
        return h();
    }

    @Override
    public void jump(int target) {
        jumps = true;
        conditional = selected.get(target);
    }

    @Override
    public int load(int seg, int addr, int size) {
        faults = true;
        return h();
    }

    @Override
    public void store(int seg, int addr, int size, int value) {
        faults = stores = true;
    }

    @Override
    public int alu(Alu op, int a, int b) {
        return h();
    }

    @Override
    public int ext(int value, int size, boolean signed) {
        return h();
    }

    @Override
    public int select(int cond, int ifTrue, int ifFalse) {
        int h = h();
        selected.set(h);
        return h;
    }

    @Override
    public int call(Helper helper, int... args) {
        faults |= helper.faulting;
        return h();
    }

    @Override
    public void raise(int vector, int errorCode) {
        raises = true;
    }

    @Override
    public void raiseIf(int cond, int vector, int errorCode) {
        faults = true;
    }

    @Override
    public int sys(Sys helper, int arg) {
        sys = true;
        return h();
    }
}
