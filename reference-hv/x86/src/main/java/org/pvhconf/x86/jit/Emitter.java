package org.pvhconf.x86.jit;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The JIT's only door to ASM: one method per operand shape it needs, over a {@link MethodVisitor}
 * (STYLE §4). Checking and tracing wrap the visitor, not this class.
 */
final class Emitter implements Opcodes {
    private final MethodVisitor mv;
    /** Approximate bytecode size, to keep blocks under HotSpot's 8000-byte compile limit. */
    int size;

    Emitter(MethodVisitor mv) {
        this.mv = mv;
    }

    /** Pushes a long constant. */
    void lconst(long v) {
        size += 3;
        if (v == 0 || v == 1) {
            mv.visitInsn(v == 0 ? LCONST_0 : LCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Pushes an int constant. */
    void iconst(int v) {
        size += 3;
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** A local-variable instruction (xLOAD, xSTORE). */
    void var(int opcode, int slot) {
        size += slot < 4 ? 1 : slot < 256 ? 2 : 4;
        mv.visitVarInsn(opcode, slot);
    }

    /** An instruction without operands (arithmetic, conversions, array access, ATHROW, returns). */
    void insn(int opcode) {
        size += 1;
        mv.visitInsn(opcode);
    }

    /** A conditional or unconditional branch. */
    void jump(int opcode, Label target) {
        size += 3;
        mv.visitJumpInsn(opcode, target);
    }

    void label(Label l) {
        mv.visitLabel(l);
    }

    /** GETFIELD, PUTFIELD. */
    void field(int opcode, String owner, String name, String desc) {
        size += 3;
        mv.visitFieldInsn(opcode, owner, name, desc);
    }

    /** INVOKESTATIC, INVOKEVIRTUAL, INVOKESPECIAL. */
    void invoke(int opcode, String owner, String name, String desc) {
        size += 3;
        mv.visitMethodInsn(opcode, owner, name, desc, false);
    }

    /** NEW. */
    void type(int opcode, String type) {
        size += 3;
        mv.visitTypeInsn(opcode, type);
    }

    /** LOOKUPSWITCH over sorted keys. */
    void lookupSwitch(Label dflt, int[] keys, Label[] labels) {
        size += 8 + 8 * keys.length;
        mv.visitLookupSwitchInsn(dflt, keys, labels);
    }

    /** TABLESWITCH over keys {@code min..min + labels.length - 1}. */
    void tableSwitch(int min, Label dflt, Label[] labels) {
        size += 16 + 4 * labels.length;
        mv.visitTableSwitchInsn(min, min + labels.length - 1, dflt, labels);
    }

    void tryCatch(Label start, Label end, Label handler, String type) {
        mv.visitTryCatchBlock(start, end, handler, type);
    }
}
