package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import io.cucumber.java.ParameterType;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.Agent.Command;

/**
 * Event channels and the callback vector, from guest code (§3.3, §10): the guest issues event_channel_op
 * (32) with structs it holds in its own scratch, takes upcalls through its own IDT, and consumes events with
 * the conventional loop. Each step is one lock-step stage, as in the KVM Xen selftests.
 */
public final class EventSteps {
    static final int EVENT_CHANNEL_OP = 32, HVM_OP = 34, VCPU_OP = 24, SCHED_OP = 29;

    private final GuestSession session;
    private final EventWorld world;

    public EventSteps(GuestSession session, EventWorld world) {
        this.session = session;
        this.world = world;
    }

    /** An EVTCHNOP as {@code EVTCHNOP_name (n)}, checked against §10.1. */
    public record Op(String name, int number) {
    }

    @ParameterType("(EVTCHNOP_[a-z_]+) \\((\\d+)\\)")
    public Op evtchnop(String name, String number) {
        return checked(EventWorld.EVTCHNOP, name, number);
    }

    @ParameterType("(VCPUOP_[a-z_]+) \\((\\d+)\\)")
    public Op vcpuop(String name, String number) {
        return checked(EventWorld.VCPUOP, name, number);
    }

    @ParameterType("(SCHEDOP_[a-z_]+) \\((\\d+)\\)")
    public Op schedop(String name, String number) {
        return checked(SCHEDOPS, name, number);
    }

    /** §12.1 SCHEDOP numbers. */
    static final Map<String, Integer> SCHEDOPS = Map.of("SCHEDOP_yield", 0, "SCHEDOP_block", 1, "SCHEDOP_shutdown", 2,
            "SCHEDOP_poll", 3, "SCHEDOP_remote_shutdown", 4, "SCHEDOP_shutdown_code", 5, "SCHEDOP_watchdog", 6);

    @When("the guest issues {schedop} with {fields}")
    public void issueSched(Op op, Map<String, String> fields) {
        String struct = switch (op.name()) {
            case "SCHEDOP_remote_shutdown" -> "sched_remote_shutdown";
            case "SCHEDOP_poll" -> "sched_poll";
            default -> throw new IllegalArgumentException(op.name() + " takes no struct here");
        };
        issue(0, SCHED_OP, op.number(), EventWorld.struct(struct), fields, false, 0);
    }

    private static Op checked(Map<String, Integer> table, String name, String number) {
        Integer known = table.get(name);
        int n = Integer.parseInt(number);
        if (known == null || known != n) {
            throw new IllegalArgumentException("the feature says " + name + " is " + n + ", but pvh-abi.md says " + known);
        }
        return new Op(name, n);
    }

