package org.pvhconf.conform.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.pvhconf.stubs.kernels.AgentStub;
import org.pvhconf.stubs.kernels.GnuHelloKernel;
import org.pvhconf.stubs.kernels.HelloStub;
import org.pvhconf.stubs.kernels.bench.BenchKernel;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.interp.Interpreter;
import org.pvhconf.x86.jit.JitEngine;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;

/**
 * Every guest stub booted on the interpreter and on the JIT (threshold 2, so that the stubs' loops
 * are translated): the hypercall traces, console output, shutdown, retired instruction counts and
 * final registers must be identical.
 */
class EnginesTest {
    private static final long LIMIT = 3_000_000;

    /** What a boot leaves behind that both engines must agree on. */
    private static List<String> boot(Supplier<Cpu.Engine> engine, byte[] elf) throws Exception {
        return boot(engine, elf, LIMIT);
    }

    private static List<String> boot(Supplier<Cpu.Engine> engine, byte[] elf, long limit) throws Exception {
        Hypervisor hv = new Hypervisor(HypervisorOptions.builder().engineFactory(engine).build());
        Domain d = hv.createDomain(new DomainConfig(), elf);
        String outcome = String.valueOf(hv.run(limit));
        List<String> out = new ArrayList<>();
        out.add("outcome " + outcome + " shutdown " + d.shutdownReason() + " code " + d.shutdownCode());
        out.add("console " + d.consoleOutput());
        out.add("retired " + d.instructionsRetired());
        d.hypercallTrace().forEach(r -> out.add(r.toString()));
        Cpu cpu = d.vcpu(0).cpu();
        out.add("rip " + Long.toHexString(cpu.rip) + " rflags " + Long.toHexString(cpu.rflags) + " gpr "
                + Arrays.toString(cpu.gpr));
        return out;
    }

    private static void sameOnBothEngines(byte[] elf) throws Exception {
        List<String> interp = boot(Interpreter::new, elf);
        List<String> jit = boot(() -> new JitEngine(2), elf);
        assertEquals(interp, jit);
        assertTrue(interp.size() > 4, "the stub made hypercalls");
    }

    @Test
    void helloStub_sameTraceOnBothEngines() throws Exception {
        sameOnBothEngines(new HelloStub().build().elf());
    }

    @Test
    void crashingHelloStub_sameTraceOnBothEngines() throws Exception {
        sameOnBothEngines(HelloStub.crash().build().elf());
    }

    @Test
    void gnuHelloKernel_sameTraceOnBothEngines() throws Exception {
        sameOnBothEngines(GnuHelloKernel.image().elf());
    }

    @Test
    void agentStub_sameTraceOnBothEngines() throws Exception {
        sameOnBothEngines(new AgentStub().build().elf());
    }

    /** The bench twins (small arguments) print the checksum their Linux originals print, on both engines. */
    @Test
    void benchKernels_printExpectedChecksums_onBothEngines() throws Exception {
        long[][] cases = {{0, 1000}, {1, 1}, {2, 15}};
        for (long[] c : cases) {
            BenchKernel.Workload w = BenchKernel.Workload.values()[(int) c[0]];
            byte[] elf = new BenchKernel(w, c[1]).build().elf();
            List<String> interp = boot(Interpreter::new, elf, 40_000_000);
            assertEquals("console " + BenchKernel.expectedOutput(w, c[1]), interp.get(1), w.name());
            assertEquals(interp, boot(() -> new JitEngine(2), elf, 40_000_000), w.name());
        }
    }

    @Test
    void engineFactory_namesBothEnginesAndRefusesOthers() {
        assertTrue(Hypervisors.engineFactory("jit").get() instanceof JitEngine);
        assertTrue(Hypervisors.engineFactory("interp").get() instanceof Interpreter);
        assertThrows(IllegalArgumentException.class, () -> Hypervisors.engineFactory("qemu"));
    }
}
