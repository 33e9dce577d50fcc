package org.pvhconf.xen.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an xl-style domain configuration: {@code key = value} settings, one per line or separated by
 * {@code ;}, with {@code #} comments, quoted strings ("..." or '...'), integers (decimal or 0x) and
 * {@code [ ... ]} lists that may span lines. Keys this reference has no use for (on_poweroff, disk, vif,
 * ...) are accepted and reported as warnings on the config. As in xl, a missing {@code pvh} means a PV
 * guest, which the builder then refuses.
 */
public final class XlConfig {
    private XlConfig() {
    }

    /** Keys xl knows that do not change how this reference builds or runs a PVH domain. */
    private static final List<String> IGNORED = List.of("on_poweroff", "on_reboot", "on_crash", "on_watchdog",
            "disk", "vif", "vfb", "vkb", "pci", "serial", "uuid", "cpus", "cpu_weight", "cap", "localtime",
            "rtc_timeoffset", "bootloader", "bootloader_args", "ramdisk", "e820_host", "tsc_mode", "vnc",
            "sdl", "maxvcpus", "seclabel", "iomem", "ioports", "irqs", "type", "device_model_version");

    public static DomainConfig parse(String text, String sourceName) throws ConfigRefusedException {
        Map<String, Setting> settings = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        new Parser(text, sourceName, settings, warnings).parseAll();
        DomainConfig c = new DomainConfig().pvh(false); // xl: no pvh= means a PV guest
        String root = null, extra = null, cmdline = null;
        for (Setting s : settings.values()) {
            switch (s.key) {
                case "name": c.name(s.string(sourceName)); break;
                case "kernel": c.kernelPath(s.string(sourceName)); break;
                case "memory": c.memoryMiB(s.positiveInt(sourceName)); break;
                case "maxmem": c.maxmemMiB(s.positiveInt(sourceName)); break;
                case "vcpus": c.vcpus(s.positiveInt(sourceName)); break;
                case "pvh": c.pvh(s.flag(sourceName)); break;
                case "hap": c.hap(s.flag(sourceName)); break;
                case "root": root = s.string(sourceName); break;
                case "extra": extra = s.string(sourceName); break;
                case "cmdline": cmdline = s.string(sourceName); break;
                case "builder": {
                    String b = s.string(sourceName);
                    if (!b.equals("generic")) {
                        throw new ConfigRefusedException("config-builder", s.where(sourceName) + ": builder=\"" + b
                                + "\" asks for a non-PV guest; this reference runs only PVH guests (pvh=1 on a"
                                + " generic-builder config)");
                    }
                    break;
                }
                default:
                    warnings.add(s.where(sourceName) + ": " + s.key + (IGNORED.contains(s.key)
                            ? " is ignored by this reference" : " is not an xl key this reference knows; ignored"));
            }
        }
        if (cmdline != null) {
            if (root != null || extra != null) {
                warnings.add(sourceName + ": cmdline is set, so root and extra are ignored");
            }
            c.cmdline(cmdline);
        } else if (root != null) {
            c.cmdline("root=" + root + (extra != null ? " " + extra : ""));
        } else if (extra != null) {
            c.cmdline(extra);
        }
        for (String w : warnings) {
            c.warn(w);
        }
        return c;
    }

    /** One {@code key = value}; value is a String, a Long or a List. */
    private static final class Setting {
        final String key;
        final Object value;
        final int line;
        final String lineText;

        Setting(String key, Object value, int line, String lineText) {
            this.key = key;
            this.value = value;
            this.line = line;
            this.lineText = lineText;
        }

        String where(String source) {
            return source + ":" + line;
        }

        ConfigRefusedException wrongType(String source, String want) {
            return new ConfigRefusedException("config-type", where(source) + ": " + key + " must be " + want
                    + ": " + lineText.trim());
        }

        String string(String source) throws ConfigRefusedException {
            if (value instanceof String) {
                return (String) value;
            }
            throw wrongType(source, "a quoted string");
        }

        int positiveInt(String source) throws ConfigRefusedException {
            if (value instanceof Long && (Long) value > 0 && (Long) value <= Integer.MAX_VALUE) {
                return (int) (long) (Long) value;
            }
            throw wrongType(source, "a positive integer");
        }

        boolean flag(String source) throws ConfigRefusedException {
            if (value instanceof Long && ((Long) value == 0 || (Long) value == 1)) {
                return (Long) value == 1;
            }
            throw wrongType(source, "0 or 1");
        }
    }

    private static final class Parser {
        private final String text;
        private final String source;
        private final Map<String, Setting> out;
        private final List<String> warnings;
        private final String[] lines;
        private int pos;
        private int line = 1;

        Parser(String text, String source, Map<String, Setting> out, List<String> warnings) {
            this.text = text;
            this.source = source;
            this.out = out;
            this.warnings = warnings;
            this.lines = text.split("\n", -1);
        }

        void parseAll() throws ConfigRefusedException {
            while (true) {
                skipBlanks(true);
                if (pos >= text.length()) {
                    return;
                }
                char ch = text.charAt(pos);
                if (ch == ';') {
                    pos++;
                    continue;
                }
                int startLine = line;
                String key = ident();
                skipBlanks(false);
                expect('=');
                skipBlanks(false);
                Object value = value();
                skipBlanks(false);
                if (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != ';') {
                    throw syntax("unexpected text after the value");
                }
                Setting prev = out.remove(key);
                if (prev != null) {
                    warnings.add(source + ":" + startLine + ": " + key + " set again (line " + prev.line
                            + "); the last setting wins");
                }
                out.put(key, new Setting(key, value, startLine, lineText(startLine)));
            }
        }

        private Object value() throws ConfigRefusedException {
            if (pos >= text.length()) {
                throw syntax("a value is missing");
            }
            char ch = text.charAt(pos);
            if (ch == '"' || ch == '\'') {
                return string(ch);
            }
            if (ch == '[') {
                pos++;
                List<Object> list = new ArrayList<>();
                while (true) {
                    skipBlanks(true);
                    if (pos < text.length() && text.charAt(pos) == ']') {
                        pos++;
                        return list;
                    }
                    list.add(value());
                    skipBlanks(true);
                    if (pos < text.length() && text.charAt(pos) == ',') {
                        pos++;
                    } else if (pos >= text.length() || text.charAt(pos) != ']') {
                        throw syntax("expected ',' or ']' in a list");
                    }
                }
            }
            if (Character.isDigit(ch) || ch == '-') {
                int start = pos;
                pos++;
                while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                    pos++;
                }
                String num = text.substring(start, pos);
                try {
                    return num.startsWith("0x") || num.startsWith("0X") ? Long.parseLong(num.substring(2), 16)
                            : Long.parseLong(num);
                } catch (NumberFormatException e) {
                    pos = start;
                    throw syntax("'" + num + "' is not a number");
                }
            }
            throw syntax("a value must be a quoted string, a number or a [list]");
        }

        private String string(char quote) throws ConfigRefusedException {
            int startLine = line;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < text.length()) {
                char ch = text.charAt(pos++);
                if (ch == quote) {
                    return sb.toString();
                }
                if (ch == '\n') {
                    break;
                }
                if (ch == '\\' && quote == '"' && pos < text.length()) {
                    char e = text.charAt(pos++);
                    sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                } else {
                    sb.append(ch);
                }
            }
            line = startLine;
            throw syntax("unterminated string");
        }

        private String ident() throws ConfigRefusedException {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos || Character.isDigit(text.charAt(start))) {
                throw syntax("expected a setting name");
            }
            return text.substring(start, pos);
        }

        private void expect(char c) throws ConfigRefusedException {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw syntax("expected '" + c + "'");
            }
            pos++;
        }

        /** Skips spaces, tabs, CRs and comments; newlines too when {@code newlines}. */
        private void skipBlanks(boolean newlines) {
            while (pos < text.length()) {
                char ch = text.charAt(pos);
                if (ch == '#') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (ch == ' ' || ch == '\t' || ch == '\r') {
                    pos++;
                } else if (ch == '\n' && newlines) {
                    pos++;
                    line++;
                } else {
                    return;
                }
            }
        }

        private String lineText(int n) {
            return n - 1 < lines.length ? lines[n - 1].replace("\r", "") : "";
        }

        private ConfigRefusedException syntax(String what) {
            return new ConfigRefusedException("config-syntax", source + ":" + line + ": syntax error: " + what
                    + ": " + lineText(line).trim());
        }
    }
}
