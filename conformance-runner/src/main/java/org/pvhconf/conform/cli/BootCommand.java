package org.pvhconf.conform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pvhconf.conform.harness.Hypervisors;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.RunOutcome;
import org.pvhconf.xen.domain.BuildRefusedException;
import org.pvhconf.xen.domain.ConfigRefusedException;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import org.pvhconf.xen.domain.ShutdownReason;
import org.pvhconf.xen.domain.XlConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pvhconf boot}: builds a PVH domain from a kernel (or an xl config) and runs it to shutdown.
 * stdout is the guest's console; stderr gets one summary line. Exit status: 0 poweroff, 1 crash or
 * triple fault, 2 refused (kernel, config or option), 3 any other stop.
 */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boots a PVH kernel on the reference hypervisor and runs it until it shuts down.")
final class BootCommand implements Callable<Integer> {

    static final int EXIT_POWEROFF = 0, EXIT_CRASH = 1, EXIT_OTHER = 3;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KERNEL",
            description = "An ELF64 x86-64 kernel with Xen notes (or give kernel= in --config).")
    Path kernel;

    @Option(names = "--config", paramLabel = "XL.cfg", description = "An xl domain config: kernel, memory, vcpus, pvh, hap, extra/cmdline.")
    Path config;

    @Option(names = "--memory", paramLabel = "MiB", description = "Memory for the domain (default 32, or the config's).")
    Integer memoryMiB;

    @Option(names = "--vcpus", paramLabel = "N", description = "Number of vCPUs (default 1, or the config's).")
    Integer vcpus;

    @Option(names = "--cmdline", paramLabel = "S", description = "The guest command line (start_info.cmd_line).")
    String cmdline;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jit",
            description = "Execution engine for guest code: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the hypercall trace to FILE.")
    Path trace;

    @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "4000000000",
            description = "Stop after N guest instructions (exit 3). Default: ${DEFAULT-VALUE}.")
    long maxInstructions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        DomainConfig domainConfig;
        byte[] image;
        try {
            domainConfig = config == null ? new DomainConfig() : XlConfig.parse(read(config), config.toString());
            Path kernelPath = kernel;
            if (kernelPath == null && domainConfig.kernelPath() != null) {
                Path fromConfig = Path.of(domainConfig.kernelPath());
                kernelPath = fromConfig.isAbsolute() || config.getParent() == null ? fromConfig : config.getParent().resolve(fromConfig);
            }
            if (kernelPath == null) {
                err.println("pvhconf: no kernel: give KERNEL or kernel= in the --config file");
                return Pvhconf.EXIT_REFUSED;
            }
            if (memoryMiB != null) {
                domainConfig.memoryMiB(memoryMiB);
            }
            if (vcpus != null) {
                domainConfig.vcpus(vcpus);
            }
            if (cmdline != null) {
                domainConfig.cmdline(cmdline);
            }
            image = Files.readAllBytes(kernelPath);
        } catch (ConfigRefusedException e) {
            err.println("pvhconf: config refused: " + e.getMessage());
            return Pvhconf.EXIT_REFUSED;
        } catch (NoSuchFileException e) {
            err.println("pvhconf: no such file: " + e.getFile());
            return Pvhconf.EXIT_REFUSED;
        } catch (IOException e) {
            err.println("pvhconf: cannot read " + e.getMessage());
            return Pvhconf.EXIT_REFUSED;
        }

        Hypervisor hv = new Hypervisor(Hypervisors.options(engine.name()));
        Domain domain;
        try {
            domain = hv.createDomain(domainConfig, image);
        } catch (BuildRefusedException e) {
            err.println("pvhconf: kernel refused: " + e.getMessage());
            return Pvhconf.EXIT_REFUSED;
        }
        PrintWriter out = spec.commandLine().getOut();
        domain.setConsoleListener(text -> {
            out.print(text);
            out.flush();
        });
        long start = System.nanoTime();
        RunOutcome outcome = hv.run(maxInstructions);
        double seconds = (System.nanoTime() - start) / 1e9;

        if (trace != null) {
            try {
                Files.write(trace, domain.hypercallTrace().stream().map(Object::toString).toList(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("pvhconf: cannot write the trace: " + e.getMessage());
            }
        }
        ShutdownReason reason = domain.shutdownReason();
        String how = reason != null ? "shut down: " + reason.name().toLowerCase(Locale.ROOT)
                + (domain.crashDetail() != null && !domain.crashDetail().isEmpty() ? " (" + domain.crashDetail() + ")" : "")
                : "stopped: " + outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        long insns = domain.instructionsRetired();
        err.printf(Locale.ROOT, "pvhconf: domain %s %s; %d guest instructions, %d hypercalls, %.3f s, %.2f MIPS%n",
                domainConfig.name(), how, insns, domain.hypercallCount(), seconds, seconds > 0 ? insns / seconds / 1e6 : 0.0);
        return exitStatus(domain);
    }

    static int exitStatus(Domain domain) {
        ShutdownReason reason = domain.shutdownReason();
        if (reason == null) {
            return EXIT_OTHER;
        }
        if (domain.crashDetail() != null && domain.crashDetail().toLowerCase(Locale.ROOT).contains("triple fault")) {
            return EXIT_CRASH; // a PVHv1 triple fault powers the domain off (§7.1), but for a user it is a crash
        }
        return switch (reason) {
            case POWEROFF -> EXIT_POWEROFF;
            case CRASH -> EXIT_CRASH;
            default -> EXIT_OTHER;
        };
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
