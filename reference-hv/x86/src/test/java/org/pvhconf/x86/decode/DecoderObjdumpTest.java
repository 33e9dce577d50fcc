package org.pvhconf.x86.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.Form;
import org.pvhconf.x86.isa.Forms;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.isa.Operand;

/**
 * The decoder against GNU objdump ({@code -M intel,intel64}): byte streams are disassembled by both,
 * in lockstep at objdump's instruction boundaries. Wherever this decoder accepts an instruction,
 * objdump must not call it {@code (bad)}, and both must give the same length, the same mnemonic and
 * the same operands in a normalised form (registers by number, memory as base/index/scale/disp32,
 * immediates and branch targets as "imm"). Where this decoder refuses (#UD: x87, SSE, VEX... not
 * implemented), the position is only counted. Skipped when objdump is absent.
 */
class DecoderObjdumpTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void formShapedStreams_matchObjdump_seed7() throws Exception {
        Result r = compare(formStream(new SplittableRandom(7), 12000));
        assertTrue(r.mismatches.isEmpty(), () -> r.report());
        assertTrue(r.compared >= 10000, () -> "only " + r.compared + " instructions compared");
    }

    @Test
    void formShapedStreams_in32BitMode_matchObjdumpI386_seed32() throws Exception {
        Result r = compare(formStream(new SplittableRandom(32), 8000), 32);
        assertTrue(r.mismatches.isEmpty(), () -> r.report());
        assertTrue(r.compared >= 5000, () -> "only " + r.compared + " instructions compared");
    }

    @Test
    void randomByteStreams_matchObjdump_seed0xb17e5() throws Exception {
        SplittableRandom rnd = new SplittableRandom(0xb17e5);
        byte[] bytes = new byte[60000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) rnd.nextInt(256);
        }
        Result r = compare(bytes);
        assertTrue(r.mismatches.isEmpty(), () -> r.report());
        assertTrue(r.compared >= 5000, () -> "only " + r.compared + " instructions compared");
    }

    // ---- the streams ----

    /** Random instances of random forms (random prefixes, REX, ModRM, SIB, displacements), each followed by random bytes. */
    static byte[] formStream(SplittableRandom r, int n) {
        List<Form> forms = Forms.all();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int k = 0; k < n; k++) {
            Form f = forms.get(r.nextInt(forms.size()));
            boolean mem = f.hasModrm && (f.flags & Form.REG_ONLY) == 0 && f.exactModrm < 0
                    && ((f.flags & Form.MEM_ONLY) != 0 || r.nextBoolean());
            if (r.nextInt(8) == 0) {
                o.write(new int[] {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65}[r.nextInt(6)]);
            }
            if (mem && f.lockable() && r.nextInt(3) == 0) {
                o.write(0xF0);
            }
            if (r.nextInt(8) == 0) {
                o.write(0x67);
            }
            if (f.mandatoryPrefix == 0x66 || r.nextInt(4) == 0) {
                o.write(0x66);
            }
            if (f.mandatoryPrefix == 0xF2 || f.mandatoryPrefix == 0xF3) {
                o.write(f.mandatoryPrefix);
            }
            if (r.nextBoolean()) {
                o.write(0x40 | r.nextInt(16));
            }
            switch (f.map) {
                case 1 -> o.write(0x0F);
                case 2 -> o.writeBytes(new byte[] {0x0F, 0x38});
                case 3 -> o.writeBytes(new byte[] {0x0F, 0x3A});
                default -> { }
            }
            o.write(f.opcode + (f.opcodeReg ? r.nextInt(8) : 0));
            if (f.hasModrm) {
                if (f.exactModrm >= 0) {
                    o.write(f.exactModrm);
                } else {
                    int mod = mem ? r.nextInt(3) : 3;
                    int reg = f.ext >= 0 ? f.ext : r.nextInt(8);
                    int rm = r.nextInt(8);
                    o.write(mod << 6 | reg << 3 | rm);
                    if (mod != 3 && rm == 4) {
                        o.write(r.nextInt(256));
                    }
                    int dispBytes = mod == 1 ? 1 : mod == 2 ? 4 : 0;
                    for (int i = 0; i < dispBytes; i++) {
                        o.write(r.nextInt(256));
                    }
                }
            }
            int tail = r.nextInt(11); // immediates, then whatever follows
            for (int i = 0; i < tail; i++) {
                o.write(r.nextInt(256));
            }
        }
        return o.toByteArray();
    }

    // ---- comparison ----

    static final class Result {
        int compared;
        int refused;
        final List<String> mismatches = new ArrayList<>();

        String report() {
            return mismatches.size() + " mismatches (" + compared + " compared, " + refused + " refused):\n"
                    + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size())));
        }
    }

    /** One line of objdump output, with prefix-only lines merged into the instruction they precede. */
    record Line(int offset, int length, String text) {
    }

    static Result compare(byte[] bytes) throws Exception {
        return compare(bytes, 64);
    }

    static Result compare(byte[] bytes, int mode) throws Exception {
        List<Line> lines = objdump(bytes, mode);
        Result res = new Result();
        for (Line l : lines) {
            DecodedInsn d;
            try {
                d = Decoder.decode(i -> l.offset + i < bytes.length ? bytes[l.offset + i] & 0xFF : 0x0F0B, mode);
            } catch (Fault f) {
                res.refused++;
                continue;
            }
            String ours = ours(d);
            String theirs = normalise(l.text, d);
            String where = String.format("%6x: %-32s objdump %-44s ours %s", l.offset,
                    HEX.formatHex(bytes, l.offset, Math.min(bytes.length, l.offset + Math.max(l.length, d.length))),
                    "[" + l.length + "] " + l.text, "[" + d.length + "] " + d.form.name + " " + ours);
            if (d.form.mnemonic.equals("RESERVEDNOP") && l.text.contains("bnd") && d.length == l.length) {
                res.compared++; // MPX is absent: 0F 1A/1B are hint NOPs, which objdump decodes as MPX (bnd4+ is "(bad)")
            } else if (d.repne() && (d.form.mnemonic.equals("BSF") || d.form.mnemonic.equals("BSR")) && d.length > l.length) {
                res.compared++; // objdump has no F2 0F BC/BD row; the CPU ignores F2 there (F3 is TZCNT/LZCNT)
            } else if (l.text.contains("(bad)")) {
                res.mismatches.add(where + "  <- objdump says invalid");
            } else if (d.length != l.length) {
                res.mismatches.add(where + "  <- length");
            } else if (!ours.equals(theirs)) {
                res.mismatches.add(where + "  <- normalised: " + theirs + " vs " + ours);
            } else {
                res.compared++;
            }
        }
        return res;
    }

    static List<Line> objdump(byte[] bytes, int mode) throws IOException, InterruptedException {
        Path bin = Files.createTempFile("pvhconf-objdump", ".bin");
        try {
            Files.write(bin, bytes);
            Process p;
            try {
                p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", mode == 64 ? "i386:x86-64" : "i386", "-M",
                        mode == 64 ? "intel,intel64" : "intel",
                        "--insn-width=16", bin.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "GNU objdump not installed");
                throw e;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "objdump failed");
            List<Line> lines = new ArrayList<>();
            int pendingOffset = -1;
            int pendingLength = 0;
            String pendingText = "";
            for (String s : out.split("\n")) {
                String[] cols = s.split("\t");
                if (cols.length < 3 || !cols[0].trim().endsWith(":")) {
                    continue;
                }
                int off = Integer.parseInt(cols[0].trim().replace(":", ""), 16);
                int len = cols[1].trim().split("\\s+").length;
                String text = cols[2].trim().replaceAll("\\s+#.*$", "").replaceAll("\\s+", " ");
                if (pendingOffset < 0) {
                    pendingOffset = off;
                }
                pendingLength += len;
                pendingText = (pendingText + " " + text).trim();
                if (isPrefixOnly(text)) {
                    continue; // "rex.W" or "data16" standing alone: a prefix that the next instruction ignores
                }
                if (off + len <= bytes.length - 16) { // the tail may be cut off by the end of the stream
                    lines.add(new Line(pendingOffset, pendingLength, pendingText));
                }
                pendingOffset = -1;
                pendingLength = 0;
                pendingText = "";
            }
            return lines;
        } finally {
            Files.deleteIfExists(bin);
        }
    }

    private static final Set<String> PREFIX_WORDS = Set.of("rex", "data16", "data32", "addr32", "lock", "rep", "repz",
            "repnz", "repe", "repne", "cs", "ds", "es", "ss", "fs", "gs", "bnd", "notrack", "xacquire", "xrelease");

    private static boolean isPrefixOnly(String text) {
        for (String w : text.split(" ")) {
            if (!PREFIX_WORDS.contains(w) && !w.startsWith("rex.")) {
                return false;
            }
        }
        return true;
    }

    // ---- normal forms ----

    private static final Map<String, Integer> REGS = new TreeMap<>();

    static {
        String[] r64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
        String[] r32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
        String[] r16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
        String[] r8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
        for (int i = 0; i < 8; i++) {
            REGS.put(r64[i], i);
            REGS.put(r32[i], i);
            REGS.put(r16[i], i);
            REGS.put(r8[i], i);
            REGS.put("r" + (i + 8), i + 8);
            REGS.put("r" + (i + 8) + "d", i + 8);
            REGS.put("r" + (i + 8) + "w", i + 8);
            REGS.put("r" + (i + 8) + "b", i + 8);
        }
        String[] high = {"ah", "ch", "dh", "bh"};
        for (int i = 0; i < 4; i++) {
            REGS.put(high[i], DecodedInsn.AH + i);
        }
    }

    private static final String[] SEGS = {"es", "cs", "ss", "ds", "fs", "gs"};
    /** Mnemonics whose size suffix (b, w, d, q) objdump and the form table spell differently. */
    private static final Set<String> STEMS = Set.of("push", "pop", "pushf", "popf", "iret", "retf", "movs", "cmps",
            "stos", "lods", "scas", "ins", "outs", "sysret", "enter", "leave", "xlat", "pusha", "popa", "sgdt",
            "sidt", "lgdt", "lidt", "jmp", "call", "ret");

    static String mnemonic(String m) {
        m = m.toLowerCase();
        for (String s : STEMS) {
            if (m.equals(s) || m.length() == s.length() + 1 && m.startsWith(s) && "bwdq".indexOf(m.charAt(s.length())) >= 0) {
                return s;
            }
        }
        return switch (m) {
            case "sal" -> "shl";
            case "jecxz", "jrcxz" -> "jrcxz";
            case "movabs" -> "mov";
            case "callf" -> "call";
            case "jmpf" -> "jmp";
            case "fxsave64" -> "fxsave";
            case "fxrstor64" -> "fxrstor";
            default -> m;
        };
    }

    /** Our side: mnemonic, then operand tokens. */
    static String ours(DecodedInsn d) {
        Form f = d.form;
        String m = mnemonic(f.mnemonic);
        if (m.equals("reservednop")) {
            return "hint-nop";
        }
        if (f.operands.isEmpty() || m.equals("nop") || m.equals("xlat")) {
            return m;
        }
        StringBuilder sb = new StringBuilder(m);
        boolean regIsRm = (f.flags & Form.MOD_IGNORED) != 0;
        for (Operand o : f.operands) {
            if (o.kind() == OpKind.FIXED_SREG && (m.equals("les") || m.equals("lds"))) {
                continue; // the segment register is implicit in objdump's LES/LDS
            }
            sb.append(' ').append(switch (o.kind()) {
                case RM -> d.rm >= 0 ? "r" + d.rm : memory(d);
                case REG -> "r" + (regIsRm ? d.rm : d.reg);
                case FIXED -> "r" + o.fixed();
                case MEM, MOFFS -> memory(d);
                case SREG -> "s" + (d.reg & 7);
                case FIXED_SREG -> "s" + o.fixed();
                case CR -> "cr" + d.reg;
                case DR -> "dr" + d.reg;
                case XMM -> "x" + d.reg;
                case XMM_RM -> d.rm >= 0 ? "x" + d.rm : memory(d);
                default -> "imm";
            });
        }
        return sb.toString();
    }

    private static String memory(DecodedInsn d) {
        String base = d.ripRelative ? "ip" : d.base >= 0 ? "r" + d.base : "-";
        String index = d.index >= 0 ? "r" + d.index + "*" + (1 << d.scale) : "-";
        return "m[" + base + "," + index + "," + Long.toHexString(d.disp & 0xFFFFFFFFL) + "]";
    }

    /** objdump's side in the same shape. */
    static String normalise(String text, DecodedInsn d) {
        List<String> words = new ArrayList<>(List.of(text.split(" ", -1)));
        while (words.size() > 1 && (PREFIX_WORDS.contains(words.get(0)) || words.get(0).startsWith("rex."))) {
            words.remove(0);
        }
        String m = mnemonic(words.get(0));
        String ops = String.join(" ", words.subList(1, words.size())).trim();
        if (d.form.mnemonic.equals("RESERVEDNOP")) {
            return "hint-nop";
        }
        if (d.form.mnemonic.equals("NOP") && (m.equals("xchg") && ops.matches("(ax|eax|rax),(ax|eax|rax)") || m.equals("nop"))) {
            return "nop";
        }
        if (d.form.operands.isEmpty() || m.equals("nop") || m.equals("xlat")) {
            return m;
        }
        StringBuilder sb = new StringBuilder(m);
        for (String op : splitOperands(ops)) {
            sb.append(' ').append(operand(op.trim()));
        }
        return sb.toString();
    }

    private static List<String> splitOperands(String ops) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < ops.length(); i++) {
            char c = ops.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(ops.substring(start, i));
                start = i + 1;
            }
        }
        if (start < ops.length()) {
            out.add(ops.substring(start));
        }
        return out;
    }

    /** objdump's 0x... or -0x... of up to 64 bits. */
    private static long hex(String t) {
        boolean neg = t.startsWith("-");
        long v = Long.parseUnsignedLong(t.substring(neg ? 3 : 2), 16);
        return neg ? -v : v;
    }

    private static String operand(String op) {
        op = op.replaceAll("^[A-Z]+ PTR ", "");
        Integer reg = REGS.get(op);
        if (reg != null) {
            return "r" + reg;
        }
        for (int i = 0; i < SEGS.length; i++) {
            if (op.equals(SEGS[i])) {
                return "s" + i;
            }
        }
        if (op.matches("xmm\\d+")) {
            return "x" + op.substring(3);
        }
        if (op.matches("cr\\d+")) {
            return op;
        }
        if (op.matches("db\\d+|dr\\d+")) {
            return "dr" + op.substring(2);
        }
        if (op.matches("0x[0-9a-f]+:0x[0-9a-f]+")) {
            return "imm imm"; // a direct far pointer selector:offset
        }
        int colon = op.indexOf(':');
        int bracket = op.indexOf('[');
        if (bracket < 0 && colon < 0) {
            return "imm";
        }
        if (bracket < 0) {
            return "m[-,-," + Long.toHexString(hex(op.substring(colon + 1)) & 0xFFFFFFFFL) + "]";
        }
        String inside = op.substring(bracket + 1, op.lastIndexOf(']'));
        String base = "-";
        String index = "-";
        long disp = 0;
        for (String term : inside.replace("-", "+-").split("\\+")) {
            if (term.isEmpty()) {
                continue;
            }
            if (term.startsWith("0x") || term.startsWith("-0x")) {
                disp += hex(term);
            } else if (term.contains("*")) {
                String[] p = term.split("\\*");
                if (!p[0].equals("riz") && !p[0].equals("eiz")) {
                    index = "r" + REGS.get(p[0]) + "*" + p[1];
                }
            } else if (term.equals("rip") || term.equals("eip")) {
                base = "ip";
            } else {
                base = "r" + REGS.get(term);
            }
        }
        return "m[" + base + "," + index + "," + Long.toHexString(disp & 0xFFFFFFFFL) + "]";
    }
}
