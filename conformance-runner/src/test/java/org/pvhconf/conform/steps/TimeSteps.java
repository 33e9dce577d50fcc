package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.List;
import java.util.Map;
import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.Agent.Command;

/**
 * Time from guest code (§7.1, §8.1, §9): pvclock read with RDTSC, HVMOP_get_time, the wallclock, timers
 * and SCHEDOP_poll. Assertions compare values the guest produced with each other; none uses host time.
 */
public final class TimeSteps {
    private final GuestSession session;
    private final EventWorld world;
    private final EventSteps events;

    public TimeSteps(GuestSession session, EventWorld world, EventSteps events) {
        this.session = session;
        this.world = world;
        this.events = events;
    }

    private long getTimeCommandArg() {
        return session.agent().scratchVa() + 0x800;
    }

    /** One stage: pvclock, HVMOP_get_time, pvclock, so the three readings are close together in the guest. */
    @When("the guest reads the time from its vcpu_time_info and RDTSC, then with HVMOP_get_time, then again from vcpu_time_info")
    public void readTimes() {
        Agent a = session.agent();
        long ti = events.vcpuInfoVa(0) + EventWorld.TIME;
        List<Agent.Result> r = a.execute(List.of(new Command(OP_PVCLOCK, ti),
                new Command(OP_HYPERCALL, EventSteps.HVM_OP, 10, getTimeCommandArg()),
                new Command(OP_READ64, getTimeCommandArg()),
                new Command(OP_PVCLOCK, ti)));
        for (Agent.Result x : r) {
            assertTrue(x.done(), () -> "a time read did not complete: " + x);
        }
        assertEquals(0, r.get(1).result(), "HVMOP_get_time");
        world.times.put("pvclock1", r.get(0).result());
        world.times.put("get_time", r.get(2).result());
        world.times.put("pvclock2", r.get(3).result());
    }

    @Then("the three readings are in order and less than {int} ns apart")
    public void inOrder(int ns) {
        long t1 = world.times.get("pvclock1");
        long t2 = world.times.get("get_time");
        long t3 = world.times.get("pvclock2");
        assertTrue(t1 <= t2 && t2 <= t3, () -> String.format("pvclock %d, get_time %d, pvclock %d", t1, t2, t3));
        assertTrue(t3 - t1 < ns, () -> String.format("%d ns apart", t3 - t1));
    }

    @Then("the guest sees wc_version even and wc_sec not 0")
    public void wallclock() {
        Agent a = session.agent();
        long si = events.sharedInfoVa();
        long v = a.read64(si + EventWorld.WC_VERSION) & 0xFFFFFFFFL;
        long sec = a.read64(si + EventWorld.WC_SEC) & 0xFFFFFFFFL;
        assertEquals(0, v & 1, "wc_version is odd");
        assertTrue(sec != 0, "wc_sec is 0");
    }

    @Then("the guest sees the version of its vcpu_time_info even and tsc_to_system_mul not 0")
    public void timeInfo() {
        Agent a = session.agent();
        long ti = events.vcpuInfoVa(0) + EventWorld.TIME;
        assertEquals(0, a.read64(ti) & 1, "version is odd");
        assertTrue((a.read64(ti + 24) & 0xFFFFFFFFL) != 0, "tsc_to_system_mul is 0");
    }

    /** The singleshot deadline relative to the guest's own system time (HVMOP_get_time), in one stage. */
    @When("vCPU 0 sets its singleshot timer {int} ns after now with flags {int}")
    public void singleshotRelative(long delta, int flags) {
        singleshot(delta, flags);
    }

    @When("vCPU 0 sets its singleshot timer {int} ns before now with flags {int}")
    public void singleshotPast(long delta, int flags) {
        singleshot(-delta, flags);
    }

    private void singleshot(long delta, int flags) {
        Agent a = session.agent();
        Agent.Result now = a.execute(List.of(new Command(OP_HYPERCALL, EventSteps.HVM_OP, 10, getTimeCommandArg()),
                new Command(OP_READ64, getTimeCommandArg()))).get(1);
        GuestStructs.Layout l = EventWorld.struct("vcpu_set_singleshot_timer");
        events.issue(0, EventSteps.VCPU_OP, 8, l, Map.of("timeout_abs_ns", Long.toString(now.result() + delta),
                "flags", Integer.toString(flags)), true, 0);
    }

