package org.pvhconf.conform.steps;

import io.cucumber.java.ParameterType;

/**
 * Parameter types that accept the ABI's own notation and reject a name and a number that disagree
 * (STYLE: "a typo in a feature fails loudly instead of testing the wrong call").
 */
public final class ParameterTypes {

    /** A hypercall as {@code name (number)}. */
    public record Hypercall(String name, int number) {
    }

    /** A named constant as {@code NAME (number)}. */
    public record Named(String name, long value) {
    }

    /** An expected RAX: a plain number, or {@code -ENAME (-n)}. */
    public record Expected(long rax, String text) {
    }

    @ParameterType("([a-z_0-9]+) \\((\\d+)\\)")
    public Hypercall hypercall(String name, String number) {
        int nr = Integer.parseInt(number);
        if (nr < 0 || nr >= AbiNames.HYPERCALLS.length || !AbiNames.HYPERCALLS[nr].equals(name)) {
            throw new IllegalArgumentException("the feature names hypercall " + nr + " '" + name
                    + "', but §1.1 calls it '" + (nr < AbiNames.HYPERCALLS.length ? AbiNames.HYPERCALLS[nr] : "(none)") + "'");
        }
        return new Hypercall(name, nr);
    }

    @ParameterType("([A-Z][A-Z0-9_]*_[A-Za-z0-9_]+) \\((0x[0-9A-Fa-f]+|\\d+)\\)")
    public Named subop(String name, String number) {
        return new Named(name, AbiNames.check(AbiNames.CONSTANTS, "constant", name, Values.parse(number)));
    }

    @ParameterType("-E([A-Z]+) \\((-\\d+)\\)|(-?0x[0-9A-Fa-f]+|-?\\d+)")
    public Expected result(String errnoName, String errnoValue, String plain) {
        if (plain != null) {
            return new Expected(Values.parse(plain), plain);
        }
        long value = Long.parseLong(errnoValue);
        AbiNames.check(AbiNames.ERRNO, "errno", "E" + errnoName, -value);
        return new Expected(value, "-E" + errnoName + " (" + errnoValue + ")");
    }

    @ParameterType("-?0x[0-9A-Fa-f]+|-?\\d+")
    public Long value(String text) {
        return Values.parse(text);
    }

    @ParameterType("([a-z]+) \\((\\d+)\\)")
    public Named shutdownReason(String name, String code) {
        return new Named(name, AbiNames.check(AbiNames.SHUTDOWN, "shutdown reason", name, Long.parseLong(code)));
    }
}
