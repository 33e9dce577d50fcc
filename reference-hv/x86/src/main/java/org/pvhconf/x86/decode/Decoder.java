package org.pvhconf.x86.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.Form;
import org.pvhconf.x86.isa.Forms;
import org.pvhconf.x86.isa.OpKind;
import org.pvhconf.x86.isa.Operand;

/**
 * Table-driven 64-bit-mode decoder (Intel SDM Vol. 2 chapter 2): legacy prefixes, REX, opcode maps
 * one-byte/0F/0F38/0F3A, ModRM, SIB, displacement, RIP-relative addressing and immediates. The
 * candidate forms of each opcode come from {@link Forms}; nothing here knows a mnemonic.
 *
 * <p>Stateless and thread-safe. Anything that is not a valid 64-bit-mode encoding in the table throws
 * {@link Fault} #UD; an instruction longer than 15 bytes throws #GP(0) (SDM Vol. 2 §2.3.11).
 */
public final class Decoder {
    private static final int MAX_LENGTH = 15;

    /** Candidates per [map][opcode], most specific first. */
    private static final Form[][][] TABLE = build();

    private Decoder() {
    }

    private static Form[][][] build() {
        @SuppressWarnings("unchecked")
        List<Form>[][] lists = new List[4][256];
        for (Form f : Forms.all()) {
            int n = f.opcodeReg ? 8 : 1;
            for (int r = 0; r < n; r++) {
                List<Form> l = lists[f.map][f.opcode + r];
                if (l == null) {
                    l = lists[f.map][f.opcode + r] = new ArrayList<>();
                }
                l.add(f);
            }
        }
        // A mandatory prefix, an exact ModRM byte or an exact opcode is more specific than the general
        // form in the same slot (F3 90 PAUSE and 90 NOP before 90+r XCHG; 0F 01 C1 before 0F 01 /0).
        Comparator<Form> specific = Comparator.comparingInt((Form f) -> f.mandatoryPrefix != 0 ? 0 : 1)
                .thenComparingInt(f -> f.exactModrm >= 0 ? 0 : 1)
                .thenComparingInt(f -> f.opcodeReg ? 1 : 0);
        Form[][][] t = new Form[4][256][];
        for (int m = 0; m < 4; m++) {
            for (int o = 0; o < 256; o++) {
                List<Form> l = lists[m][o];
                if (l != null) {
                    l.sort(specific); // stable: table order among equals
                    boolean modrm = l.get(0).hasModrm;
                    for (Form f : l) {
                        if (f.hasModrm != modrm) {
                            throw new IllegalStateException("ModRM disagreement at " + m + ":" + o);
                        }
                    }
                    t[m][o] = l.toArray(new Form[0]);
                }
            }
        }
        return t;
    }

    /** Decodes the 64-bit-mode instruction whose bytes {@code src} supplies. */
    public static DecodedInsn decode(ByteSource src) {
        return decode(src, 64);
    }

