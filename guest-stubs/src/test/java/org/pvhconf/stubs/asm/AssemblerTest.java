package org.pvhconf.stubs.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.pvhconf.stubs.asm.Mem.abs;
import static org.pvhconf.stubs.asm.Mem.mem;
import static org.pvhconf.stubs.asm.Reg32.EAX;
import static org.pvhconf.stubs.asm.Reg64.RAX;
import static org.pvhconf.stubs.asm.Reg64.RBX;
import static org.pvhconf.stubs.asm.Reg8.AH;
import static org.pvhconf.stubs.asm.Reg8.SIL;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels, fixups and operand checks; encodings themselves are checked against GNU as elsewhere. */
class AssemblerTest {
    private static final long ORIGIN = 0xFFFFFFFF80100000L;

    /** A reference to a label that is never bound fails at finish, naming the label. */
    @Test
    void finish_unboundLabel_throws() {
        Assembler a = new Assembler(ORIGIN);
        a.jmp(a.newLabel("nowhere"));
        IllegalStateException e = assertThrows(IllegalStateException.class, a::finish);
        assertEquals("undefined label nowhere", e.getMessage());
    }

    /** A forced short jump whose target is beyond 127 bytes is refused at finish. */
    @Test
    void jmpShort_targetOutOfRange_throws() {
        Assembler a = new Assembler(ORIGIN);
        Label far = a.newLabel();
        a.jmpShort(far).fill(200, 0x90).bind(far);
        assertThrows(IllegalStateException.class, a::finish);
    }

    /** A backward target within reach gets the 2-byte form, one out of reach the 5-byte form. */
    @Test
    void jmp_boundLabel_choosesShortestForm() {
        Assembler a = new Assembler(ORIGIN);
        Label top = a.newLabel();
        a.bind(top).jmp(top);
        assertEquals(2, a.offset());
        a.fill(200, 0x90).jmp(top);
        assertEquals(2 + 200 + 5, a.offset());
    }

    /** A forward target's distance is unknown when the branch is emitted, so it gets rel32. */
    @Test
    void jcc_forwardLabel_usesNearForm() {
        Assembler a = new Assembler(ORIGIN);
        Label next = a.newLabel();
        a.jcc(Cond.NE, next).bind(next);
        assertArrayEquals(new byte[]{0x0F, (byte) 0x85, 0, 0, 0, 0}, a.finish());
    }

    @Test
    void bind_twice_throws() {
        Assembler a = new Assembler(ORIGIN);
        Label l = a.newLabel();
        a.bind(l);
        assertThrows(IllegalStateException.class, () -> a.bind(l));
    }

    @Test
    void newLabel_duplicateName_throws() {
        Assembler a = new Assembler(ORIGIN);
        a.newLabel("x");
        assertThrows(IllegalArgumentException.class, () -> a.newLabel("x"));
    }

    /** Labels of one assembler cannot be used by another: their addresses mean nothing there. */
    @Test
    void jmp_labelOfAnotherAssembler_throws() {
        Label foreign = new Assembler(0).newLabel();
        assertThrows(IllegalArgumentException.class, () -> new Assembler(ORIGIN).jmp(foreign));
    }

    /** symbols() lists named, bound labels by name; anonymous and unbound ones are left out. */
    @Test
    void symbols_boundNamedLabelsOnly() {
        Assembler a = new Assembler(ORIGIN);
        Label start = a.newLabel("start");
        a.newLabel("unbound");
        Label anonymous = a.newLabel();
        a.bind(start).nop().bind(anonymous).bindAt(a.newLabel("page"), 0xFFFFFFFF80200000L);
        assertEquals(Map.of("start", ORIGIN, "page", 0xFFFFFFFF80200000L), a.symbols());
    }

    /** dq(label) writes the label's full virtual address, origin included. */
    @Test
    void dq_label_writesAbsoluteAddress() {
        Assembler a = new Assembler(ORIGIN);
        Label l = a.newLabel();
        a.dq(l).bind(l);
        assertEquals(ORIGIN + 8, java.nio.ByteBuffer.wrap(a.finish()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /** An absolute disp32 reaches only addresses that sign-extend from 32 bits. */
    @Test
    void abs_labelOutsideSignExtendedRange_throwsAtFinish() {
        Assembler a = new Assembler(0x0000_0001_0000_0000L);
        Label l = a.newLabel();
        a.bind(l).mov(RAX, abs(l).q());
        assertThrows(IllegalStateException.class, a::finish);
    }

    @Test
    void abs_numberOutsideDisp32_throws() {
        assertThrows(IllegalArgumentException.class, () -> abs(0x1_0000_0000L));
    }

    /** AH..BH do not exist when a REX prefix is present, and SIL needs one. */
    @Test
    void mov_highByteWithRexRegister_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Assembler(0).mov(AH, SIL));
    }

    @Test
    void mov_mismatchedSizes_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Assembler(0).mov(RAX, EAX));
    }

    /** Without a register the size must come from the memory operand, as GNU as wants a suffix. */
    @Test
    void mov_immediateToUnsizedMemory_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Assembler(0).mov(mem(RBX), 5));
    }

    @Test
    void mov_immediateTooWideForRegister_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Assembler(0).mov(EAX, 0x1_0000_0000L));
    }

    @Test
    void mem_rspAsIndex_throws() {
        assertThrows(IllegalArgumentException.class, () -> mem(RAX, Reg64.RSP, 1, 0));
    }

    @Test
    void align_notPowerOfTwo_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Assembler(0).align(12));
    }

    /** align() pads relative to the virtual address, not to the start of the buffer. */
    @Test
    void align_paddingFollowsVirtualAddress() {
        Assembler a = new Assembler(0x1004);
        a.align(16);
        assertEquals(12, a.offset());
    }
}
