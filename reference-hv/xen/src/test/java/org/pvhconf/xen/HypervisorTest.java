package org.pvhconf.xen;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.domain.ShutdownReason;
import org.pvhconf.xen.testutil.ScriptedEngine;
import org.pvhconf.xen.testutil.TestKernel;

/** The run loop, VM exits and determinism, with scripted engines standing in for the interpreter. */
class HypervisorTest {
    private static final VmExit VMCALL = VmExit.instruction(VmExit.Reason.VMCALL, 3, 0);

    private final List<ScriptedEngine> engines = new ArrayList<>();
    private final Hypervisor hv = new Hypervisor(HypervisorOptions.builder().quantum(100).engineFactory(() -> {
        ScriptedEngine e = new ScriptedEngine();
        engines.add(e);
        return e;
    }).build());

    private Domain domain(DomainConfig cfg) throws Exception {
        return hv.createDomain(cfg, TestKernel.pvh().bytes());
    }

    private static void rax(Cpu c, long nr, long rdi, long rsi) {
        c.set(Reg.RAX, nr);
        c.set(Reg.RDI, rdi);
        c.set(Reg.RSI, rsi);
    }

    @Test
    void run_hltWithInterruptsOff_poweroffWhenAllVcpusOffline() throws Exception {
        Domain d = domain(new DomainConfig());
        engines.get(0).then(10, c -> c.rflags = 0x2, VmExit.instruction(VmExit.Reason.HLT, 1, 0));
        assertEquals(RunOutcome.ALL_SHUT_DOWN, hv.run(1_000));
        assertEquals(ShutdownReason.POWEROFF, d.shutdownReason());
        assertEquals(11, d.instructionsRetired(), "10 retired by the engine + the emulated HLT");
    }

    @Test
    void run_tripleFault_poweroff() throws Exception {
        Domain d = domain(new DomainConfig());
        engines.get(0).then(5, null, VmExit.of(VmExit.Reason.TRIPLE_FAULT));
        assertEquals(RunOutcome.ALL_SHUT_DOWN, hv.run(1_000));
        assertEquals(ShutdownReason.POWEROFF, d.shutdownReason());
    }

    @Test
    void run_eptViolation_crashWithReason() throws Exception {
        Domain d = domain(new DomainConfig());
        engines.get(0).then(5, null, VmExit.eptViolation(0x7000000L, 2));
        hv.run(1_000);
        assertEquals(ShutdownReason.CRASH, d.shutdownReason());
        assertTrue(d.crashDetail().contains("0x7000000") && d.crashDetail().contains("EPT"), d.crashDetail());
    }

    @Test
    void run_blockWithNothingToWake_deadlock() throws Exception {
        domain(new DomainConfig());
        engines.get(0).then(5, c -> rax(c, 29, 1, 0), VMCALL);
        assertEquals(RunOutcome.DEADLOCK, hv.run(1_000));
    }

    @Test
    void run_pollWithTimeout_clockSkipsToTimeoutAndVcpuRuns() throws Exception {
        Domain d = domain(new DomainConfig());
        long sp = d.buildInfo().bootStackTopVa();
        byte[] poll = new byte[24];
        poll[16] = 0x40; poll[17] = 0x42; poll[18] = 0x0F; // timeout 1 000 000 ns
        hv.copyToGuest(d.vcpu(0), sp, poll);
        engines.get(0).then(5, c -> rax(c, 29, 3, sp), VMCALL)
                .then(1, c -> c.rflags = 0x2, VmExit.instruction(VmExit.Reason.HLT, 1, 0));
        assertEquals(RunOutcome.ALL_SHUT_DOWN, hv.run(1_000));
        assertEquals(1_000_000 + 1 + 1, hv.clock().now(), "idle time skipped to the poll deadline, then 1 + HLT");
    }

    @Test
    void run_budget_exhausted() throws Exception {
        domain(new DomainConfig());
        assertEquals(RunOutcome.BUDGET_EXHAUSTED, hv.run(1_000));
        assertEquals(1_000, hv.clock().now());
    }

    @Test
    void runUntil_stopCheckedAfterEveryExit() throws Exception {
        Domain d = domain(new DomainConfig());
        engines.get(0).then(5, c -> rax(c, 17, 0, 0), VMCALL).then(5, c -> rax(c, 17, 0, 0), VMCALL);
        assertEquals(RunOutcome.STOPPED, hv.runUntil(() -> d.hypercallCount() == 1, 10_000));
        assertEquals(1, d.hypercallCount());
    }

