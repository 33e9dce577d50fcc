package org.pvhconf.x86.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Region classes are shared by exact class bytes, and only by them. */
class RegionClassesTest implements Opcodes {
    /** A region class whose {@code run} returns {@code exit}. */
    private static byte[] region(int exit) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_FINAL | ACC_SUPER, "org/pvhconf/x86/jit/Tb", null, "java/lang/Object",
                new String[] {"org/pvhconf/x86/jit/Block"});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor run = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(Lorg/pvhconf/x86/jit/JitContext;)I", null, null);
        run.visitLdcInsn(exit);
        run.visitInsn(IRETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void equalBytesGiveTheSameClassAndOtherBytesAnother() throws ReflectiveOperationException {
        Block a = RegionClasses.define(region(1234567));
        Block b = RegionClasses.define(region(1234567)); // a copy of the bytes, not the same array
        Block c = RegionClasses.define(region(7654321));
        assertSame(a, b);
        assertNotSame(a.getClass(), c.getClass());
        assertEquals(1234567, a.run(null));
        assertEquals(7654321, c.run(null));
    }
}
