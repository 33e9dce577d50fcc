package org.pvhconf.stubs.asm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drives an {@link Assembler} from GNU as Intel-syntax text, so that one line of a test file can be
 * fed to both assemblers. It understands exactly the subset the test file uses: statements separated
 * by ";", "name:" labels, the {disp8}/{disp32} pseudo-prefixes on branches, "X ptr [...]" operands,
 * "offset label", "label + n*m" targets, and .byte/.word/.long/.quad/.ascii/.fill/.balign.
 * Each mnemonic maps to the Assembler method of that name, chosen by operand types through reflection,
 * so the file exercises the public API exactly as a stub author calls it.
 */
final class IntelSyntax {
    private final Assembler asm;
    private final Map<String, Label> labels = new HashMap<>();

    IntelSyntax(final Assembler asm) {
        this.asm = asm;
    }

    void assemble(final String source) {
        for (String statement : source.split(";")) {
            String s = statement.strip();
            while (s.matches("^[A-Za-z_.][\\w.]*:.*")) {
                int colon = s.indexOf(':');
                asm.bind(label(s.substring(0, colon)));
                s = s.substring(colon + 1).strip();
            }
            if (!s.isEmpty()) {
                statement(s);
            }
        }
    }

    private Label label(final String name) {
        return labels.computeIfAbsent(name, asm::newLabel);
    }

    private void statement(final String s) {
        String form = "";
        String text = s;
        if (text.startsWith("{")) {
            form = text.substring(1, text.indexOf('}'));
            text = text.substring(text.indexOf('}') + 1).strip();
        }
        if (text.startsWith(".")) {
            directive(text);
            return;
        }
        if (text.startsWith("rep ")) {
            String op = text.substring(4).strip();
            call("rep" + Character.toUpperCase(op.charAt(0)) + op.substring(1), List.of());
            return;
        }
        int space = text.indexOf(' ');
        String mnemonic = space < 0 ? text : text.substring(0, space);
        List<Object> operands = new ArrayList<>();
        if (space >= 0) {
            for (String op : text.substring(space + 1).split(",")) {
                operands.add(operand(op.strip()));
            }
        }
        if (branch(mnemonic, form, operands)) {
            return;
        }
        call(mnemonic, operands);
    }

    /** Jcc and JMP to labels: {disp8} is the Short form, {disp32} the Near form, none the automatic one. */
    private boolean branch(final String mnemonic, final String form, final List<Object> operands) {
        if (operands.size() != 1 || !(operands.get(0) instanceof Label target)) {
            return false;
        }
        String suffix = switch (form) {
            case "disp8" -> "Short";
            case "disp32" -> "Near";
            default -> "";
        };
        if (mnemonic.equals("jmp")) {
            call("jmp" + suffix, List.of(target));
            return true;
        }
        if (mnemonic.startsWith("j")) {
            Cond cc = Cond.valueOf(mnemonic.substring(1).toUpperCase(Locale.ROOT));
            call("jcc" + suffix, List.of(cc, target));
            return true;
        }
        return false;
    }

    private void directive(final String text) {
        int space = text.indexOf(' ');
        String name = space < 0 ? text : text.substring(0, space);
        String rest = space < 0 ? "" : text.substring(space + 1).strip();
        if (name.equals(".ascii")) {
            String body = rest.substring(1, rest.length() - 1).replace("\\n", "\n");
            asm.ascii(body);
            return;
        }
        String[] args = rest.split(",");
        switch (name) {
            case ".byte" -> {
                for (String a : args) {
                    asm.db((int) number(a.strip()));
                }
            }
            case ".word" -> {
                for (String a : args) {
                    asm.dw((int) number(a.strip()));
                }
            }
            case ".long" -> {
                for (String a : args) {
                    asm.dd(number(a.strip()));
                }
            }
            case ".quad" -> {
                for (String a : args) {
                    Object v = operand(a.strip());
                    if (v instanceof Label l) {
                        asm.dq(l);
                    } else {
                        asm.dq((Long) v);
                    }
                }
            }
            case ".fill" -> asm.fill((int) number(args[0].strip()), (int) number(args[2].strip()));
            case ".balign" -> asm.align((int) number(args[0].strip()), (int) number(args[1].strip()));
            default -> throw new IllegalArgumentException("unknown directive " + name);
        }
    }

