package org.pvhconf.conform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pvhconf.conform.harness.Hypervisors;
import org.pvhconf.stubs.kernels.bench.BenchKernel;
import org.pvhconf.stubs.kernels.bench.BenchKernel.Workload;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvhconf bench}: guest MIPS of the JIT, the interpreter and (where {@code qemu-x86_64} is
 * installed) QEMU's TCG on the workloads of {@code shared/bench/x86-workloads}: the Xen-guest twins
 * ({@link BenchKernel}) on our engines, the Linux programs under QEMU. Runners are interleaved round
 * by round; round 1 is the warm-up, reported on its own, and the rest give medians. Every run's
 * output is checked against the expected checksum before its time counts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures guest MIPS of the JIT, the interpreter and QEMU TCG on arith, sieve and fib.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Rounds per runner, the first being the warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--workloads", paramLabel = "W,...", split = ",", defaultValue = "arith,sieve,fib",
            description = "Workloads to run (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--args", paramLabel = "A,S,F", split = ",", defaultValue = "100000000,64,38",
            description = "Arguments of arith, sieve and fib for the JIT and QEMU (default: the programs' own, ${DEFAULT-VALUE}).")
    long[] args;

    @Option(names = "--interp-args", paramLabel = "A,S,F", split = ",", defaultValue = "10000000,6,33",
            description = "Smaller arguments for the interpreter (default: ${DEFAULT-VALUE}).")
    long[] interpArgs;

    @Option(names = "--workloads-dir", paramLabel = "DIR",
            description = "The Linux workloads (default: $PVHCONF_HOME/../shared/bench/x86-workloads).")
    Path workloadsDir;

    @Option(names = "--quantum", paramLabel = "N", defaultValue = "" + org.pvhconf.xen.HypervisorOptions.DEFAULT_QUANTUM,
            description = "The scheduler quantum our engines run under, in guest instructions (default: the hypervisor's,"
                    + " ${DEFAULT-VALUE}; Xen's credit scheduler gives a vCPU 30 ms).")
    long quantum;

    @Option(names = "--qemu", paramLabel = "PATH", defaultValue = "qemu-x86_64",
            description = "The QEMU user-mode emulator (default: ${DEFAULT-VALUE}); skipped when absent.")
    String qemu;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One runner's samples on one workload. */
    private static final class Series {
        final String runner;
        final long arg;
        long instructions;
        String stats;
        double warmup = Double.NaN;
        final List<Double> mips = new ArrayList<>();

        Series(String runner, long arg) {
            this.runner = runner;
            this.arg = arg;
        }

        double median() {
            double[] m = mips.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (m.length == 0) {
                return Double.NaN;
            }
            return m.length % 2 == 1 ? m[m.length / 2] : (m[m.length / 2 - 1] + m[m.length / 2]) / 2;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (quantum < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--quantum must be positive: " + quantum);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home = Path.of(System.getenv().getOrDefault("PVHCONF_HOME", "."));
        Path dir = workloadsDir != null ? workloadsDir : home.resolve("../shared/bench/x86-workloads").normalize();
        Path linux = buildLinuxPrograms(dir, err);
        out.println("pvhconf bench: " + machine() + ", quantum " + quantum + " instructions");
        Map<Workload, List<Series>> results = new LinkedHashMap<>();
        for (String name : workloads) {
            Workload w = Workload.valueOf(name.toUpperCase(Locale.ROOT));
            int i = w.ordinal();
            List<Series> series = new ArrayList<>(List.of(new Series("interp", interpArgs[i]), new Series("jit", args[i])));
            if (linux != null) {
                series.add(new Series("qemu", args[i]));
            }
            for (int round = 0; round < runs; round++) {
                for (Series s : series) {
                    double mips = s.runner.equals("qemu") ? runQemu(linux, w, s) : runGuest(w, s);
                    if (round == 0) {
                        s.warmup = mips;
                    } else {
                        s.mips.add(mips);
                    }
                    err.printf(Locale.ROOT, "  %s %s round %d: %.1f MIPS%n", name, s.runner, round + 1, mips);
                }
            }
            results.put(w, series);
        }
        out.printf(Locale.ROOT, "%-6s %-7s %12s %15s %12s %14s%n", "work", "runner", "argument", "guest insns",
                "warm-up MIPS", "median MIPS");
        for (Map.Entry<Workload, List<Series>> e : results.entrySet()) {
            for (Series s : e.getValue()) {
                out.printf(Locale.ROOT, "%-6s %-7s %12d %15d %12.1f %10.1f (n=%d)%n", e.getKey().name().toLowerCase(Locale.ROOT),
                        s.runner, s.arg, s.instructions, s.warmup, s.median(), s.mips.size());
            }
        }
        for (Map.Entry<Workload, List<Series>> e : results.entrySet()) {
            for (Series s : e.getValue()) {
                if (s.stats != null) {
                    out.printf(Locale.ROOT, "%-6s %s: %s%n", e.getKey().name().toLowerCase(Locale.ROOT), s.runner, s.stats);
                }
            }
        }
        out.println("ratios of medians (target: JIT/interp >= 20; JIT/QEMU >= 1.0 on arith and fib, >= 0.5 on sieve):");
        for (Map.Entry<Workload, List<Series>> e : results.entrySet()) {
            List<Series> s = e.getValue();
            double jit = s.get(1).median();
            String q = s.size() > 2 ? String.format(Locale.ROOT, "%.2f", jit / s.get(2).median()) : "n/a (no qemu-x86_64)";
            out.printf(Locale.ROOT, "  %-6s JIT/interp %.1f   JIT/QEMU %s%n", e.getKey().name().toLowerCase(Locale.ROOT),
                    jit / s.get(0).median(), q);
        }
        out.flush();
        return 0;
    }

    /** One boot of the twin kernel; checks its console line. */
    private double runGuest(Workload w, Series s) {
        byte[] elf = new BenchKernel(w, s.arg).build().elf();
        List<org.pvhconf.x86.cpu.Cpu.Engine> engines = new ArrayList<>();
        java.util.function.Supplier<org.pvhconf.x86.cpu.Cpu.Engine> factory = Hypervisors.options(s.runner).engineFactory();
        Hypervisor hv = new Hypervisor(org.pvhconf.xen.HypervisorOptions.builder().engineFactory(() -> {
            org.pvhconf.x86.cpu.Cpu.Engine e = factory.get();
            engines.add(e);
            return e;
        }).quantum(quantum).build());
        Domain d;
        try {
            d = hv.createDomain(new DomainConfig(), elf);
        } catch (Exception e) {
            throw new IllegalStateException("bench kernel refused: " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        hv.run(Long.MAX_VALUE / 4);
        double seconds = (System.nanoTime() - start) / 1e9;
        String expected = BenchKernel.expectedOutput(w, s.arg);
        if (!d.consoleOutput().equals(expected)) {
            throw new IllegalStateException(w + " on " + s.runner + " printed '" + d.consoleOutput().strip()
                    + "', expected '" + expected.strip() + "'");
        }
        s.instructions = d.instructionsRetired();
        for (org.pvhconf.x86.cpu.Cpu.Engine e : engines) {
            if (e instanceof org.pvhconf.x86.jit.JitEngine j) {
                s.stats = j.stats();
            }
        }
        return s.instructions / seconds / 1e6;
    }

    /** One run of the Linux program under QEMU; its count is counts.py's formula. */
    private double runQemu(Path linux, Workload w, Series s) throws IOException, InterruptedException {
        String name = w.name().toLowerCase(Locale.ROOT);
        ProcessBuilder pb = new ProcessBuilder(qemu, linux.resolve(name).toString(), Long.toString(s.arg));
        long start = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        p.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        String expected = BenchKernel.expectedOutput(w, s.arg);
        if (p.exitValue() != 0 || !output.equals(expected)) {
            throw new IllegalStateException(name + " under QEMU printed '" + output.strip() + "'");
        }
        s.instructions = linuxCount(w, s.arg);
        return s.instructions / seconds / 1e6;
    }

    /** counts.py: the exact instruction count of the Linux program for an explicit argument. */
    static long linuxCount(Workload w, long arg) {
        int digits = Long.toString(arg).length();
        long extra = 6 + 8L * digits;
        return switch (w) {
            case ARITH -> 11 * arg + (arg > 0 ? 1 : 0) + 155 + extra;
            case SIEVE -> 16_788_019L * arg + 150 + extra;
            case FIB -> {
                long a = 0;
                long b = 1;
                for (long i = 0; i < arg + 1; i++) {
                    long t = a + b;
                    a = b;
                    b = t;
                }
                yield 18 * a - 14 + 147 + extra;
            }
        };
    }

    /** Builds the Linux programs with the workloads' Makefile into a temporary directory; null if QEMU or make is missing. */
    private Path buildLinuxPrograms(Path dir, PrintWriter err) throws IOException, InterruptedException {
        if (!onPath(qemu)) {
            err.println("pvhconf bench: " + qemu + " not found: QEMU column skipped (apt-get install qemu-user)");
            return null;
        }
        if (!Files.isRegularFile(dir.resolve("Makefile"))) {
            err.println("pvhconf bench: no workloads at " + dir + ": QEMU column skipped (--workloads-dir)");
            return null;
        }
        Path out = Files.createTempDirectory("pvhconf-bench");
        Process p = new ProcessBuilder("make", "-s", "-C", dir.toString(), "OUT=" + out).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            err.println("pvhconf bench: building the Linux workloads failed: QEMU column skipped\n" + log);
            return null;
        }
        return out;
    }

    private static boolean onPath(String cmd) {
        if (cmd.contains("/")) {
            return Files.isExecutable(Path.of(cmd));
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, cmd)));
    }

    private String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        List<String> flags = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList();
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + ")" + (flags.isEmpty() ? "" : " " + String.join(" ", flags));
    }
}
