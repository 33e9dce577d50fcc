package org.pvhconf.conform.harness;

import java.util.Locale;
import java.util.function.Supplier;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.interp.Interpreter;
import org.pvhconf.x86.jit.JitEngine;
import org.pvhconf.xen.HypervisorOptions;

/** Chooses the hypervisor under test and its execution engine from the command line or system properties. */
public final class Hypervisors {
    private Hypervisors() {
    }

    /** System property naming the engine for a conformance run: {@code jit} (default) or {@code interp}. */
    public static final String ENGINE_PROPERTY = "pvhconf.engine";

    /** The engine when none is named: the JIT (issue 4), since the whole conformance suite passes on it. */
    public static final String DEFAULT_ENGINE = "jit";

    /** The reference hypervisor with the engine named by {@value #ENGINE_PROPERTY}. */
    public static HypervisorUnderTest fromSystemProperties() {
        return new ReferenceHypervisor(options(System.getProperty(ENGINE_PROPERTY, DEFAULT_ENGINE)));
    }

    /** Options for the reference hypervisor with the named engine; an unknown name is refused. */
    public static HypervisorOptions options(String engine) {
        return HypervisorOptions.builder().engineFactory(engineFactory(engine)).build();
    }

    static Supplier<Cpu.Engine> engineFactory(String engine) {
        return switch (engine.toLowerCase(Locale.ROOT)) {
            case "interp" -> Interpreter::new;
            case "jit" -> JitEngine::new;
            default -> throw new IllegalArgumentException("engine '" + engine
                    + "' is not available in this build (available: jit, interp)");
        };
    }
}
