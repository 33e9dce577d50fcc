package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.pvhconf.conform.harness.Agent;

/**
 * vcpu_op from guest code (§8): bringing a secondary vCPU up with VCPUOP_initialise + VCPUOP_up, what it
 * sees at its entry point, its runstate, and the sub-ops' errors. The vcpu_guest_context layout is
 * declared here from §8.2.
 */
public final class VcpuSteps {
    /** §8.2 offsets inside vcpu_guest_context (5168 bytes). */
    static final int CTX_SIZE = 5168, CTX_FLAGS = 512, CTX_USER_REGS = 520, CTX_LDT_BASE = 4816,
            CTX_GDT_ENTS = 4960, CTX_KERNEL_SP = 4976, CTX_CTRLREG = 4984, CTX_FS_BASE = 5144,
            CTX_GS_BASE_KERNEL = 5152;
    /** cpu_user_regs offsets (§8.2): rbx 40, rsi 104, rip 128, cs 136, rflags 144, rsp 152, ss 160. */
    static final int UREGS_RBX = 40, UREGS_RSI = 104, UREGS_RIP = 128, UREGS_CS = 136, UREGS_RFLAGS = 144,
            UREGS_RSP = 152, UREGS_SS = 160;
    static final long VGCF_ONLINE = 1 << 5;
    /** Where vCPU0 puts the context: past the first page of its scratch, clear of the small structs. */
    static final int CTX_SCRATCH_OFFSET = 0x1000;

    private final GuestSession session;
    private final EventWorld world;
    private final EventSteps events;

    public VcpuSteps(GuestSession session, EventWorld world, EventSteps events) {
        this.session = session;
        this.world = world;
        this.events = events;
    }

