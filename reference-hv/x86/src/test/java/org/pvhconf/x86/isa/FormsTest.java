package org.pvhconf.x86.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.sem.Env;
import org.pvhconf.x86.sem.Helper;
import org.pvhconf.x86.sem.Semantics;
import org.pvhconf.x86.sem.Sys;

/** The form table is complete and consistent with the semantics and helper registries. */
class FormsTest {

    @Test
    void everyForm_hasASemanticDefinition() {
        List<String> missing = new ArrayList<>();
        for (Form f : Forms.all()) {
            if (!Semantics.defined(f)) {
                missing.add(f.name);
            }
        }
        assertTrue(missing.isEmpty(), "no semantics for " + missing);
    }

    @Test
    void names_areIcedStyleAndUnique() {
        assertEquals(Forms.all().size(), Forms.all().stream().map(f -> f.name).distinct().count());
        assertNotNull(Forms.byName("ADD_RM64_R64"));
        assertNotNull(Forms.byName("MOV_R64_IMM64"));
        assertEquals("81 /0", Forms.byName("ADD_RM32_IMM32").encoding());
    }

    @Test
    void helper_namesAStaticLongMethodOfItsArity() throws NoSuchMethodException {
        for (Helper h : Helper.values()) {
            Class<?>[] params = new Class<?>[h.arity];
            java.util.Arrays.fill(params, long.class);
            Method m = h.owner.getMethod(h.method, params);
            assertTrue(Modifier.isStatic(m.getModifiers()) && m.getReturnType() == long.class, h.name());
        }
    }

    @Test
    void sys_namesAStaticMethodTakingEnvInsnLong() throws NoSuchMethodException {
        for (Sys s : Sys.values()) {
            Method m = s.owner.getMethod(s.method, Env.class, DecodedInsn.class, long.class);
            assertTrue(Modifier.isStatic(m.getModifiers()) && m.getReturnType() == long.class, s.name());
        }
    }

    // ---- the README's generated tables ----

    private static final Path README = Path.of("README.md");

