package org.pvhconf.conform.steps;

import io.cucumber.java.After;
import io.cucumber.java.Scenario;
import java.nio.charset.StandardCharsets;
import org.pvhconf.conform.harness.GuestDomain;

/** Attaches what the toolstack saw of each scenario's guest to the report, so no step has to. */
public final class Hooks {

    private final GuestSession session;

    public Hooks(GuestSession session) {
        this.session = session;
    }

    @After
    public void attachTraceAndConsole(Scenario scenario) {
        GuestDomain domain = session.domain();
        if (domain == null) {
            if (session.refusalOrNull() != null) {
                scenario.attach(session.refusalOrNull().getMessage().getBytes(StandardCharsets.UTF_8), "text/plain",
                        "toolstack refusal");
            }
            return;
        }
        String trace = String.join("\n", domain.hypercallTrace());
        scenario.attach(trace.getBytes(StandardCharsets.UTF_8), "text/plain", "hypercall trace");
        scenario.attach(domain.console().getBytes(StandardCharsets.UTF_8), "text/plain", "guest console");
        scenario.attach(String.format("guest instructions: %d%nshutdown code: %d%ncause: %s%n",
                domain.instructionsRetired(), domain.shutdownCode(), domain.shutdownCause())
                .getBytes(StandardCharsets.UTF_8), "text/plain", "domain summary");
    }
}