    /**
     * Decodes for {@code mode} 64 (64-bit mode) or 32 (a 32-bit code segment: protected or
     * compatibility mode). In 32-bit mode 40..4F are INC/DEC, not REX; ModRM 00/101 is an absolute
     * disp32; i64 forms exist and o64 forms do not. 16-bit addressing (67 in 32-bit mode) is not
     * implemented and is #UD.
     */
    public static DecodedInsn decode(ByteSource src, int mode) {
        boolean m64 = mode == 64;
        Cursor c = new Cursor(src);
        DecodedInsn d = new DecodedInsn();
        int rex = 0;
        int rep = 0;
        int seg = -1;
        int prefixes = 0;
        int b;
        for (;;) {
            b = c.next();
            if (m64 && (b & 0xF0) == 0x40) {
                rex = b; // REX counts only right before the opcode: a later legacy prefix cancels it
                continue;
            }
            if (!isLegacyPrefix(b)) {
                break;
            }
            rex = 0;
            switch (b) {
                case 0x66 -> prefixes |= DecodedInsn.P_66;
                case 0x67 -> prefixes |= DecodedInsn.P_67;
                case 0xF0 -> prefixes |= DecodedInsn.P_LOCK;
                case 0xF2, 0xF3 -> rep = b; // the last of F2/F3 counts
                case 0x26 -> seg = SegReg.ES.ordinal();
                case 0x2E -> seg = SegReg.CS.ordinal();
                case 0x36 -> seg = SegReg.SS.ordinal();
                case 0x3E -> seg = SegReg.DS.ordinal();
                case 0x64 -> seg = SegReg.FS.ordinal();
                default -> seg = SegReg.GS.ordinal(); // 0x65
            }
        }
        int map = 0;
        int op = b;
        if (op == 0x0F) {
            map = 1;
            op = c.next();
            if (op == 0x38 || op == 0x3A) {
                map = op == 0x38 ? 2 : 3;
                op = c.next();
            }
        }
        Form[] cands = TABLE[map][op];
        if (cands == null) {
            throw Fault.ud();
        }
        boolean w = (rex & 8) != 0;
        int rexR = (rex & 4) << 1, rexX = (rex & 2) << 2, rexB = (rex & 1) << 3;
        int modrm = cands[0].hasModrm ? c.next() : -1;
        int mod = modrm >> 6;
        Form form = null;
        int eff = 0;
        for (Form f : cands) {
            if (f.mandatoryPrefix == 0xF3 && rep != 0xF3 || f.mandatoryPrefix == 0xF2 && rep != 0xF2
                    || f.mandatoryPrefix == 0x66 && ((prefixes & DecodedInsn.P_66) == 0 || rep != 0)) {
                // F2/F3 outrank 66 as a mandatory prefix (66 F3 0F 6F is MOVDQU)
                continue;
            }
            if ((f.flags & (m64 ? Form.INVALID_64 : Form.ONLY_64)) != 0) {
                continue;
            }
            if ((f.flags & Form.NO_PREFIX) != 0 && ((prefixes & DecodedInsn.P_66) != 0 || rep != 0)) {
                continue;
            }
            if (modrm >= 0) {
                if (f.ext >= 0 && f.ext != ((modrm >> 3) & 7) || f.exactModrm >= 0 && f.exactModrm != modrm) {
                    continue;
                }
                if ((f.flags & Form.MEM_ONLY) != 0 && mod == 3 || (f.flags & Form.REG_ONLY) != 0 && mod != 3) {
                    continue;
                }
            }
            if (map == 0 && op == 0x90 && !f.opcodeReg && f.mandatoryPrefix == 0 && rexB != 0) {
                continue; // 41 90 is XCHG R8, RAX, not NOP
            }
            int size = m64 ? effectiveSize(f, w, (prefixes & DecodedInsn.P_66) != 0)
                    : f.sizeRule == Form.SizeRule.FORCE64 ? 64 : (prefixes & DecodedInsn.P_66) != 0 ? 16 : 32;
            int bit = size == 16 ? 1 : size == 32 ? 2 : 4;
            if ((f.sizeMask & bit) == 0) {
                continue;
            }
            form = f;
            eff = size;
            break;
        }
        if (form == null) {
            throw Fault.ud();
        }
        if (form.mandatoryPrefix == 0xF3 || form.mandatoryPrefix == 0xF2) {
            rep = 0;
        }
        if (rep == 0xF3) {
            prefixes |= DecodedInsn.P_REP;
        } else if (rep == 0xF2) {
            prefixes |= DecodedInsn.P_REPNE;
        }
        if (rex != 0) {
            prefixes |= DecodedInsn.P_REX;
        }
        d.form = form;
        d.prefixes = prefixes;
        d.effOpSize = eff;
        d.opSize = form.opSize != 0 ? form.opSize : eff;
        boolean shortBranch = !m64 && (prefixes & DecodedInsn.P_66) != 0 && d.operandIndex(OpKind.REL) >= 0;
        if (shortBranch) {
            d.opSize = 16; // 66 on a near branch in 32-bit code: rel16 and a 16-bit IP (Intel ignores it only in 64-bit mode)
        }
        if (!m64 && (prefixes & DecodedInsn.P_67) != 0) {
            throw Fault.ud(); // 16-bit addressing: not implemented
        }
        d.addrSize = m64 && (prefixes & DecodedInsn.P_67) == 0 ? 64 : 32;
        d.segment = seg >= 0 ? seg : SegReg.DS.ordinal();
        d.segmentOverride = seg >= 0;
        d.modrm = modrm;

        if (form.opcodeReg) {
            d.reg = (op & 7) | rexB;
        }
        if (modrm >= 0) {
            d.reg = ((modrm >> 3) & 7) | rexR;
            if (mod == 3 || (form.flags & Form.MOD_IGNORED) != 0) {
                d.rm = (modrm & 7) | rexB;
            } else {
                decodeMemory(c, d, modrm, rex, rexX, rexB, seg, m64);
            }
        }
        if (d.lock() && (!form.lockable() || !d.hasMem)) {
            throw Fault.ud();
        }
        if (d.operandIndex(OpKind.SREG) >= 0) {
            int sreg = (modrm >> 3) & 7;
            if (sreg > 5 || sreg == SegReg.CS.ordinal() && form.operand(0).kind() == OpKind.SREG) {
                throw Fault.ud(); // no segment register 6, 7; MOV to CS is #UD (SDM "MOV")
            }
        }
        boolean second = false;
        for (Operand o : form.operands) {
            switch (o.kind()) {
                case IMM, REL -> {
                    long v = c.immediate(o.kind() == OpKind.REL && shortBranch && o.size() == 32 ? 2 : o.size() / 8);
                    if (second) {
                        d.imm2 = v;
                    } else {
                        d.imm = v;
                        second = true;
                    }
                }
                case MOFFS -> {
                    d.hasMem = true;
                    d.disp = c.immediate(d.addrSize / 8);
                    if (d.addrSize == 32) {
                        d.disp &= 0xFFFFFFFFL;
                    }
                }
                default -> { }
            }
        }
        normaliseByteRegisters(d, rex != 0);
        d.length = c.pos;
        return d;
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 -> true;
            default -> false;
        };
    }

    private static int effectiveSize(Form f, boolean w, boolean p66) {
        return switch (f.sizeRule) {
            case FORCE64 -> 64;
            case DEFAULT64 -> p66 && !w ? 16 : 64;
            case NORMAL -> w ? 64 : p66 ? 16 : 32;
        };
    }

    /** ModRM/SIB memory operand (SDM Vol. 2 tables 2-2 and 2-3, with the 64-bit RIP-relative row). */
    private static void decodeMemory(Cursor c, DecodedInsn d, int modrm, int rex, int rexX, int rexB, int seg,
                                     boolean m64) {
        int mod = modrm >> 6;
        int rm = modrm & 7;
        d.hasMem = true;
        boolean dispIs32 = mod == 2;
        if (rm == 4) {
            int sib = c.next();
            int base = sib & 7;
            int index = ((sib >> 3) & 7) | rexX;
            d.scale = sib >> 6;
            d.index = index == 4 ? -1 : index; // index 100b without REX.X means none
            if (base == 5 && mod == 0) {
                d.base = -1;
                dispIs32 = true;
            } else {
                d.base = base | rexB;
            }
        } else if (rm == 5 && mod == 0) {
            d.ripRelative = m64; // outside 64-bit mode: an absolute disp32
            dispIs32 = true;
        } else {
            d.base = rm | rexB;
        }
        if (mod == 1) {
            d.disp = (byte) c.next();
        } else if (dispIs32) {
            d.disp = c.immediate(4);
        }
        if (seg < 0 && (d.base == 4 || d.base == 5)) {
            d.segment = SegReg.SS.ordinal(); // RSP/RBP-based addressing defaults to SS (#SS, not #GP)
        }
    }

    private static void normaliseByteRegisters(DecodedInsn d, boolean rex) {
        if (rex) {
            return; // with any REX, 4..7 are SPL, BPL, SIL, DIL
        }
        for (Operand o : d.form.operands) {
            if (o.size() != 8) {
                continue;
            }
            if (o.kind() == OpKind.REG && d.reg >= 4 && d.reg < 8) {
                d.reg = DecodedInsn.AH + d.reg - 4;
            } else if (o.kind() == OpKind.RM && d.rm >= 4 && d.rm < 8) {
                d.rm = DecodedInsn.AH + d.rm - 4;
            }
        }
    }

    /** Reads instruction bytes, enforcing the 15-byte limit. */
    private static final class Cursor {
        private final ByteSource src;
        int pos;

        Cursor(ByteSource src) {
            this.src = src;
        }

        int next() {
            if (pos >= MAX_LENGTH) {
                throw Fault.gp(0);
            }
            return src.byteAt(pos++) & 0xFF;
        }

        /** A little-endian immediate of n bytes, sign-extended. */
        long immediate(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) next() << (8 * i);
            }
            return n == 8 ? v : (v << (64 - 8 * n)) >> (64 - 8 * n);
        }
    }
}
