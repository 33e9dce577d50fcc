package org.pvhconf.conform.steps;

import java.util.ArrayList;
import java.util.List;

/** Number and argument-list notation used in the features. */
final class Values {
    private Values() {
    }

    /** Decimal or 0x-hex, optionally negative; hex may use all 64 bits. */
    static long parse(String text) {
        String t = text.trim().replace("_", "");
        boolean negative = t.startsWith("-");
        if (negative) {
            t = t.substring(1);
        }
        long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        return negative ? -v : v;
    }

    /** Splits "(a, B (1), c)" into its top-level comma-separated tokens. */
    static List<String> tokens(String parenthesised) {
        String s = parenthesised.trim();
        if (!s.startsWith("(") || !s.endsWith(")")) {
            throw new IllegalArgumentException("an argument list is written (a, b, c): " + parenthesised);
        }
        s = s.substring(1, s.length() - 1);
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (!s.isBlank()) {
            out.add(s.substring(start).trim());
        }
        return out;
    }

    /** Expands the escapes backslash-n, -t, -backslash, -xHH and -u followed by four hex digits. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case '\\' -> b.append('\\');
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in \"" + s + "\"");
            }
        }
        return b.toString();
    }
}