    @Test
    void run_engineThrows_domainCrashedNotTheHypervisor() throws Exception {
        Hypervisor broken = new Hypervisor(HypervisorOptions.builder().engineFactory(() -> new Cpu.Engine() {
            @Override
            public VmExit run(Cpu cpu, long budget) {
                throw new ArrayIndexOutOfBoundsException("decoder bug");
            }

            @Override
            public void flush(Cpu cpu) {
            }

            @Override
            public void flushPage(Cpu cpu, long linear) {
            }
        }).build());
        Domain d = broken.createDomain(new DomainConfig(), TestKernel.pvh().bytes());
        assertEquals(RunOutcome.ALL_SHUT_DOWN, broken.run(1_000));
        assertTrue(d.crashDetail().contains("decoder bug"));
    }

    @Test
    void exits_cpuidXenLeavesAndIoAndMsr() throws Exception {
        Domain d = domain(new DomainConfig());
        Cpu c = d.vcpu(0).cpu();
        c.set(Reg.RAX, 0x40000000);
        hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.CPUID, 2, 0));
        assertEquals(0x40000002, c.get(Reg.RAX));
        assertEquals(0x566E6558, c.get(Reg.RBX));
        c.set(Reg.RAX, 0x40000002);
        hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.CPUID, 2, 0));
        assertEquals(1, c.get(Reg.RAX));
        assertEquals(0x40000000, c.get(Reg.RBX));
        c.set(Reg.RAX, 0x1234_5678_9ABC_DE00L);
        hv.handleExit(d.vcpu(0), VmExit.io(1, 0x80, 1, true));
        assertEquals(0x1234_5678_9ABC_DEFFL, c.get(Reg.RAX), "IN AL: all-ones, the rest kept");
        // WRMSR of the hypercall MSR writes the page; an index in the low bits is silently ignored (4.4).
        long gfn = 28;
        c.set(Reg.RAX, gfn << 12 | 1);
        c.set(Reg.RDX, 0);
        hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.WRMSR, 2, 0x40000000));
        assertEquals(0, d.readGuestPhys(gfn << 12, 1)[0]);
        c.set(Reg.RAX, gfn << 12);
        hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.WRMSR, 2, 0x40000000));
        assertEquals((byte) 0xB8, d.readGuestPhys(gfn << 12, 1)[0]);
        assertFalse(d.isShutdown());
        long rip = d.vcpu(0).cpu().rip;
        hv.handleExit(d.vcpu(0), VmExit.instruction(VmExit.Reason.RDMSR, 2, 0xC0000080L + 0x1000));
        assertFalse(d.isShutdown(), "an unimplemented MSR is the guest's #GP, not the domain's end");
        assertEquals(13, d.vcpu(0).cpu().takePendingException(), "#GP injected");
        assertEquals(0, d.vcpu(0).cpu().pendingErrorCode());
        assertEquals(rip, d.vcpu(0).cpu().rip, "a fault: RIP stays at the RDMSR");
    }

    private static List<String> runScript() throws Exception {
        List<ScriptedEngine> es = new ArrayList<>();
        Hypervisor h = new Hypervisor(HypervisorOptions.builder().quantum(7).engineFactory(() -> {
            ScriptedEngine e = new ScriptedEngine();
            es.add(e);
            return e;
        }).build());
        Domain a = h.createDomain(new DomainConfig().name("a"), TestKernel.pvh().bytes());
        Domain b = h.createDomain(new DomainConfig().name("b"), TestKernel.pvh().bytes());
        for (ScriptedEngine e : es) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                e.then(3 + i % 5, c -> rax(c, n % 2 == 0 ? 17 : 29, 0, 0), VMCALL);
            }
        }
        h.run(500);
        List<String> out = new ArrayList<>();
        for (Domain d : List.of(a, b)) {
            d.hypercallTrace().forEach(r -> out.add(d + " " + r));
        }
        out.add("now=" + h.clock().now());
        return out;
    }

    @Test
    void run_sameInputs_sameTraceByteForByte() throws Exception {
        List<String> first = runScript();
        assertEquals(first, runScript());
        assertTrue(first.size() > 20, "both domains made hypercalls: " + first.size());
    }
}