    private Object operand(final String text) {
        String t = text.strip();
        int size = 0;
        for (String[] p : new String[][]{{"qword ptr", "8"}, {"dword ptr", "4"}, {"word ptr", "2"}, {"byte ptr", "1"}}) {
            if (t.startsWith(p[0])) {
                size = Integer.parseInt(p[1]);
                t = t.substring(p[0].length()).strip();
            }
        }
        if (t.startsWith("[")) {
            Mem m = memory(t.substring(1, t.length() - 1));
            return switch (size) {
                case 8 -> m.q();
                case 4 -> m.d();
                case 2 -> m.w();
                case 1 -> m.b();
                default -> m;
            };
        }
        if (t.startsWith("offset ")) {
            return label(t.substring(7).strip());
        }
        Object reg = register(t);
        if (reg != null) {
            return reg;
        }
        if (Character.isDigit(t.charAt(0)) || t.startsWith("-")) {
            return number(t);
        }
        if (t.contains("+")) {
            return new LabelPlus(label(t.substring(0, t.indexOf('+')).strip()), number(t.substring(t.indexOf('+') + 1)));
        }
        return label(t);
    }

    /** A "label + addend" branch target. */
    private record LabelPlus(Label label, long addend) {
    }

    private Mem memory(final String inner) {
        Reg64 base = null;
        Reg64 index = null;
        int scale = 1;
        long disp = 0;
        Label label = null;
        boolean rip = false;
        String normalised = inner.replace(" ", "").replace("-", "+-");
        for (String term : normalised.split("\\+")) {
            if (term.isEmpty()) {
                continue;
            }
            if (term.contains("*") && register(term.substring(0, term.indexOf('*'))) instanceof Reg64 r) {
                index = r;
                scale = (int) number(term.substring(term.indexOf('*') + 1));
            } else if (term.equals("rip")) {
                rip = true;
            } else if (register(term) instanceof Reg64 r) {
                // As in GNU as: the first bare register is the base, a second one the index (scale 1).
                if (base == null) {
                    base = r;
                } else {
                    index = r;
                }
            } else if (Character.isDigit(term.charAt(0)) || term.startsWith("-")) {
                disp += number(term);
            } else {
                label = label(term);
            }
        }
        if (rip) {
            return label != null ? Mem.rip(label, disp) : new Mem(Mem.Kind.RIP, null, null, 1, disp, null, 0);
        }
        if (label != null) {
            return Mem.abs(label, disp);
        }
        if (base == null && index == null) {
            return Mem.abs(disp);
        }
        return Mem.mem(base, index, scale, disp);
    }

    private static Object register(final String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Class<? extends Enum<?>> type : List.of(Reg64.class, Reg32.class, Reg16.class, Reg8.class,
                SReg.class, CReg.class)) {
            for (Enum<?> constant : type.getEnumConstants()) {
                if (constant.name().equals(upper)) {
                    return constant;
                }
            }
        }
        return null;
    }

    private static long number(final String text) {
        String t = text.strip();
        if (t.contains("*")) {
            long product = 1;
            for (String f : t.split("\\*")) {
                product *= number(f);
            }
            return product;
        }
        boolean negative = t.startsWith("-");
        String digits = negative ? t.substring(1) : t;
        long v = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
        return negative ? -v : v;
    }

    private void call(final String name, final List<Object> operands) {
        List<Object> args = new ArrayList<>();
        for (Object o : operands) {
            if (o instanceof LabelPlus lp) {
                args.add(lp.label());
                args.add(lp.addend());
            } else {
                args.add(o);
            }
        }
        Method chosen = null;
        for (Method m : Assembler.class.getMethods()) {
            if (m.getName().equals(name) && accepts(m.getParameterTypes(), args)) {
                if (chosen != null) {
                    throw new IllegalArgumentException("ambiguous: " + chosen + " and " + m);
                }
                chosen = m;
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException("no Assembler method " + name + " for " + args);
        }
        try {
            chosen.invoke(asm, args.toArray());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(final Class<?>[] params, final List<Object> args) {
        if (params.length != args.size()) {
            return false;
        }
        for (int i = 0; i < params.length; i++) {
            Object a = args.get(i);
            boolean ok = params[i] == long.class ? a instanceof Long : params[i].isInstance(a);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