    /** The issue-3 list, item by item, as the mnemonics of the form table that implement it. */
    static Map<String, List<String>> issueItems() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("ALU group with all flags", List.of("ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP", "TEST"));
        m.put("INC/DEC, NEG/NOT", List.of("INC", "DEC", "NEG", "NOT"));
        m.put("MUL/IMUL (1/2/3 operands), DIV/IDIV", List.of("MUL", "IMUL", "DIV", "IDIV"));
        m.put("shifts and rotates, SHLD/SHRD", List.of("ROL", "ROR", "RCL", "RCR", "SHL", "SHR", "SAL", "SAR", "SHLD", "SHRD"));
        m.put("BT/BTS/BTR/BTC", List.of("BT", "BTS", "BTR", "BTC"));
        m.put("BSF/BSR/TZCNT/LZCNT/POPCNT", List.of("BSF", "BSR", "TZCNT", "LZCNT", "POPCNT"));
        m.put("BSWAP", List.of("BSWAP"));
        m.put("MOV, MOVZX/MOVSX/MOVSXD", List.of("MOV", "MOVZX", "MOVSX", "MOVSXD"));
        List<String> cc = new ArrayList<>();
        for (String c : Forms.CC) {
            cc.add("CMOV" + c);
            cc.add("SET" + c);
            cc.add("J" + c);
        }
        m.put("CMOVcc/SETcc/Jcc, all 16 conditions", cc);
        m.put("XCHG/XADD/CMPXCHG/CMPXCHG8B/CMPXCHG16B", List.of("XCHG", "XADD", "CMPXCHG", "CMPXCHG8B", "CMPXCHG16B"));
        m.put("CBW/CWDE/CDQE/CWD/CDQ/CQO", List.of("CBW", "CWDE", "CDQE", "CWD", "CDQ", "CQO"));
        m.put("LAHF/SAHF, flag instructions", List.of("LAHF", "SAHF", "CLC", "STC", "CMC", "CLD", "STD", "CLI", "STI"));
        m.put("PUSHF/POPF", List.of("PUSHFW", "PUSHFQ", "POPFW", "POPFQ"));
        m.put("PUSH/POP/CALL/RET near and far, with imm16", List.of("PUSH", "POP", "PUSHW", "PUSHQ", "POPW", "POPQ", "CALL",
                "CALLF", "RET", "RETFW", "RETFD", "RETFQ", "JMP", "JMPF"));
        m.put("ENTER/LEAVE", List.of("ENTERW", "ENTERQ", "LEAVEW", "LEAVEQ"));
        m.put("LOOP/LOOPcc/JRCXZ", List.of("LOOP", "LOOPE", "LOOPNE", "JRCXZ"));
        m.put("string instructions (REP/REPE/REPNE come from prefixes)", List.of("MOVSB", "MOVSW", "MOVSD", "MOVSQ", "CMPSB",
                "CMPSW", "CMPSD", "CMPSQ", "STOSB", "STOSW", "STOSD", "STOSQ", "LODSB", "LODSW", "LODSD", "LODSQ", "SCASB",
                "SCASW", "SCASD", "SCASQ", "INSB", "INSW", "INSD", "OUTSB", "OUTSW", "OUTSD"));
        m.put("LEA (every addressing form, RIP-relative)", List.of("LEA"));
        m.put("XLAT", List.of("XLATB"));
        m.put("NOP forms, PAUSE", List.of("NOP", "RESERVEDNOP", "PAUSE"));
        m.put("UD2 (and UD0/UD1)", List.of("UD2", "UD0", "UD1"));
        m.put("INT n/INT3/INT1/IRET(Q)", List.of("INT", "INT3", "INT1", "IRETW", "IRETD", "IRETQ"));
        m.put("HLT", List.of("HLT"));
        m.put("CPUID, RDTSC/RDTSCP, RDMSR/WRMSR", List.of("CPUID", "RDTSC", "RDTSCP", "RDMSR", "WRMSR"));
        m.put("MOV to/from CR0/CR2/CR3/CR4/CR8 and DR0-DR7, CLTS, SMSW/LMSW", List.of("MOV", "CLTS", "SMSW", "LMSW"));
        m.put("LGDT/LIDT/SGDT/SIDT/LLDT/LTR/STR/SLDT", List.of("LGDT", "LIDT", "SGDT", "SIDT", "LLDT", "LTR", "STR", "SLDT"));
        m.put("segment loads (MOV Sreg, POP FS/GS), far JMP/CALL", List.of("MOV", "POPW", "POPQ", "JMPF", "CALLF"));
        m.put("SWAPGS, SYSCALL/SYSRET", List.of("SWAPGS", "SYSCALL", "SYSRETD", "SYSRETQ"));
        m.put("INVLPG", List.of("INVLPG"));
        m.put("WBINVD/INVD/CLFLUSH/MFENCE/LFENCE/SFENCE", List.of("WBINVD", "INVD", "CLFLUSH", "CLFLUSHOPT", "MFENCE",
                "LFENCE", "SFENCE"));
        m.put("XGETBV/XSETBV", List.of("XGETBV", "XSETBV"));
        m.put("port I/O", List.of("IN", "OUT"));
        m.put("32-bit code only: PUSHA/POPA, BOUND, ARPL, LES/LDS, BCD, INTO, 32-bit stack forms",
                List.of("PUSHAW", "PUSHAD", "POPAW", "POPAD", "BOUND", "ARPL", "LES", "LDS", "DAA", "DAS", "AAA", "AAS", "AAM",
                        "AAD", "INTO", "PUSHD", "POPD", "PUSHFD", "POPFD", "ENTERD", "LEAVED"));
        m.put("VMCALL/VMMCALL (hypercalls)", List.of("VMCALL", "VMMCALL"));
        m.put("SSE/SSE2 data movement and integer ops", List.of("MOVDQA", "MOVDQU", "MOVAPS", "MOVUPS", "MOVQ", "MOVD",
                "PXOR", "POR", "PAND"));
        m.put("FXSAVE/FXRSTOR", List.of("FXSAVE", "FXRSTOR"));
        return m;
    }

    /** The list of forms, one bullet per mnemonic. */
    static String formsBlock() {
        StringBuilder sb = new StringBuilder();
        String last = "";
        for (Form f : Forms.all()) {
            if (!f.mnemonic.equals(last)) {
                sb.append(sb.length() == 0 ? "" : "\n").append("* **").append(f.mnemonic).append("**:");
                last = f.mnemonic;
            }
            sb.append(" `").append(f.name).append("`");
        }
        return sb.toString();
    }

    /** The issue's list against the table: how many forms implement each item, and what is missing. */
    static String coverageBlock() {
        StringBuilder sb = new StringBuilder("| issue 3 item | forms | status |\n|---|---|---|");
        for (Map.Entry<String, List<String>> e : issueItems().entrySet()) {
            int forms = 0;
            List<String> missing = new ArrayList<>();
            for (String m : e.getValue()) {
                int n = 0;
                for (Form f : Forms.all()) {
                    if (f.mnemonic.equals(m) && Semantics.defined(f)) {
                        n++;
                    }
                }
                if (n == 0) {
                    missing.add(m);
                }
                forms += n;
            }
            sb.append("\n| ").append(e.getKey()).append(" | ").append(forms).append(" | ")
                    .append(missing.isEmpty() ? "implemented" : "**missing:** " + String.join(" ", missing)).append(" |");
        }
        sb.append("\n\n").append(Forms.all().size()).append(" forms in all.");
        return sb.toString();
    }

    private static String replaceBlock(String text, String name, String body) {
        String begin = "<!-- GENERATOR-BEGIN " + name + " -->\n";
        String end = "<!-- GENERATOR-END " + name + " -->";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException("README has no generated block " + name);
        }
        return text.substring(0, b + begin.length()) + body + "\n" + text.substring(e);
    }

    static String generatedReadme(String current) {
        return replaceBlock(replaceBlock(current, "forms", formsBlock()), "coverage", coverageBlock());
    }

    @Test
    void readmeTables_areCurrent() throws IOException {
        String current = Files.readString(README);
        assertEquals(generatedReadme(current), current,
                "README.md is stale: java -cp target/classes:target/test-classes org.pvhconf.x86.isa.FormsTest");
    }

    /** Rewrites the README's generated blocks; run from the module directory after changing the table. */
    public static void main(String[] args) throws IOException {
        Files.writeString(README, generatedReadme(Files.readString(README)));
    }
}
