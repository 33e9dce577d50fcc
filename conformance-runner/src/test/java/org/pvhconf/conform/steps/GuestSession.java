package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.GuestConfig;
import org.pvhconf.conform.harness.GuestDomain;
import org.pvhconf.conform.harness.HypervisorUnderTest;
import org.pvhconf.conform.harness.HypervisorUnderTest.Refusal;
import org.pvhconf.conform.harness.Hypervisors;

/**
 * One scenario's world (cucumber-picocontainer makes one per scenario): the kernel the toolstack is
 * given, its config, and, once built, the domain and the agent that runs inside it.
 */
public final class GuestSession {

    /** A virtual address no PVHv1 initial mapping covers: it lies far below VIRT_BASE (§7.1). */
    static final long UNMAPPED_VA = 0x00007F0000000000L;

    private final HypervisorUnderTest hypervisor = Hypervisors.fromSystemProperties();
    private Kernels.Kernel kernel = Kernels.agent();
    private GuestConfig config = GuestConfig.defaults();
    private GuestDomain domain;
    private Agent agent;
    private Refusal refusal;
    private boolean buildAttempted;

    /** The last hypercall-like result, and the buffer its argument struct was in. */
    Agent.Result last;
    /** The agent that made the last call (null: the first guest's), whose buffer the Then steps read. */
    Agent lastAgent;
    /** Values a scenario keeps between steps ($name in argument tables): domids, ports, handles. */
    final java.util.Map<String, Long> vars = new java.util.TreeMap<>();

    // ---- a second guest on the same machine (two-domain scenarios) ----
    private GuestDomain domainB;
    private Agent agentB;
    long lastBufferVa;
    GuestStructs.Layout lastLayout;

    void kernel(Kernels.Kernel k) {
        kernel = k;
    }

    Kernels.Kernel kernel() {
        return kernel;
    }

    void config(GuestConfig c) {
        config = c;
    }

    GuestConfig config() {
        return config;
    }

    /** Asks the toolstack to build the domain; a refusal is kept for the Then steps. */
    void build() {
        buildAttempted = true;
        try {
            domain = hypervisor.build(kernel.elf(), config);
        } catch (Refusal r) {
            refusal = r;
        }
    }

    Refusal refusal() {
        assertTrue(buildAttempted, "no build was attempted");
        return refusal;
    }

    /** The refusal, or null when nothing was refused (or nothing built yet). */
    Refusal refusalOrNull() {
        return refusal;
    }

    GuestDomain domain() {
        return domain;
    }

    /** The running agent; builds the domain first if the scenario has not. */
    Agent agent() {
        if (agent == null) {
            if (!buildAttempted) {
                build();
            }
            assertNull(refusal, () -> "the toolstack refused the kernel: " + refusal.getMessage());
            assertNotNull(domain);
            agent = new Agent(domain, kernel.virtBase(), kernel.symbol("mailbox"), kernel.symbol("scratch"));
            assertTrue(agent.awaitReady(), () -> "the agent never reported ready; shutdown code " + domain.shutdownCode()
                    + " " + domain.shutdownCause() + "; console: " + domain.console());
        }
        return agent;
    }

    boolean started() {
        return agent != null;
    }

    // ---- several vCPUs (added for events/vCPU scenarios) ----

    private final java.util.Map<Integer, Agent> vcpuAgents = new java.util.TreeMap<>();

    /** The agent's command loop on vCPU {@code i} (vCPU0's is {@link #agent()}); its mailbox is page i. */
    Agent agent(int i) {
        if (i == 0) {
            return agent();
        }
        return vcpuAgents.computeIfAbsent(i, n -> agent().forVcpu(n,
                kernel.symbol("ap_scratch") + (long) (n - 1) * org.pvhconf.stubs.kernels.AgentProtocol.MAILBOX_STRIDE));
    }

    /** The agent whose memory holds the last call's argument struct. */
    Agent resultAgent() {
        return lastAgent != null ? lastAgent : agent();
    }

    /**
     * Builds guest A (the scenario's first guest) and then guest B, each running the agent stub, on the same
     * hypervisor; $domA and $domB name their domids.
     */
    void startTwoGuests() {
        config(config().withName("A"));
        Agent a = agent();
        try {
            domainB = hypervisor.build(kernel.elf(), config.withName("B"));
        } catch (Refusal r) {
            throw new AssertionError("the toolstack refused guest B: " + r.getMessage(), r);
        }
        agentB = new Agent(domainB, kernel.virtBase(), kernel.symbol("mailbox"), kernel.symbol("scratch"));
        assertTrue(agentB.awaitReady(), () -> "guest B never reported ready: " + domainB.shutdownCause());
        vars.put("domA", (long) a.domain().domid());
        vars.put("domB", (long) domainB.domid());
    }

    /** "the guest" and "guest A" are the first guest; "guest B" the second. */
    Agent agent(String who) {
        if (who.endsWith("B")) {
            assertNotNull(agentB, "the scenario has no guest B");
            return agentB;
        }
        return agent();
    }

    GuestDomain domainB() {
        return domainB;
    }

    HypervisorUnderTest hypervisor() {
        return hypervisor;
    }
}
