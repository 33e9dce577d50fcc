package org.pvhconf.stubs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs GNU binutils for tests that compare against them. A test that needs a tool calls
 * {@link #assume} first, so a machine without binutils reports it as skipped, never as passed.
 */
public final class Binutils {
    private static final Map<String, Boolean> PRESENT = new ConcurrentHashMap<>();

    private Binutils() {
    }

    /** The outcome of one tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Fails with the tool's own message unless it exited with status 0. */
        public Result check() {
            if (exitCode != 0) {
                throw new AssertionError("tool failed (" + exitCode + "): " + stderr + stdout);
            }
            return this;
        }
    }

    /** Skips the calling test unless every named tool runs. */
    public static void assume(final String... tools) {
        for (String tool : tools) {
            assumeTrue(present(tool), tool + " (GNU binutils) is not installed");
        }
    }

    public static boolean present(final String tool) {
        return PRESENT.computeIfAbsent(tool, t -> {
            try {
                return run(Path.of("."), t, "--version").exitCode() == 0;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Runs a command in {@code dir} and waits (at most a minute) for it. */
    public static Result run(final Path dir, final String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).start();
        try {
            p.getOutputStream().close();
            // Tools write little; reading stdout fully before stderr cannot dead-lock at these sizes.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
