package org.pvhconf.xen.testutil;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.VmExit;

/**
 * A stand-in for the interpreter: each step retires some instructions, may change registers, then
 * exits. When the script is empty it retires the whole budget and exits with BUDGET. It also counts
 * TLB flushes, so tests can see that p2m changes flush.
 */
public final class ScriptedEngine implements Cpu.Engine {
    public record Step(long retire, Consumer<Cpu> setup, VmExit exit) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    public int flushes;

    public ScriptedEngine then(long retire, Consumer<Cpu> setup, VmExit exit) {
        steps.add(new Step(retire, setup, exit));
        return this;
    }

    @Override
    public VmExit run(Cpu cpu, long budget) {
        Step s = steps.poll();
        if (s == null) {
            cpu.retire(budget);
            return VmExit.of(VmExit.Reason.BUDGET);
        }
        long n = Math.min(budget, s.retire());
        cpu.retire(n);
        if (n < s.retire()) {
            steps.addFirst(new Step(s.retire() - n, s.setup(), s.exit()));
            return VmExit.of(VmExit.Reason.BUDGET);
        }
        if (s.setup() != null) {
            s.setup().accept(cpu);
        }
        return s.exit();
    }

    @Override
    public void flush(Cpu cpu) {
        flushes++;
    }

    @Override
    public void flushPage(Cpu cpu, long linear) {
        flushes++;
    }
}
