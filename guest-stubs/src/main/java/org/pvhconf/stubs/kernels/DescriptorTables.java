package org.pvhconf.stubs.kernels;

import static org.pvhconf.stubs.asm.Mem.abs;
import static org.pvhconf.stubs.asm.Mem.mem;
import static org.pvhconf.stubs.asm.Mem.rip;
import static org.pvhconf.stubs.asm.Reg64.RAX;
import static org.pvhconf.stubs.asm.Reg64.RSP;

import org.pvhconf.stubs.asm.Assembler;
import org.pvhconf.stubs.asm.Label;
import org.pvhconf.stubs.asm.Mem;
import org.pvhconf.stubs.asm.Reg32;
import org.pvhconf.stubs.asm.SReg;

/**
 * A flat 64-bit GDT and a 256-vector IDT for a stub that must survive its own faults. PVHv1 enters
 * with GDTR and IDTR both empty (§7.1), so a guest that might fault loads its own before anything else.
 *
 * <p>Each vector gets a stub that pushes a dummy error code (where the CPU pushes none) and the vector
 * number, then jumps to one common handler, which therefore always sees the same frame:
 * {@code [rsp] = vector, [rsp+8] = error code, [rsp+16] = RIP, CS, RFLAGS, RSP, SS}.
 */
final class DescriptorTables {
    /** Selectors of the GDT below. */
    static final int KERNEL_CS = 0x08;
    static final int KERNEL_DS = 0x10;

    // Flat descriptors: base 0, limit 0xFFFFF pages. Code: P, DPL 0, execute/read, accessed, L = 1, G = 1
    // (the VMCS AR 0xA09B of §7.1). Data: P, DPL 0, read/write, accessed, D/B = 1, G = 1 (AR 0xC093).
    private static final long CODE64 = 0x00AF9B000000FFFFL;
    private static final long DATA = 0x00CF93000000FFFFL;
    /** IDT gate attributes: present, DPL 0, 64-bit interrupt gate (IF cleared on entry). */
    private static final int INTERRUPT_GATE = 0x8E;

    /** Vectors for which the CPU pushes an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX. */
    static boolean hasErrorCode(final int vector) {
        return switch (vector) {
            case 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 -> true;
            default -> false;
        };
    }

    private DescriptorTables() {
    }

    /**
     * Emits LGDT, a far return into the new CS, and loads DS, ES and SS. Clobbers RAX.
     *
     * @param gdtr the label of the 10-byte GDTR image emitted by {@link #emitGdt}
     */
    static void emitLoadGdt(final Assembler asm, final Label gdtr) {
        Label reloaded = asm.newLabel();
        asm.lgdt(abs(gdtr))
                // MOV cannot load CS: LRETQ pops RIP then CS.
                .push(KERNEL_CS)
                .lea(RAX, rip(reloaded))
                .push(RAX)
                .lretq()
                .bind(reloaded)
                .mov(Reg32.EAX, KERNEL_DS)
                .mov(SReg.DS, Reg32.EAX)
                .mov(SReg.ES, Reg32.EAX)
                .mov(SReg.SS, Reg32.EAX);
    }

    /** Emits the 256 vector stubs; returns their labels, indexed by vector. They jump to {@code common}. */
    static Label[] emitVectorStubs(final Assembler asm, final Label common) {
        Label[] stubs = new Label[256];
        for (int v = 0; v < 256; v++) {
            stubs[v] = asm.newLabel();
            asm.bind(stubs[v]);
            if (!hasErrorCode(v)) {
                asm.push(0);
            }
            asm.push(v).jmp(common);
        }
        return stubs;
    }

    /** Emits the GDT and its GDTR image (limit u16, base u64); binds {@code gdtr}. */
    static void emitGdt(final Assembler asm, final Label gdtr) {
        Label gdt = asm.newLabel("gdt");
        asm.align(16).bind(gdt).dq(0, CODE64, DATA);
        asm.bind(gdtr).dw(3 * 8 - 1).dq(gdt);
    }

    /**
     * Emits the IDT, one interrupt gate per stub, and its IDTR image; binds {@code idtr}. The stubs
     * must already be bound: gates are computed here, not by the guest at run time.
     */
    static void emitIdt(final Assembler asm, final Label[] stubs, final Label idtr) {
        emitIdt(asm, stubs, idtr, "idt");
    }

    /** As {@link #emitIdt(Assembler, Label[], Label)}, with the IDT's symbol named {@code name}. */
    static void emitIdt(final Assembler asm, final Label[] stubs, final Label idtr, final String name) {
        Label idt = asm.newLabel(name);
        asm.align(16).bind(idt);
        for (Label stub : stubs) {
            long off = stub.address();
            long low = (off & 0xFFFF) | (long) KERNEL_CS << 16 | (long) INTERRUPT_GATE << 40
                    | ((off >>> 16) & 0xFFFF) << 48;
            asm.dq(low, off >>> 32);
        }
        asm.bind(idtr).dw(stubs.length * 16 - 1).dq(idt);
    }

    /** The frame slot of the interrupted RIP, once vector and error code are on the stack. */
    static final int FRAME_RIP = 16;

    /** {@code [rsp + slot]}. */
    static Mem frame(final int slot) {
        return mem(RSP, slot).q();
    }
}
