package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.List;
import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.Agent.Command;

/** Building domains, the guest's life cycle, and what the toolstack sees of it. */
public final class DomainSteps {

    private final GuestSession session;

    public DomainSteps(GuestSession session) {
        this.session = session;
    }

    // ---- Given: a running guest ----

    @Given("a PVH guest running the agent stub")
    public void guestRunning() {
        session.agent();
    }

    @Given("a PVH guest with {int} MiB of memory running the agent stub")
    public void guestWithMemory(int mib) {
        session.config(session.config().withMemoryMiB(mib));
        session.agent();
    }

    @Given("a PVH guest with {int} vCPUs running the agent stub")
    public void guestWithVcpus(int n) {
        session.config(session.config().withVcpus(n));
        session.agent();
    }

    @Given("a PVH guest running the agent stub with the command line {string}")
    public void guestWithCmdline(String cmdline) {
        session.config(session.config().withCmdline(cmdline));
        session.agent();
    }

    // ---- Given: the toolstack config ----

    @Given("the toolstack config says pvh=1")
    public void pvh1() {
        session.config(session.config().withPvh(true).withHap(null));
    }

    @Given("the toolstack config says pvh=1 and hap=0")
    public void pvh1Hap0() {
        session.config(session.config().withPvh(true).withHap(false));
    }

    @Given("the toolstack config gives the domain {int} MiB of memory")
    public void memory(int mib) {
        session.config(session.config().withMemoryMiB(mib));
    }

    // ---- When / Then: building ----

    @When("the toolstack builds the domain")
    public void build() {
        session.build();
    }

    @Then("the domain is built and the guest starts")
    public void builtAndStarted() {
        assertNull(session.refusal(), () -> "the toolstack refused the kernel: " + session.refusal().getMessage());
        session.agent(); // waits for the agent's ready magic, written by guest code
    }

    @Then("the builder refuses the kernel, naming {string}")
    public void refused(String rule) {
        assertNotNull(session.refusal(), "the toolstack built the domain; expected a refusal naming \"" + rule + "\"");
        String message = session.refusal().getMessage();
        assertTrue(message.contains(rule), () -> "the refusal \"" + message + "\" does not name \"" + rule + "\"");
    }

    @Then("the refusal names {string}")
    public void refusalNames(String text) {
        refused(text);
    }

    // ---- the guest's life ----

    @Then("the guest is still running")
    public void stillRunning() {
        assertEquals(-1, session.domain().shutdownCode(), "the domain has shut down");
        // A further stage completing proves the guest still executes and still reaches its hypercall page.
        Agent.Result r = session.agent().execute(new Command(OP_READ64, session.kernel().symbol("mailbox") + MAGIC));
        assertTrue(r.done(), () -> "the guest did not complete a further command: " + r);
        assertEquals(MAGIC_VALUE, r.result());
    }

    @When("the guest disables interrupts and executes HLT")
    public void cliHlt() {
        session.last = session.agent().execute(List.of(new Command(OP_CLI), new Command(OP_HLT))).get(1);
    }

    @When("the guest loads an empty IDT and executes UD2")
    public void emptyIdtUd2() {
        session.agent().execute(List.of(new Command(OP_LIDT, 0, 0), new Command(OP_UD2)));
    }

    @Then("the toolstack sees the domain shut down with reason {shutdownReason}")
    public void shutDownWith(ParameterTypes.Named reason) {
        int code = session.domain().shutdownCode();
        assertEquals(reason.value(), code, () -> "shutdown code " + code + " (" + session.domain().shutdownCause() + ")");
    }

    @Then("the hypervisor says the domain triple-faulted")
    public void tripleFaulted() {
        String cause = session.domain().shutdownCause();
        assertTrue(cause.toLowerCase(java.util.Locale.ROOT).contains("triple fault"), () -> "cause: " + cause);
    }

    @Then("the toolstack console shows {string}")
    public void consoleShows(String text) {
        String console = session.domain().console();
        assertTrue(console.contains(Values.unescape(text)), () -> "console: \"" + console + "\"");
    }
}
