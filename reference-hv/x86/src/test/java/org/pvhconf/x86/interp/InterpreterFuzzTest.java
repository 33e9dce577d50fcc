package org.pvhconf.x86.interp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.testing.TestMachine;

/**
 * Coverage-guided fuzzing of the whole CPU over raw instruction bytes: any byte sequence, in 64-bit
 * mode or 32-bit protected mode, at CPL 0 or 3, with random registers and a few control-register variations, must run to a {@link VmExit}
 * without a Java exception (assertions on, so the {@code Ops} call-order checks are fuzzed too).
 * A decode or execute failure must be a guest exception, delivered through the test IDT.
 *
 * <p>A plain {@code mvn test} replays the corpus in
 * {@code src/test/resources/org/pvhconf/x86/interp/InterpreterFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes (see the README).
 */
class InterpreterFuzzTest {
    private static final long CODE = 0x10000;

    @FuzzTest(maxDuration = "60s")
    void rawBytes_neverThrowJavaExceptions(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 15);
        TestMachine m = (mode & 8) != 0 ? new TestMachine().withProtectedMode32() : new TestMachine().withDescriptorTables();
        for (int i = 0; i < 16; i++) {
            if (i != 4) {
                m.cpu.gpr[i] = data.consumeBoolean() ? data.consumeLong() : data.consumeInt(-0x100, 0x20000);
            }
        }
        m.cpu.rflags = 0x2 | data.consumeLong() & 0xCD5 | ((mode & 4) != 0 ? 0x200 : 0);
        if ((mode & 2) != 0) {
            m.cpu.cr4 |= 1 << 18 | 1 << 9; // OSXSAVE, OSFXSR
            m.cpu.cr0 |= 1 << 16; // WP
        }
        byte[] code = data.consumeRemainingAsBytes();
        m.write(CODE, code);
        m.cpu.rip = CODE;
        if ((mode & 9) == 9) {
            m.cpu.segment(SegReg.CS).set(TestMachine.USER_CODE32, 0, 0xFFFFFFFF, 0xC0FB);
            m.cpu.segment(SegReg.SS).set(TestMachine.USER_DATA32, 0, 0xFFFFFFFF, 0xC0F3);
            m.cpu.gpr[4] = 0x70000;
        } else if ((mode & 1) != 0) {
            m.setPte(CODE, CODE | 0x67);
            m.enterUser(CODE, 0x70000);
            m.cpu.segment(SegReg.DS).set(TestMachine.USER_DS, 0, 0xFFFFFFFF, 0xC0F3);
        }
        for (int exits = 0; exits < 8; exits++) {
            VmExit e = m.run(200);
            switch (e.reason()) {
                case BUDGET, INTERRUPT_WINDOW, TRIPLE_FAULT -> {
                    return;
                }
                case EPT_VIOLATION -> {
                    return; // the test p2m maps everything it can: an EPT violation ends the run
                }
                default -> {
                    if (e.instructionLength() > 0) {
                        m.cpu.rip += e.instructionLength(); // complete the instruction as a hypervisor would
                    } else {
                        return;
                    }
                }
            }
        }
    }
}