    /** {@code name = value, name = value}; a value is a number or {@code $port} (a port the scenario named). */
    @ParameterType("([a-z_.\\[\\]0-9]+ = [^,]+(?:, [a-z_.\\[\\]0-9]+ = [^,]+)*)")
    public Map<String, String> fields(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : text.split(", ")) {
            String[] kv = part.split(" = ", 2);
            m.put(kv[0].trim(), kv[1].trim());
        }
        return m;
    }

    long value(String token) {
        if (token.startsWith("$")) {
            Long p = world.ports.get(token.substring(1));
            assertTrue(p != null, () -> "no port named " + token + " yet; known " + world.ports.keySet());
            return p;
        }
        return Values.parse(token);
    }

    // ---- shared helpers (also used by VcpuSteps and TimeSteps) ----

    /** The VA of shared_info: start_info.shared_info, read by guest code, in the §7.1 linear map. */
    long sharedInfoVa() {
        Agent a = session.agent();
        long startInfo = a.entryValue(ENTRY_GPRS + 8 * 6); // RSI at entry
        long gpa = a.read64(startInfo + EventWorld.START_INFO_SHARED_INFO);
        return session.kernel().virtBase() + gpa;
    }

    long vcpuInfoVa(int vcpu) {
        return sharedInfoVa() + (long) vcpu * EventWorld.VCPU_INFO_SIZE;
    }

    /** Writes the struct into vCPU {@code vcpu}'s scratch and has that vCPU issue the hypercall. */
    Agent.Result issue(int vcpu, int hypercall, long cmd, GuestStructs.Layout layout, Map<String, String> values,
                       boolean withVcpuArg, long vcpuArg) {
        Agent a = session.agent(vcpu);
        Map<String, Long> v = new LinkedHashMap<>();
        values.forEach((k, t) -> v.put(k, value(t)));
        a.writeScratch(0, layout.encode(v));
        world.lastLayout = layout;
        world.lastBufferVa = a.scratchVa();
        world.lastVcpu = vcpu;
        session.last = withVcpuArg ? a.hypercall(hypercall, cmd, vcpuArg, a.scratchVa())
                : a.hypercall(hypercall, cmd, a.scratchVa());
        return session.last;
    }

    long readBack(String field) {
        assertTrue(world.lastLayout != null, "no struct was passed yet");
        GuestStructs.Field f = world.lastLayout.field(field);
        byte[] b = session.agent(world.lastVcpu).readBytes(world.lastBufferVa, world.lastLayout.size());
        return EventWorld.field(b, f);
    }

    // ---- When: event_channel_op ----

    @When("the guest issues {evtchnop} with {fields}")
    public void issue(Op op, Map<String, String> fields) {
        issue(0, EVENT_CHANNEL_OP, op.number(), EventWorld.structOf(op.name()), fields, false, 0);
    }

    @When("vCPU {int} issues {evtchnop} with {fields}")
    public void issueOn(int vcpu, Op op, Map<String, String> fields) {
        issue(vcpu, EVENT_CHANNEL_OP, op.number(), EventWorld.structOf(op.name()), fields, false, 0);
    }

    @When("the guest issues event_channel_op \\(32) command {int} with a zeroed argument")
    public void unknownCommand(int cmd) {
        session.agent().writeScratch(0, new byte[64]);
        session.last = session.agent().hypercall(EVENT_CHANNEL_OP, cmd, session.agent().scratchVa());
    }

    @When("the guest issues {evtchnop} with an unmapped argument")
    public void unmapped(Op op) {
        session.last = session.agent().hypercall(EVENT_CHANNEL_OP, op.number(), GuestSession.UNMAPPED_VA);
    }

    @Given("the guest has bound {evtchnop} with {fields} as port {word}")
    @When("the guest binds {evtchnop} with {fields} as port {word}")
    public void bindAs(Op op, Map<String, String> fields, String name) {
        bindAsOn(0, op, fields, name);
    }

    @Given("vCPU {int} has bound {evtchnop} with {fields} as port {word}")
    public void bindAsOn(int vcpu, Op op, Map<String, String> fields, String name) {
        Agent.Result r = issue(vcpu, EVENT_CHANNEL_OP, op.number(), EventWorld.structOf(op.name()), fields, false, 0);
        assertTrue(r.done() && r.result() == 0, () -> op.name() + " failed in the guest: " + r);
        String out = world.lastLayout.fields().containsKey("local_port") ? "local_port" : "port";
        world.ports.put(name, readBack(out));
    }

    // ---- Then: what the guest got back and sees in shared memory ----

    @Then("the guest reads back {word} = {value}")
    public void readsBack(String field, Long expected) {
        long actual = readBack(field);
        assertEquals((long) expected, actual, () -> String.format("%s.%s: expected %#x, the guest read %#x",
                world.lastLayout.name(), field, expected, actual));
    }

    @Then("the guest reads back {word} = port {word}")
    public void readsBackPort(String field, String name) {
        readsBack(field, value("$" + name));
    }

    private boolean bit(int base, long port) {
        long word = session.agent().read64(sharedInfoVa() + base + 8 * (port / 64));
        return (word & (1L << (port % 64))) != 0;
    }

    @Then("port {word} is pending in shared_info")
    public void pending(String name) {
        assertTrue(bit(EventWorld.EVTCHN_PENDING, value("$" + name)), "the guest sees evtchn_pending clear for " + name);
    }

    @Then("port {word} is not pending in shared_info")
    public void notPending(String name) {
        assertTrue(!bit(EventWorld.EVTCHN_PENDING, value("$" + name)), "the guest sees evtchn_pending set for " + name);
    }

    @When("the guest masks port {word} in shared_info")
    public void mask(String name) {
        long port = value("$" + name);
        long va = sharedInfoVa() + EventWorld.EVTCHN_MASK + 8 * (port / 64);
        Agent a = session.agent();
        a.write64(va, a.read64(va) | 1L << (port % 64));
    }

    @Then("vCPU {int} sees evtchn_upcall_pending = {int}")
    public void upcallPending(int vcpu, int expected) {
        assertEquals(expected, session.agent().read8(vcpuInfoVa(vcpu) + EventWorld.UPCALL_PENDING));
    }

    @Then("vCPU {int} sees evtchn_upcall_mask = {int}")
    public void upcallMask(int vcpu, int expected) {
        assertEquals(expected, session.agent().read8(vcpuInfoVa(vcpu) + EventWorld.UPCALL_MASK));
    }

    /** STI, sched_op(SCHEDOP_block), CLI in one batch: the upcalls taken around the block are counted. */
    @When("vCPU {int} enables interrupts, blocks with SCHEDOP_block \\(1) and disables interrupts again")
    public void stiBlockCli(int vcpu) {
        Agent a = session.agent(vcpu);
        long before = a.mailboxWord(INTERRUPT_COUNT);
        java.util.List<Agent.Result> r = a.execute(java.util.List.of(new Command(OP_STI),
                new Command(OP_HYPERCALL, SCHED_OP, 1, 0), new Command(OP_CLI)));
        session.last = r.get(1);
        world.interruptsTaken.put(vcpu, a.mailboxWord(INTERRUPT_COUNT) - before);
    }

    @Then("vCPU {int} sees bit {int} of evtchn_pending_sel {word}")
    public void selBit(int vcpu, int bit, String setOrClear) {
        long sel = session.agent().read64(vcpuInfoVa(vcpu) + EventWorld.PENDING_SEL);
        assertEquals(setOrClear.equals("set"), (sel & (1L << bit)) != 0, () -> String.format("pending_sel = %#x", sel));
    }

    // ---- the callback vector (§3.2, §3.3) ----

    @Given("the guest has set its callback vector to {value}")
    public void callbackVector(Long vector) {
        Agent a = session.agent();
        // Every agent vCPU's handler clears its own vcpu_info.evtchn_upcall_pending before IRETQ (§3.3 item 4).
        for (int i = 0; i < MAX_VCPUS && i < session.config().vcpus(); i++) {
            session.agent(i).setMailbox(UPCALL_PENDING_VA, vcpuInfoVa(i) + EventWorld.UPCALL_PENDING);
        }
        GuestStructs.Layout param = GuestStructs.named("xen_hvm_param");
        a.writeScratch(0, param.encode(Map.of("domid", 0x7FF0L, "index", 0L, "value", 2L << 56 | vector)));
        Agent.Result r = a.hypercall(HVM_OP, 0, a.scratchVa());
        assertTrue(r.done() && r.result() == 0, () -> "HVMOP_set_param failed: " + r);
    }

    @Given("vCPU {int} has disabled interrupts")
    public void cli(int vcpu) {
        assertTrue(session.agent(vcpu).execute(new Command(OP_CLI)).done());
    }

    @Given("vCPU {int} has enabled interrupts")
    public void sti(int vcpu) {
        assertTrue(session.agent(vcpu).execute(new Command(OP_STI)).done());
    }

    @Given("the interrupt handler of vCPU {int} leaves evtchn_upcall_pending set for {int} upcall(s)")
    public void hold(int vcpu, int n) {
        session.agent(vcpu).setMailbox(UPCALL_HOLD, n);
    }

    @When("the guest sets evtchn_upcall_mask of vCPU {int} to {int}")
    public void setMask(int vcpu, int value) {
        assertTrue(session.agent().execute(new Command(OP_WRITE8, vcpuInfoVa(vcpu) + EventWorld.UPCALL_MASK, value)).done());
    }

    @When("vCPU {int} spins {int} turns with RFLAGS.IF as it is")
    public void spin(int vcpu, int turns) {
        taken(vcpu, session.agent(vcpu).execute(new Command(OP_SPIN, turns)));
    }

    @When("vCPU {int} waits for an upcall with STI and HLT")
    public void waitHlt(int vcpu) {
        taken(vcpu, session.agent(vcpu).execute(new Command(OP_WAIT_UPCALL, 0)));
    }

    @When("vCPU {int} waits up to {int} turns for an upcall with interrupts enabled")
    public void waitSpin(int vcpu, int turns) {
        taken(vcpu, session.agent(vcpu).execute(new Command(OP_WAIT_UPCALL, turns)));
    }

    private void taken(int vcpu, Agent.Result r) {
        assertTrue(r.done(), () -> "the wait did not complete on vCPU" + vcpu + ": " + r);
        world.interruptsTaken.put(vcpu, r.result());
    }

    @Then("vCPU {int} took {int} upcall(s) meanwhile")
    public void took(int vcpu, int n) {
        Long t = world.interruptsTaken.get(vcpu);
        assertTrue(t != null, "vCPU" + vcpu + " did not wait or spin");
        assertEquals(n, (long) t, () -> "vCPU" + vcpu + " took " + t + " external interrupts");
    }

    @Then("the last interrupt vCPU {int} took came through IDT vector {value}")
    public void vector(int vcpu, Long vector) {
        assertEquals((long) vector, session.agent(vcpu).mailboxWord(LAST_INTERRUPT_VECTOR));
    }

    // ---- the consumer loop (§10.3) ----

    @When("vCPU {int} consumes its events with the 2-level loop")
    public void consume(int vcpu) {
        Agent.Result r = session.agent(vcpu).execute(new Command(OP_CONSUME_EVENTS, sharedInfoVa(), vcpuInfoVa(vcpu)));
        assertTrue(r.done(), () -> "the consumer loop did not complete: " + r);
        session.last = r;
    }

    @Then("the loop on vCPU {int} handled exactly the ports {portList}")
    public void handled(int vcpu, java.util.List<String> names) {
        Agent a = session.agent(vcpu);
        long count = a.mailboxWord(FIRED_COUNT);
        java.util.List<Long> got = new java.util.ArrayList<>();
        for (int i = 0; i < count && i < MAX_FIRED; i++) {
            got.add(a.mailboxWord(FIRED_PORTS + 8 * i));
        }
        java.util.List<Long> want = new java.util.ArrayList<>();
        for (String n : names) {
            want.add(n.equals("none") ? null : value(n.startsWith("$") ? n : "$" + n));
        }
        want.removeIf(java.util.Objects::isNull);
        assertEquals(want, got, "ports handled by the guest's loop");
    }

    @ParameterType("none|[a-z0-9_]+(?:(?:, | and )[a-z0-9_]+)*")
    public java.util.List<String> portList(String text) {
        return java.util.Arrays.asList(text.split(", | and "));
    }
}
