package org.pvhconf.stubs.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.decode.Decoder;

/**
 * The assembler round trip of issue 3: every form the stub assembler offers (each line of
 * {@code encodings.txt}) is encoded by the {@link Assembler}, decoded again by the CPU's own decoder, and
 * must come back as the same instructions: the same count, the same lengths, the same mnemonics.
 */
class AssemblerDecoderRoundTripTest {

    /** GNU as spellings that the decoder's form table names differently (same instruction). */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("movabs", "mov"), Map.entry("jz", "je"), Map.entry("jnz", "jne"), Map.entry("sal", "shl"),
            Map.entry("jc", "jb"), Map.entry("jnae", "jb"), Map.entry("jnc", "jae"), Map.entry("jnb", "jae"),
            Map.entry("jna", "jbe"), Map.entry("jnbe", "ja"), Map.entry("jpe", "jp"), Map.entry("jpo", "jnp"),
            Map.entry("jnge", "jl"), Map.entry("jnl", "jge"), Map.entry("jng", "jle"), Map.entry("jnle", "jg"),
            Map.entry("iretq", "iret"), Map.entry("pushfq", "pushf"), Map.entry("popfq", "popf"),
            Map.entry("lretq", "retf"), Map.entry("retfq", "retf"), Map.entry("retq", "ret"),
            Map.entry("pushq", "push"), Map.entry("popq", "pop"));

    private static final List<String> PREFIXES = List.of("rep", "repe", "repz", "repne", "repnz", "lock");

    @TestFactory
    Stream<DynamicTest> assembledBytes_decodeToTheSameInstructions() throws IOException {
        return AssemblerBinutilsTest.cases().stream().map(c -> dynamicTest(c.toString(), () -> {
            List<String> expected = mnemonics(c.source());
            Assembler asm = new Assembler(AssemblerBinutilsTest.ORIGIN);
            new IntelSyntax(asm).assemble(c.source());
            byte[] code = asm.finish();
            List<String> decoded = new ArrayList<>();
            int at = 0;
            while (at < code.length && decoded.size() < expected.size()) {
                int start = at;
                DecodedInsn d = Decoder.decode(i -> start + i < code.length ? code[start + i] & 0xFF : 0xCC);
                assertTrue(d.length > 0 && start + d.length <= code.length,
                        () -> "instruction at +" + start + " runs past the encoding");
                decoded.add(canonical(d.form.mnemonic.toLowerCase(Locale.ROOT)));
                at += d.length;
            }
            assertEquals(expected, decoded, c.source());
            if (expected.size() == decoded.size() && !hasData(c.source())) {
                assertEquals(code.length, at, () -> "lengths: decoded " + decoded + " but " + code.length + " bytes");
            }
        }));
    }

    /** The instruction mnemonics of one case, in order: labels, data and prefixes left out. */
    private static List<String> mnemonics(String source) {
        List<String> out = new ArrayList<>();
        for (String statement : source.split(";")) {
            String s = statement.strip().replaceFirst("^[A-Za-z_.][\\w.]*:\\s*", "");
            java.util.regex.Matcher fill = java.util.regex.Pattern.compile("\\.fill (\\d+), 1, 0xcc").matcher(s);
            if (fill.matches()) { // int3 filler decodes as that many INT3s
                out.addAll(java.util.Collections.nCopies(Integer.parseInt(fill.group(1)), "int3"));
                continue;
            }
            if (s.isEmpty() || s.startsWith(".") || s.matches("(?i)d[bwdq]\\b.*")) {
                continue;
            }
            String[] words = s.toLowerCase(Locale.ROOT).split("\\s+");
            int w = 0;
            while (w < words.length - 1 && (PREFIXES.contains(words[w]) || words[w].startsWith("{"))) {
                w++; // LOCK/REP prefixes and GNU as's {disp8}/{disp32} encoding hints
            }
            out.add(canonical(words[w]));
        }
        return out;
    }

    private static boolean hasData(String source) {
        for (String statement : source.split(";")) {
            String s = statement.strip().replaceFirst("^[A-Za-z_.][\\w.]*:\\s*", "");
            if ((s.startsWith(".") && !s.matches("\\.fill \\d+, 1, 0xcc")) || s.matches("(?i)d[bwdq]\\b.*")) {
                return true;
            }
        }
        return false;
    }

    private static String canonical(String mnemonic) {
        return ALIASES.getOrDefault(mnemonic, mnemonic);
    }
}
