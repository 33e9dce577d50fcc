package org.pvhconf.x86.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Assembles Intel-syntax snippets with GNU as and objcopy, at test time. Tests call
 * {@code assumeTrue(Asm.available())} so that a machine without binutils skips them visibly.
 */
public final class Asm {
    private static Boolean available;

    private Asm() {
    }

    public static synchronized boolean available() {
        if (available == null) {
            try {
                available = run("nop").length == 1;
            } catch (RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /** The machine code of {@code source} (lines of Intel syntax), placed at address 0 (`.org` works). */
    public static byte[] assemble(String source) {
        return run(source);
    }

    private static byte[] run(String source) {
        try {
            Path dir = Files.createTempDirectory("pvhconf-asm");
            try {
                Path s = dir.resolve("t.s");
                Path o = dir.resolve("t.o");
                Path b = dir.resolve("t.bin");
                Files.writeString(s, ".intel_syntax noprefix\n.text\n" + source + "\n", StandardCharsets.UTF_8);
                exec(dir, "as", "--64", "-o", o.toString(), s.toString());
                exec(dir, "objcopy", "-O", "binary", "-j", ".text", o.toString(), b.toString());
                return Files.readAllBytes(b);
            } finally {
                try (var files = Files.list(dir)) {
                    files.forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
