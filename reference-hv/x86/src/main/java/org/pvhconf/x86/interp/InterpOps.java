package org.pvhconf.x86.interp;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.sem.Alu;
import org.pvhconf.x86.sem.Env;
import org.pvhconf.x86.sem.Helper;
import org.pvhconf.x86.sem.Ops;
import org.pvhconf.x86.sem.Sys;

/**
 * {@link Ops} evaluated on the spot: a handle is a slot of {@link #t}, reset at each instruction.
 * Register and flag writes go straight to the {@link Cpu}: the {@link Ops} call order guarantees
 * that nothing that can fault follows them, which this class asserts.
 */
final class InterpOps implements Ops {
    private static final int SLOTS = 256;

    private final long[] t = new long[SLOTS];
    private int n;
    private final Env env;
    private final Cpu cpu;
    private DecodedInsn d;
    private long rip;
    /** An architectural write happened in this instruction: no effect may follow (asserted). */
    private boolean wrote;

    InterpOps(Env env) {
        this.env = env;
        this.cpu = env.cpu;
    }

    void begin(DecodedInsn insn) {
        n = 0;
        d = insn;
        rip = cpu.rip;
        wrote = false;
    }

    private int put(long v) {
        t[n] = v;
        return n++;
    }

    private void effect() {
        assert !wrote : "fault-capable op after an architectural write in " + d.form;
    }

    private static long truncate(long v, int size) {
        return switch (size) {
            case 8 -> v & 0xFF;
            case 16 -> v & 0xFFFF;
            case 32 -> v & 0xFFFFFFFFL;
            default -> v;
        };
    }

    @Override
    public int imm(long value) {
        return put(value);
    }

    @Override
    public int reg(int r, int size) {
        if (r >= DecodedInsn.AH) {
            return put((cpu.gpr[r - DecodedInsn.AH] >>> 8) & 0xFF);
        }
        return put(truncate(cpu.gpr[r], size));
    }

    @Override
    public void setReg(int r, int size, int value) {
        wrote = true;
        long v = t[value];
        if (r >= DecodedInsn.AH) {
            int g = r - DecodedInsn.AH;
            cpu.gpr[g] = cpu.gpr[g] & ~0xFF00L | (v & 0xFF) << 8;
            return;
        }
        cpu.gpr[r] = switch (size) {
            case 8 -> cpu.gpr[r] & ~0xFFL | v & 0xFF;
            case 16 -> cpu.gpr[r] & ~0xFFFFL | v & 0xFFFF;
            case 32 -> v & 0xFFFFFFFFL;
            default -> v;
        };
    }

    @Override
    public int flags() {
        return put(cpu.rflags);
    }

    @Override
    public void setFlags(int value, long mask) {
        wrote = true;
        cpu.rflags = cpu.rflags & ~mask | t[value] & mask | 2;
    }

    @Override
    public int rip() {
        return put(rip);
    }

    @Override
    public int nextRip() {
        return put(rip + d.length);
    }

    @Override
    public void jump(int target) {
        wrote = true;
        env.jump(t[target]);
    }

    @Override
    public int load(int seg, int addr, int size) {
        effect();
        return put(env.read(seg, t[addr], size));
    }

    @Override
    public void store(int seg, int addr, int size, int value) {
        effect();
        env.write(seg, t[addr], size, t[value]);
    }

    @Override
    public int alu(Alu op, int a, int b) {
        return put(op.apply(t[a], t[b]));
    }

    @Override
    public int ext(int value, int size, boolean signed) {
        long v = t[value];
        if (size == 64) {
            return put(v);
        }
        int s = 64 - size;
        return put(signed ? (v << s) >> s : (v << s) >>> s);
    }

    @Override
    public int select(int cond, int ifTrue, int ifFalse) {
        return put(t[cond] != 0 ? t[ifTrue] : t[ifFalse]);
    }

    @Override
    public int call(Helper helper, int... args) {
        if (helper.faulting) {
            effect();
        }
        long[] a = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = t[args[i]];
        }
        return put(helper.apply(a));
    }

    @Override
    public void raise(int vector, int errorCode) {
        effect();
        throw new Fault(vector, errorCode, 0);
    }

    @Override
    public void raiseIf(int cond, int vector, int errorCode) {
        effect();
        if (t[cond] != 0) {
            throw new Fault(vector, errorCode, 0);
        }
    }

    @Override
    public int sys(Sys helper, int arg) {
        effect();
        return put(helper.apply(env, d, t[arg]));
    }
}
