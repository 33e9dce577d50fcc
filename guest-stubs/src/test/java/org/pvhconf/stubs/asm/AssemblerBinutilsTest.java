package org.pvhconf.stubs.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.pvhconf.stubs.Binutils;

/**
 * Every encoding in {@code encodings.txt} (one case per line) three ways: our Assembler against the
 * bytes recorded from GNU as, and, where binutils is installed, the recorded bytes against a fresh
 * run of {@code as --64} and {@code ld}, so that the file cannot drift from what binutils does.
 */
class AssemblerBinutilsTest {
    static final long ORIGIN = 0xFFFFFFFF80100000L;

    record Case(int line, String source, byte[] expected) {
        @Override
        public String toString() {
            return "line " + line + ": " + source;
        }
    }

    @TempDir
    Path tmp;

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                AssemblerBinutilsTest.class.getResourceAsStream("encodings.txt")), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int hash = line.lastIndexOf('#');
                out.add(new Case(n, line.substring(0, hash).strip(), bytes(line.substring(hash + 1))));
            }
        }
        return out;
    }

    /** "48 89 d8 cc*3" → bytes. */
    private static byte[] bytes(final String hex) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (String token : hex.strip().split("\\s+")) {
            int star = token.indexOf('*');
            int value = Integer.parseInt(star < 0 ? token : token.substring(0, star), 16);
            int count = star < 0 ? 1 : Integer.parseInt(token.substring(star + 1));
            for (int i = 0; i < count; i++) {
                b.write(value);
            }
        }
        return b.toByteArray();
    }

    private static String hex(final byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** Our encoding of each line equals what GNU as produced. */
    @TestFactory
    Stream<DynamicTest> assemble_matchesRecordedGnuBytes() throws IOException {
        return cases().stream().map(c -> dynamicTest(c.toString(), () -> {
            Assembler asm = new Assembler(ORIGIN);
            new IntelSyntax(asm).assemble(c.source());
            assertEquals(hex(c.expected()), hex(asm.finish()), c.source());
        }));
    }

    /** The recorded bytes are what the installed GNU as and ld produce today (skipped without binutils). */
    @TestFactory
    Stream<DynamicTest> recordedBytes_matchGnuAsNow() throws IOException {
        return cases().stream().map(c -> dynamicTest(c.toString(), () -> {
            Binutils.assume("as", "ld");
            Path dir = Files.createTempDirectory(tmp, "case");
            Files.writeString(dir.resolve("c.s"), ".intel_syntax noprefix\n" + c.source() + "\n");
            Binutils.run(dir, "as", "--64", "-o", "c.o", "c.s").check();
            Binutils.run(dir, "ld", "-e", "0", "-Ttext=0x" + Long.toHexString(ORIGIN), "--oformat=binary",
                    "-o", "c.bin", "c.o").check();
            assertEquals(hex(c.expected()), hex(Files.readAllBytes(dir.resolve("c.bin"))), c.source());
        }));
    }
}