    @When("vCPU {int} polls port {word} with a timeout {int} ns from now")
    public void pollTimeout(int vcpu, String port, long delta) {
        finishPoll(startPoll(vcpu, List.of("$" + port), delta));
    }

    @When("vCPU {int} polls port {word} without a timeout")
    public void pollNoTimeout(int vcpu, String port) {
        finishPoll(startPoll(vcpu, List.of("$" + port), -1));
    }

    @When("vCPU {int} polls port number {int}")
    public void pollNumber(int vcpu, int number) {
        finishPoll(startPoll(vcpu, List.of(Integer.toString(number)), -1));
    }

    @When("vCPU {int} polls {int} ports")
    public void pollMany(int vcpu, int n) {
        Agent a = session.agent(vcpu);
        GuestStructs.Layout l = EventWorld.struct("sched_poll");
        a.writeScratch(0x400, l.encode(Map.of("ports", a.scratchVa() + 0x440, "nr_ports", (long) n)));
        session.last = a.hypercall(EventSteps.SCHED_OP, 3, a.scratchVa() + 0x400);
    }

    @When("vCPU {int} starts polling port {word} without a timeout")
    public void startPollNoTimeout(int vcpu, String port) {
        world.pendingPoll = startPoll(vcpu, List.of("$" + port), -1);
        world.pendingPollVcpu = vcpu;
    }

    @Then("the poll of vCPU {int} completes")
    public void pollCompletes(int vcpu) {
        assertEquals(vcpu, world.pendingPollVcpu, "that vCPU did not start a poll");
        finishPoll(world.pendingPoll);
    }

    /**
     * SCHEDOP_poll, bracketed by HVMOP_get_time, as one batch on that vCPU: HVMOP_get_time first (the poll's
     * deadline is computed from it by the host in an earlier stage), then the poll, then get_time again.
     */
    private Agent.Pending startPoll(int vcpu, List<String> ports, long delta) {
        Agent a = session.agent(vcpu);
        long base = a.scratchVa() + 0x400;
        long list = base + 0x40;
        long t0 = base + 0x100;
        long t1 = base + 0x108;
        for (int i = 0; i < ports.size(); i++) {
            a.writeScratch(0x440 + 4 * i, le32(events.value(ports.get(i))));
        }
        Agent.Result now = a.execute(List.of(new Command(OP_HYPERCALL, EventSteps.HVM_OP, 10, t0),
                new Command(OP_READ64, t0))).get(1);
        GuestStructs.Layout l = EventWorld.struct("sched_poll");
        long timeout = delta < 0 ? 0 : now.result() + delta;
        a.writeScratch(0x400, l.encode(Map.of("ports", list, "nr_ports", (long) ports.size(), "timeout", timeout)));
        world.times.put("poll_start", now.result());
        world.times.put("poll_deadline", timeout);
        world.pollAgent = a;
        return a.submit(List.of(new Command(OP_HYPERCALL, EventSteps.SCHED_OP, 3, base),
                new Command(OP_HYPERCALL, EventSteps.HVM_OP, 10, t1), new Command(OP_READ64, t1)));
    }

    private void finishPoll(Agent.Pending p) {
        List<Agent.Result> r = world.pollAgent.await(p);
        session.last = r.get(0);
        world.times.put("poll_end", r.get(2).result());
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    @Then("the poll returned at once")
    public void pollAtOnce() {
        long d = world.times.get("poll_end") - world.times.get("poll_start");
        assertTrue(d < 5_000, () -> "the poll took " + d + " ns of system time");
    }

    @Then("the poll returned no earlier than its timeout")
    public void pollAfterTimeout() {
        long end = world.times.get("poll_end");
        long deadline = world.times.get("poll_deadline");
        assertTrue(end >= deadline, () -> "the poll ended at " + end + ", before its deadline " + deadline);
    }

    @When("the toolstack lets the machine run {int} guest instructions")
    public void run(int n) {
        session.domain().runUntil(() -> false, n);
    }
}
