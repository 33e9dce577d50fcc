package org.pvhconf.conform.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvhconf conform}: the conformance run. It is the Maven build's own verify (Failsafe runs the
 * features, the reports module writes the Allure HTML), so the command line and {@code mvn verify}
 * can never disagree about what was run.
 */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = "Runs the PVH ABI features against the reference hypervisor and writes the HTML report.")
final class ConformCommand implements Callable<Integer> {

    @Option(names = "--tags", paramLabel = "EXPR",
            description = "Cucumber tag expression selecting scenarios, e.g. \"@boot and not @spec-7.1\".")
    String tags;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jit",
            description = "Execution engine for guest code: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(names = "--offline", description = "Run Maven offline (-o).")
    boolean offline;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Path.of(System.getenv().getOrDefault("PVHCONF_HOME", "."));
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-f", home.resolve("pom.xml").toString(),
                "verify", "-Dpvhconf.engine=" + engine, "-Dpvhconf.conform.interp.skip=true")); // one engine: the one asked for
        if (offline) {
            cmd.add("-o");
        }
        if (tags != null) {
            cmd.add("-Dcucumber.filter.tags=" + tags);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("ALLURE_NO_ANALYTICS", "true");
        int status = pb.start().waitFor();
        File report = home.resolve("reports/target/allure-report/index.html").toFile();
        File matrix = home.resolve("reports/target/conformance-matrix.html").toFile();
        if (report.isFile()) {
            System.err.println("pvhconf: conformance report: " + report.getCanonicalPath());
            if (matrix.isFile()) {
                System.err.println("pvhconf: conformance matrix: " + matrix.getCanonicalPath());
            }
        } else {
            System.err.println("pvhconf: no report was written (see the Maven output above)");
        }
        return status == 0 ? 0 : 1;
    }
}