    /** A context that enters vCPU {@code ap} at the agent's {@code ap_entry<ap>} with IF = 0 and vCPU0's CR3. */
    private ByteBuffer context(int ap) {
        ByteBuffer c = ByteBuffer.allocate(CTX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long stackTop = session.kernel().symbol("ap_stacks") + (long) AP_STACK_SIZE * (ap + 1);
        c.putLong(CTX_USER_REGS + UREGS_RIP, session.kernel().symbol("ap_entry" + ap));
        c.putLong(CTX_USER_REGS + UREGS_RSP, stackTop);
        c.putLong(CTX_USER_REGS + UREGS_RFLAGS, 0x2);
        c.putLong(CTX_USER_REGS + UREGS_RBX, 0x5EC0DA7A00000000L | ap); // arrives in RBX (§8.3: user_regs copied)
        c.putLong(CTX_CTRLREG + 3 * 8, session.agent().entryValue(ENTRY_CR3)); // vCPU0's CR3, saved by guest code
        return c;
    }

    /** §8.2 names of the fields a scenario may spoil. */
    private static int offsetOf(String field) {
        return switch (field) {
            case "flags" -> CTX_FLAGS;
            case "ctrlreg[0]" -> CTX_CTRLREG;
            case "ctrlreg[3]" -> CTX_CTRLREG + 24;
            case "ctrlreg[4]" -> CTX_CTRLREG + 32;
            case "ldt_base" -> CTX_LDT_BASE;
            case "gdt_ents" -> CTX_GDT_ENTS;
            case "kernel_sp" -> CTX_KERNEL_SP;
            case "fs_base" -> CTX_FS_BASE;
            case "gs_base_kernel" -> CTX_GS_BASE_KERNEL;
            case "user_regs.cs" -> CTX_USER_REGS + UREGS_CS;
            case "user_regs.ss" -> CTX_USER_REGS + UREGS_SS;
            case "user_regs.rflags" -> CTX_USER_REGS + UREGS_RFLAGS;
            default -> throw new IllegalArgumentException("no vcpu_guest_context field '" + field + "' known here");
        };
    }

    private Agent.Result initialise(int ap, ByteBuffer ctx) {
        Agent a = session.agent();
        a.writeScratch(CTX_SCRATCH_OFFSET, ctx.array());
        session.last = a.hypercall(EventSteps.VCPU_OP, 0, ap, a.scratchVa() + CTX_SCRATCH_OFFSET);
        return session.last;
    }

    @When("vCPU 0 initialises vCPU {int} at the agent's AP entry point")
    public void initialise(int ap) {
        initialise(ap, context(ap));
    }

    @When("vCPU 0 initialises vCPU {int} at the agent's AP entry point with {fields}")
    public void initialiseWith(int ap, Map<String, String> fields) {
        ByteBuffer c = context(ap);
        fields.forEach((f, v) -> {
            int off = offsetOf(f);
            if (f.startsWith("user_regs.") && !f.equals("user_regs.rflags")) {
                c.putShort(off, (short) events.value(v));
            } else {
                c.putLong(off, events.value(v));
            }
        });
        initialise(ap, c);
    }

    @Given("vCPU 0 has brought vCPU {int} up")
    public void broughtUp(int ap) {
        Agent.Result r = initialise(ap, context(ap));
        assertTrue(r.done() && r.result() == 0, () -> "VCPUOP_initialise failed: " + r);
        up(ap);
        assertTrue(session.last.done() && session.last.result() == 0, () -> "VCPUOP_up failed: " + session.last);
        apReady(ap);
    }

    @When("vCPU 0 brings vCPU {int} up with VCPUOP_up")
    public void up(int ap) {
        session.last = session.agent().hypercall(EventSteps.VCPU_OP, 1, ap, 0);
    }

    @Then("vCPU {int} runs the agent")
    public void apReady(int ap) {
        Agent a = session.agent(ap);
        if (!a.ready()) {
            session.domain().runUntil(a::ready, Agent.STAGE_BUDGET);
        }
        assertTrue(a.ready(), () -> "vCPU" + ap + " never reached its agent loop; console: " + session.domain().console());
        // The agent on this vCPU answers a command: it runs, and reaches its hypercall page.
        assertTrue(a.execute(new Agent.Command(OP_READ64, a.mailboxVa() + MAGIC)).done());
    }

    @Then("vCPU {int} has not run")
    public void notRun(int ap) {
        session.domain().runUntil(() -> false, 200_000);
        assertTrue(!session.agent(ap).ready(), "vCPU" + ap + " ran its entry code");
    }

    @Then("vCPU {int} saw {word} = {value} at its entry point")
    public void sawAtEntry(int ap, String what, Long expected) {
        int off = switch (what) {
            case "RFLAGS" -> ENTRY_RFLAGS;
            case "CR0" -> ENTRY_CR0;
            case "CR3" -> ENTRY_CR3;
            case "CR4" -> ENTRY_CR4;
            case "EFER" -> ENTRY_EFER;
            case "RBX" -> ENTRY_GPRS + 8 * 3;
            case "RAX" -> ENTRY_GPRS;
            default -> throw new IllegalArgumentException("unknown entry value " + what);
        };
        long actual = session.agent(ap).entryValue(off);
        assertEquals((long) expected, actual, () -> String.format("vCPU%d %s at entry: %#x", ap, what, actual));
    }

    @Then("vCPU {int} saw the CR3 of vCPU 0 at its entry point")
    public void sawCr3(int ap) {
        assertEquals(session.agent().entryValue(ENTRY_CR3), session.agent(ap).entryValue(ENTRY_CR3));
    }

    @When("vCPU {int} calls {vcpuop} on vCPU {int}")
    public void vcpuOpNull(int caller, EventSteps.Op op, int target) {
        session.last = session.agent(caller).hypercall(EventSteps.VCPU_OP, op.number(), target, 0);
    }

    @When("vCPU {int} calls {vcpuop} on vCPU {int} with {fields}")
    public void vcpuOp(int caller, EventSteps.Op op, int target, Map<String, String> fields) {
        String struct = switch (op.name()) {
            case "VCPUOP_set_periodic_timer" -> "vcpu_set_periodic_timer";
            case "VCPUOP_set_singleshot_timer" -> "vcpu_set_singleshot_timer";
            case "VCPUOP_get_runstate_info" -> "vcpu_runstate_info";
            case "VCPUOP_register_vcpu_info" -> "vcpu_register_vcpu_info";
            case "VCPUOP_register_runstate_memory_area", "VCPUOP_register_vcpu_time_memory_area" ->
                    "vcpu_register_runstate_memory_area";
            case "VCPUOP_get_physid" -> "vcpu_get_physid";
            default -> throw new IllegalArgumentException(op.name() + " takes no struct here");
        };
        events.issue(caller, EventSteps.VCPU_OP, op.number(), EventWorld.struct(struct), fields, true, target);
    }

    /** The call never returns to a command loop that could report it: the vCPU is down (§8.1). */
    @When("vCPU {int} takes itself offline with {vcpuop}")
    public void downSelf(int vcpu, EventSteps.Op op) {
        assertEquals("VCPUOP_down", op.name());
        session.agent(vcpu).submit(java.util.List.of(new Agent.Command(OP_HYPERCALL, EventSteps.VCPU_OP, op.number(), vcpu, 0)));
        session.domain().runUntil(() -> false, 100_000);
    }

    /** The last page of vCPU0's scratch: nothing else the steps write goes there. */
    private long spareVa() {
        return session.agent().scratchVa() + 0x3000;
    }

    @When("vCPU 0 registers its runstate area in a spare page of its own memory")
    public void registerRunstateArea() {
        events.issue(0, EventSteps.VCPU_OP, 5, EventWorld.struct("vcpu_register_runstate_memory_area"),
                Map.of("addr", Long.toString(spareVa())), true, 0);
    }

    @Then("vCPU 0 finds state = {int} in its runstate area")
    public void runstateArea(int state) {
        assertEquals(state, session.agent().read64(spareVa()) & 0xFFFFFFFFL);
    }

    @Then("vCPU 0 finds state_entry_time in its runstate area not 0")
    public void runstateAreaTime() {
        assertTrue(session.agent().read64(spareVa() + 8) != 0, "state_entry_time is 0");
    }

    @When("vCPU 0 registers its vcpu_time_info area in a spare page of its own memory")
    public void registerTimeArea() {
        events.issue(0, EventSteps.VCPU_OP, 13, EventWorld.struct("vcpu_register_runstate_memory_area"),
                Map.of("addr", Long.toString(spareVa() + 0x200)), true, 0);
    }

    @Then("vCPU 0 finds an even version and a non-zero tsc_to_system_mul in that area")
    public void timeArea() {
        Agent a = session.agent();
        long version = a.read64(spareVa() + 0x200) & 0xFFFFFFFFL;
        assertTrue(version != 0 && (version & 1) == 0, () -> "version " + version);
        assertTrue((a.read64(spareVa() + 0x200 + 24) & 0xFFFFFFFFL) != 0, "tsc_to_system_mul is 0");
    }

    @When("vCPU {int} registers the vcpu_info of vCPU {int} at offset {int} of a spare page")
    public void registerVcpuInfo(int caller, int target, int offset) {
        long gfn = (spareVa() - session.kernel().virtBase()) >>> 12; // §7.1 linear map
        events.issue(caller, EventSteps.VCPU_OP, 10, EventWorld.struct("vcpu_register_vcpu_info"),
                Map.of("mfn", Long.toString(gfn), "offset", Integer.toString(offset)), true, target);
    }

    @Then("the vcpu_info at offset {int} of the spare page has evtchn_upcall_pending = 1 and every evtchn_pending_sel bit set")
    public void newVcpuInfo(int offset) {
        Agent a = session.agent();
        assertEquals(1, a.read8(spareVa() + offset + EventWorld.UPCALL_PENDING), "evtchn_upcall_pending");
        assertEquals(-1L, a.read64(spareVa() + offset + EventWorld.PENDING_SEL), "evtchn_pending_sel");
    }

    @When("vCPU 0 sends itself an NMI with VCPUOP_send_nmi \\(11)")
    public void nmi() {
        session.last = session.agent().hypercall(EventSteps.VCPU_OP, 11, 0, 0);
    }

    @Then("vCPU 0 took an exception through IDT vector {int}")
    public void exceptionVector(int vector) {
        assertTrue(session.agent().mailboxWord(EXCEPTION_COUNT) > 0, "no exception was taken");
        assertEquals(vector, session.agent().mailboxWord(LAST_FAULT));
    }

    @When("vCPU {int} calls {vcpuop} on vCPU {int} with a non-NULL argument")
    public void nonNull(int caller, EventSteps.Op op, int target) {
        Agent a = session.agent(caller);
        session.last = a.hypercall(EventSteps.VCPU_OP, op.number(), target, a.scratchVa());
    }

    @When("vCPU {int} calls {vcpuop} on vCPU {int} with an unmapped argument")
    public void unmapped(int caller, EventSteps.Op op, int target) {
        session.last = session.agent(caller).hypercall(EventSteps.VCPU_OP, op.number(), target, GuestSession.UNMAPPED_VA);
    }

    /** HLT with IF = 0 never returns to the loop on that vCPU (§7.1): the harness does not wait for it. */
    @When("vCPU {int} disables interrupts and executes HLT")
    public void cliHlt(int vcpu) {
        session.agent(vcpu).submit(java.util.List.of(new Agent.Command(OP_CLI), new Agent.Command(OP_HLT)));
        session.domain().runUntil(() -> false, 100_000);
    }

    @When("vCPU {int} reads the runstate of vCPU {int}")
    public void runstate(int caller, int target) {
        events.issue(caller, EventSteps.VCPU_OP, 4, EventWorld.struct("vcpu_runstate_info"), Map.of(), true, target);
        assertTrue(session.last.done() && session.last.result() == 0, () -> "get_runstate_info: " + session.last);
    }

    @Then("the runstate read is {word} \\({int})")
    public void runstateIs(String name, int state) {
        String[] names = {"running", "runnable", "blocked", "offline"};
        assertEquals(names[state], name, "§8.1 runstate names");
        events.readsBack("state", (long) state);
    }

    @Then("the runstate read has spent time in {word}")
    public void spent(String name) {
        assertTrue(events.readBack("time_" + name) > 0, () -> "time_" + name + " is 0");
    }
}
