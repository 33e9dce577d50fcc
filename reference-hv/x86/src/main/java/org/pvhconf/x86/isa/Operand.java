package org.pvhconf.x86.isa;

/**
 * One operand of an instruction form.
 *
 * @param kind  where the operand lives
 * @param size  its size in bits (8, 16, 32, 64), or 0 where the form does not fix it ({@code M})
 * @param fixed for {@link OpKind#FIXED} the register number, for {@link OpKind#FIXED_SREG} the segment; else -1
 */
public record Operand(OpKind kind, int size, int fixed) {

    /** Parses one operand token of a form name, e.g. {@code RM64}, {@code IMM8}, {@code EAX}. */
    static Operand parse(String t) {
        switch (t) {
            case "AL": return new Operand(OpKind.FIXED, 8, 0);
            case "AX": return new Operand(OpKind.FIXED, 16, 0);
            case "EAX": return new Operand(OpKind.FIXED, 32, 0);
            case "RAX": return new Operand(OpKind.FIXED, 64, 0);
            case "CL": return new Operand(OpKind.FIXED, 8, 1);
            case "DX": return new Operand(OpKind.FIXED, 16, 2);
            case "1": return new Operand(OpKind.ONE, 8, -1);
            case "M": return new Operand(OpKind.MEM, 0, -1);
            // Far pointers m16:16, m16:32, m16:64: the offset, then the selector (size = both, in bits).
            case "M1616": return new Operand(OpKind.MEM, 32, -1);
            case "M1632": return new Operand(OpKind.MEM, 48, -1);
            case "M1664": return new Operand(OpKind.MEM, 80, -1);
            case "SREG": return new Operand(OpKind.SREG, 16, -1);
            case "CR": return new Operand(OpKind.CR, 64, -1);
            case "DR": return new Operand(OpKind.DR, 64, -1);
            case "ES": return new Operand(OpKind.FIXED_SREG, 16, 0);
            case "CS": return new Operand(OpKind.FIXED_SREG, 16, 1);
            case "SS": return new Operand(OpKind.FIXED_SREG, 16, 2);
            case "DS": return new Operand(OpKind.FIXED_SREG, 16, 3);
            case "FS": return new Operand(OpKind.FIXED_SREG, 16, 4);
            case "XMM": return new Operand(OpKind.XMM, 128, -1);
            case "XMMRM128": return new Operand(OpKind.XMM_RM, 128, -1);
            case "XMMRM64": return new Operand(OpKind.XMM_RM, 64, -1);
            case "GS": return new Operand(OpKind.FIXED_SREG, 16, 5);
            default: break;
        }
        String[] prefixes = {"RM", "R", "IMM", "REL", "MOFFS", "M"};
        OpKind[] kinds = {OpKind.RM, OpKind.REG, OpKind.IMM, OpKind.REL, OpKind.MOFFS, OpKind.MEM};
        for (int i = 0; i < prefixes.length; i++) {
            String p = prefixes[i];
            if (t.startsWith(p) && t.length() > p.length() && Character.isDigit(t.charAt(p.length()))) {
                return new Operand(kinds[i], Integer.parseInt(t.substring(p.length())), -1);
            }
        }
        throw new IllegalArgumentException("unknown operand token " + t);
    }

    /** Bytes this operand occupies in the immediate part of the encoding (MOFFS: see the decoder). */
    int immediateBytes() {
        return switch (kind) {
            case IMM, REL -> size / 8;
            default -> 0;
        };
    }
}
