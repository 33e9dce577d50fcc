package org.pvhconf.xen.domain;

/** An xl configuration file could not be read. The message names the source, the line and the text. */
public class ConfigRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String rule;

    public ConfigRefusedException(String rule, String message) {
        super(rule + ": " + message);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
