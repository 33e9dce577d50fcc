package org.pvhconf.stubs.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;

/**
 * The hello stub run on pvhconf's own CPU, with this test playing the hypervisor for two hypercalls.
 * Runs on the CPU's interpreter, without a hypervisor: the test plays the VMCALL exits itself.
 */
class HelloStubCpuTest {

    /** The stub exits with console_io(CONSOLEIO_write, len, msg), then sched_op(SCHEDOP_shutdown, &{0}). */
    @Test
    void run_helloStub_makesConsoleThenShutdownHypercalls() {
        PvhTestMachine m = new PvhTestMachine();
        Cpu cpu = m.boot(new HelloStub().build(), PvhTestMachine.engine());

        VmExit first = cpu.run(10_000);
        assertEquals(VmExit.Reason.VMCALL, first.reason());
        assertEquals(18, cpu.get(Reg.RAX));
        assertEquals(0, cpu.get(Reg.RDI));
        assertEquals("Hello from a PVH guest\n", new String(
                m.readVirtual(cpu.get(Reg.RDX), (int) cpu.get(Reg.RSI)), StandardCharsets.UTF_8));

        cpu.set(Reg.RAX, 0);
        cpu.rip += first.instructionLength();
        VmExit second = cpu.run(10_000);
        assertEquals(VmExit.Reason.VMCALL, second.reason());
        assertEquals(29, cpu.get(Reg.RAX));
        assertEquals(2, cpu.get(Reg.RDI));
        assertEquals("00 00 00 00", String.format("%02x %02x %02x %02x",
                (Object[]) box(m.readVirtual(cpu.get(Reg.RSI), 4))));
    }

    private static Byte[] box(final byte[] b) {
        Byte[] out = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i];
        }
        return out;
    }
}
