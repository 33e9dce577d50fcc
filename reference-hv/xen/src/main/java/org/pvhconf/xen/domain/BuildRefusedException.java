package org.pvhconf.xen.domain;

/** The domain builder refused the kernel or the configuration. The message is "rule: what was found". */
public class BuildRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String rule;

    public BuildRefusedException(String rule, String found) {
        super(rule + ": " + found);
        this.rule = rule;
    }

    /** A stable identifier of the rule that refused, e.g. {@code elf-class}. */
    public String rule() {
        return rule;
    }
}
