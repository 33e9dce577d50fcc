package org.pvhconf.conform.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvhconf.conform.harness.Agent.Command;
import org.pvhconf.stubs.kernels.AgentStub;
import org.pvhconf.stubs.kernels.PvhKernel;
import org.pvhconf.stubs.kernels.StubImage;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.domain.Vcpu;

/**
 * Same inputs ⇒ same run (DESIGN "Time and scheduling"): an SMP scenario with cross-vCPU IPIs, upcalls,
 * a periodic timer and a poll, run twice on fresh machines, must give byte-identical hypercall traces,
 * consoles, final registers of every vCPU, system time and shared_info.
 */
class DeterminismTest {
    private static final StubImage AGENT = new AgentStub().build();

    private static long sym(String name) {
        return AGENT.symbols().get(name);
    }

    private static byte[] le(long... words) {
        ByteBuffer b = ByteBuffer.allocate(8 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }

    /** Runs the scenario on a fresh machine and returns everything that must not vary. */
    private static String runOnce(long quantum, int rounds) throws Exception {
        Hypervisor hv = new Hypervisor(HypervisorOptions.builder()
                .engineFactory(Hypervisors.engineFactory("interp")).quantum(quantum).build());
        Domain d = hv.createDomain(new DomainConfig().vcpus(2), AGENT.elf());
        GuestDomain m = new ReferenceHypervisor.Built(hv, d);
        Agent a0 = new Agent(m, PvhKernel.VIRT_BASE, sym("mailbox"), sym("scratch"));
        assertTrue(a0.awaitReady());
        Agent a1 = a0.forVcpu(1, sym("ap_scratch"));
        long sharedInfo = PvhKernel.VIRT_BASE + a0.read64(a0.entryValue(ENTRY_GPRS + 8 * 6) + 40);
        long scratch = a0.scratchVa();
        a0.setMailbox(UPCALL_PENDING_VA, sharedInfo);
        a1.setMailbox(UPCALL_PENDING_VA, sharedInfo + 64);
        a0.execute(new Command(OP_CLI));
        // HVMOP_set_param(CALLBACK_IRQ, vector 0xF3), §3.2.
        a0.writeScratch(0, le(0x7FF0L, 2L << 56 | 0xF3));
        expect0(a0.hypercall(34, 0, scratch));
        // VCPUOP_initialise + VCPUOP_up for vCPU 1 (§8.3).
        byte[] ctx = new byte[5168];
        ByteBuffer c = ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(520 + 128, sym("ap_entry1")).putLong(520 + 152, sym("ap_stacks") + 2L * AP_STACK_SIZE)
                .putLong(520 + 144, 0x2).putLong(4984 + 24, a0.entryValue(ENTRY_CR3));
        a0.writeScratch(0x1000, ctx);
        expect0(a0.hypercall(24, 0, 1, scratch + 0x1000));
        expect0(a0.hypercall(24, 1, 1, 0));
        m.runUntil(a1::ready, Agent.STAGE_BUDGET);
        // IPIs both ways (bind_ipi → port at scratch+4), a periodic timer on vCPU 1, a poll on vCPU 0.
        a0.writeScratch(0, le(1));
        expect0(a0.hypercall(32, 7, scratch));
        long to1 = a0.read64(scratch) >>> 32;
        a0.writeScratch(0, le(0));
        expect0(a0.hypercall(32, 7, scratch));
        long to0 = a0.read64(scratch) >>> 32;
        a1.writeScratch(0, le(0 | 1L << 32)); // bind_virq(VIRQ_TIMER, vcpu 1)
        expect0(a1.hypercall(32, 1, a1.scratchVa()));
        a1.writeScratch(0, le(1_000_000));
        expect0(a1.hypercall(24, 6, 1, a1.scratchVa()));
        for (int round = 0; round < rounds; round++) {
            a0.writeScratch(0x100, le(to1));
            Agent.Pending wait1 = a1.submit(List.of(new Command(OP_WAIT_UPCALL, 0),
                    new Command(OP_CONSUME_EVENTS, sharedInfo, sharedInfo + 64)));
            expect0(a0.hypercall(32, 4, scratch + 0x100));
            a1.await(wait1);
            a1.writeScratch(0x100, le(to0));
            expect0(a1.hypercall(32, 4, a1.scratchVa() + 0x100));
            a0.execute(List.of(new Command(OP_WAIT_UPCALL, 0), new Command(OP_CONSUME_EVENTS, sharedInfo, sharedInfo)));
        }
        // SCHEDOP_poll on vCPU 0 with a timeout, while vCPU 1's timer keeps ticking.
        a0.writeScratch(0x200, le(scratch + 0x240, 1, 200_000));
        a0.writeScratch(0x240, le(to1));
        a0.execute(new Command(OP_HYPERCALL, 29, 3, scratch + 0x200));
        a0.execute(new Command(OP_PVCLOCK, sharedInfo + 32));

        StringBuilder out = new StringBuilder();
        out.append(String.join("\n", m.hypercallTrace())).append("\n--console--\n").append(m.console());
        out.append("\n--time--\n").append(hv.clock().now()).append(" hypercalls ").append(d.hypercallCount());
        for (Vcpu v : d.vcpus()) {
            Cpu cpu = v.cpu();
            out.append(String.format("%n--vcpu%d-- rip=%x rflags=%x cr3=%x tsc=%x retired=%d gpr=", v.id(), cpu.rip,
                    cpu.rflags, cpu.cr3, cpu.retiredInstructions() + cpu.tscOffset, cpu.retiredInstructions()));
            for (long g : cpu.gpr) {
                out.append(Long.toHexString(g)).append(',');
            }
        }
        out.append("\n--shared_info--\n").append(java.util.HexFormat.of().formatHex(d.sharedInfo()));
        return out.toString();
    }

    private static void expect0(Agent.Result r) {
        assertTrue(r.done() && r.result() == 0, () -> "the guest's call failed: " + r);
    }

    @Test
    void run_sameSmpScenarioTwice_byteIdenticalTraceConsoleRegistersAndSharedInfo() throws Exception {
        String first = runOnce(HypervisorOptions.DEFAULT_QUANTUM, 3);
        String second = runOnce(HypervisorOptions.DEFAULT_QUANTUM, 3);
        assertTrue(first.contains("event_channel_op(0x4"), "the trace shows no EVTCHNOP_send");
        assertTrue(first.contains("vcpu1 "), "vCPU 1 made no hypercall");
        assertEquals(first, second);
    }

    @Test
    void run_smallQuantum_sameResultAsTwiceButItsOwn() throws Exception {
        // A quantum that ends slices inside the guests' loops: still identical run to run.
        assertEquals(runOnce(97, 2), runOnce(97, 2));
    }

    @Test
    void run_oneRoundFewer_differs() throws Exception {
        // The comparison is not vacuous: one IPI round fewer shows in the output.
        assertTrue(!runOnce(HypervisorOptions.DEFAULT_QUANTUM, 3).equals(runOnce(HypervisorOptions.DEFAULT_QUANTUM, 2)));
    }
}
