package org.pvhconf.stubs.asm;

import static org.pvhconf.stubs.asm.Encoder.checkImm;
import static org.pvhconf.stubs.asm.Encoder.sizeOf;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A small x86-64 assembler for 64-bit mode: one method per mnemonic, overloaded by operand shape,
 * each returning {@code this} so that programs read top to bottom.
 *
 * <p>Call order: {@code newLabel}* then any mix of instructions, data directives, {@code bind} and
 * {@code bindAt}, then {@link #finish()} (and {@link #symbols()}). Labels may be used before they are
 * bound; {@code finish} resolves them and fails if one is still unbound or a value does not fit.
 *
 * <p>Operands: registers {@link Reg64}, {@link Reg32}, {@link Reg16}, {@link Reg8} (all {@link Gpr}),
 * memory {@link Mem} ({@code mem(base, index, scale, disp)}, {@code abs(addr)}, {@code abs(label)},
 * {@code rip(label)}), immediates as {@code long}. The operand size comes from the register operand,
 * or from {@link Mem#q()} and friends when there is none. Where x86 offers several encodings this
 * assembler picks the one GNU as picks (imm8 forms, accumulator forms, {@code 89} for reg-to-reg MOV),
 * so its output can be compared with binutils byte for byte.
 *
 * <p>Branches to a label: a bound (backward) label gets the short form when the displacement fits
 * in 8 bits; an unbound (forward) label gets the near form, since the distance is not known yet (no
 * relaxation pass). {@code ...Short} and {@code ...Near} variants force a form.
 */
public final class Assembler {

    /** opSize value for instructions whose operand size is implied (no 66, no REX.W). */
    private static final int IMPLIED = Encoder.IMPLIED;

    private final long origin;
    private final CodeBuffer code = new CodeBuffer();
    private final Encoder enc = new Encoder(this, code);
    private final SortedMap<String, Label> named = new TreeMap<>();
    private int labelCount;

    /**
     * @param origin the virtual address at which byte 0 of the output will run
     */
    public Assembler(final long origin) {
        this.origin = origin;
    }

    // =========================================================================================
    // Positions, labels and output
    // =========================================================================================

    /** The virtual address of byte 0. */
    public long origin() {
        return origin;
    }

    /** The number of bytes emitted so far. */
    public int offset() {
        return code.size();
    }

    /** The virtual address of the next byte. */
    public long address() {
        return origin + code.size();
    }

    /** A new anonymous label. */
    public Label newLabel() {
        return new Label(this, null, labelCount++);
    }

    /**
     * A new named label: once bound it appears in {@link #symbols()}.
     *
     * @param name a symbol name, unique within this assembler
     */
    public Label newLabel(final String name) {
        if (named.containsKey(name)) {
            throw new IllegalArgumentException("duplicate label name " + name);
        }
        Label label = new Label(this, name, labelCount++);
        named.put(name, label);
        return label;
    }

    /** Binds the label to the current position. */
    public Assembler bind(final Label label) {
        own(label).bindTo(address());
        return this;
    }

    /** Binds the label to an arbitrary virtual address (bss, a page outside the code, a device). */
    public Assembler bindAt(final Label label, final long va) {
        own(label).bindTo(va);
        return this;
    }

    /** Every bound named label, by name: the symbol table of the program. */
    public SortedMap<String, Long> symbols() {
        SortedMap<String, Long> out = new TreeMap<>();
        named.forEach((name, label) -> {
            if (label.isBound()) {
                out.put(name, label.address());
            }
        });
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * The assembled bytes with every fixup applied. May be called more than once.
     *
     * @throws IllegalStateException if a referenced label is unbound or a value does not fit its field
     */
    public byte[] finish() {
        return code.resolve(origin);
    }

    // =========================================================================================
    // Data directives
    // =========================================================================================

    /** Emits bytes (each value's low 8 bits). */
    public Assembler db(final int... values) {
        for (int v : values) {
            code.put(v);
        }
        return this;
    }

    /** Emits bytes. */
    public Assembler db(final byte[] values) {
        for (byte v : values) {
            code.put(v);
        }
        return this;
    }

    /** Emits little-endian 16-bit words. */
    public Assembler dw(final int... values) {
        for (int v : values) {
            code.putLe(v, 2);
        }
        return this;
    }

    /** Emits little-endian 32-bit doublewords. */
    public Assembler dd(final long... values) {
        for (long v : values) {
            code.putLe(v, 4);
        }
        return this;
    }

    /** Emits little-endian 64-bit quadwords. */
    public Assembler dq(final long... values) {
        for (long v : values) {
            code.putLe(v, 8);
        }
        return this;
    }

    /** Emits the absolute 64-bit virtual address of a label. */
    public Assembler dq(final Label label) {
        own(label);
        code.fixup(CodeBuffer.Kind.ABS64, label, 0, code.size() + 8);
        return this;
    }

    /** Emits the characters of a string as ISO-8859-1 bytes, without a terminator. */
    public Assembler ascii(final String s) {
        return db(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Emits the string and a NUL. */
    public Assembler asciz(final String s) {
        return ascii(s).db(0);
    }

    /** Emits {@code count} copies of a byte. */
    public Assembler fill(final int count, final int value) {
        if (count < 0) {
            throw new IllegalArgumentException("negative fill count " + count);
        }
        for (int i = 0; i < count; i++) {
            code.put(value);
        }
        return this;
    }

    /** Emits {@code count} zero bytes. */
    public Assembler zero(final int count) {
        return fill(count, 0);
    }

    /** Pads with zero bytes until the virtual address is a multiple of {@code alignment} (a power of two). */
    public Assembler align(final int alignment) {
        return align(alignment, 0);
    }

    /** Pads with {@code value} until the virtual address is a multiple of {@code alignment} (a power of two). */
    public Assembler align(final int alignment, final int value) {
        if (Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        return fill((int) (-address() & (alignment - 1)), value);
    }

    // =========================================================================================
    // Moves
    // =========================================================================================

    /** MOV r/m, reg (88 /r, 89 /r). */
    public Assembler mov(final Operand dst, final Gpr src) {
        int size = sizeOf(dst, src);
        return modrm(size, src.number(), src, dst, 0, size == 1 ? 0x88 : 0x89);
    }

    /** MOV reg, m (8A /r, 8B /r). */
    public Assembler mov(final Gpr dst, final Mem src) {
        int size = sizeOf(src, dst);
        return modrm(size, dst.number(), dst, src, 0, size == 1 ? 0x8A : 0x8B);
    }

    /**
     * MOV reg, imm: B0+r ib, B8+r iw/id; for a 64-bit register REX.W C7 /0 id when the value fits a
     * sign-extended imm32, otherwise REX.W B8+r io (MOVABS), as GNU as chooses.
     */
    public Assembler mov(final Gpr dst, final long imm) {
        int size = dst.size();
        if (size == 8 && imm == (int) imm) {
            modrm(8, 0, null, dst, 4, 0xC7);
            code.putLe(imm, 4);
            return this;
        }
        int immSize = size == 8 ? 8 : size;
        checkImm(imm, immSize);
        opReg(size, dst, (size == 1 ? 0xB0 : 0xB8));
        code.putLe(imm, immSize);
        return this;
    }

    /** MOV m, imm (C6 /0 ib, C7 /0 iw/id; a qword store takes a sign-extended imm32). */
    public Assembler mov(final Mem dst, final long imm) {
        int size = sizeOf(dst, null);
        int immSize = Math.min(size, 4);
        checkImm(imm, size == 8 ? -4 : immSize);
        modrm(size, 0, null, dst, immSize, size == 1 ? 0xC6 : 0xC7);
        code.putLe(imm, immSize);
        return this;
    }

    /** MOV r64, imm32 sign-extended, where the immediate is a label's address (must be in the top or low 2 GiB). */
    public Assembler mov(final Reg64 dst, final Label label) {
        modrm(8, 0, null, dst, 4, 0xC7);
        code.fixup(CodeBuffer.Kind.ABS32S, own(label), 0, code.size() + 4);
        return this;
    }

    /** MOVABS r64, imm64 (REX.W B8+r io), whatever the value. */
    public Assembler movabs(final Reg64 dst, final long imm) {
        opReg(8, dst, 0xB8);
        code.putLe(imm, 8);
        return this;
    }

    /** MOVABS r64, label: the label's full 64-bit address. */
    public Assembler movabs(final Reg64 dst, final Label label) {
        opReg(8, dst, 0xB8);
        code.fixup(CodeBuffer.Kind.ABS64, own(label), 0, code.size() + 8);
        return this;
    }

    /** MOV CRn, r64 (0F 22 /r). */
    public Assembler mov(final CReg dst, final Reg64 src) {
        return modrm(IMPLIED, dst.number(), null, src, 0, 0x0F, 0x22);
    }

    /** MOV r64, CRn (0F 20 /r). */
    public Assembler mov(final Reg64 dst, final CReg src) {
        return modrm(IMPLIED, src.number(), null, dst, 0, 0x0F, 0x20);
    }

    /** MOV Sreg, r/m16 (8E /r). A register source of any width encodes the same, without a size prefix. */
    public Assembler mov(final SReg dst, final Operand src) {
        if (dst == SReg.CS) {
            throw new IllegalArgumentException("MOV to CS is not encodable; use a far return");
        }
        if (src instanceof Gpr g && g.size() == 1) {
            throw new IllegalArgumentException("MOV Sreg takes a 16-, 32- or 64-bit register");
        }
        return modrm(IMPLIED, dst.ordinal(), null, src, 0, 0x8E);
    }

    /**
     * MOV reg, Sreg (8C /r). A 16-bit destination takes 66; 32- and 64-bit destinations encode alike,
     * without REX.W, as GNU as emits them (the selector is zero-extended either way).
     */
    public Assembler mov(final Gpr dst, final SReg src) {
        if (dst.size() == 1) {
            throw new IllegalArgumentException("MOV from Sreg takes a 16-, 32- or 64-bit register");
        }
        return modrm(dst.size() == 2 ? 2 : IMPLIED, src.ordinal(), null, dst, 0, 0x8C);
    }

    /** MOVZX r, r/m8 (0F B6 /r) or r/m16 (0F B7 /r). */
    public Assembler movzx(final Gpr dst, final Operand src) {
        int srcSize = src instanceof Gpr g ? g.size() : ((Mem) src).size();
        if (srcSize != 1 && srcSize != 2) {
            throw new IllegalArgumentException("MOVZX source must be a byte or a word (use Mem.b()/w())");
        }
        if (dst.size() <= srcSize) {
            throw new IllegalArgumentException("MOVZX must widen");
        }
        return modrm(dst.size(), dst.number(), dst, src, 0, 0x0F, srcSize == 1 ? 0xB6 : 0xB7);
    }

    /** LEA r, m (8D /r). */
    public Assembler lea(final Gpr dst, final Mem src) {
        if (dst.size() == 1) {
            throw new IllegalArgumentException("LEA needs a 16-, 32- or 64-bit register");
        }
        return modrm(dst.size(), dst.number(), dst, src, 0, 0x8D);
    }

    /** XCHG: 90+r when one operand is the accumulator (except EAX, EAX), otherwise 86/87 /r. */
    public Assembler xchg(final Gpr a, final Gpr b) {
        int size = sizeOf(a, b);
        boolean bothEax = size == 4 && a.number() == 0 && b.number() == 0;
        if (size > 1 && !bothEax && (a.number() == 0 || b.number() == 0)) {
            // 90 alone is NOP in 64-bit mode, so EAX,EAX must take 87 C0 (it zero-extends RAX).
            return opReg(size, a.number() == 0 ? b : a, 0x90);
        }
        return modrm(size, b.number(), b, a, 0, size == 1 ? 0x86 : 0x87);
    }

    /** XCHG m, reg (86 /r, 87 /r); implicitly locked. */
    public Assembler xchg(final Mem a, final Gpr b) {
        int size = sizeOf(a, b);
        return modrm(size, b.number(), b, a, 0, size == 1 ? 0x86 : 0x87);
    }

    /** XCHG reg, m: the same instruction as {@link #xchg(Mem, Gpr)}. */
    public Assembler xchg(final Gpr a, final Mem b) {
        return xchg(b, a);
    }

    // =========================================================================================
    // Arithmetic and logic
    // =========================================================================================

    /** ADD r/m, reg. */
    public Assembler add(final Operand dst, final Gpr src) {
        return alu(0, dst, src);
    }

    /** ADD reg, m. */
    public Assembler add(final Gpr dst, final Mem src) {
        return alu(0, dst, src);
    }

    /** ADD r/m, imm. */
    public Assembler add(final Operand dst, final long imm) {
        return alu(0, dst, imm);
    }

    /** OR r/m, reg. */
    public Assembler or(final Operand dst, final Gpr src) {
        return alu(1, dst, src);
    }

    /** OR reg, m. */
    public Assembler or(final Gpr dst, final Mem src) {
        return alu(1, dst, src);
    }

    /** OR r/m, imm. */
    public Assembler or(final Operand dst, final long imm) {
        return alu(1, dst, imm);
    }

    /** AND r/m, reg. */
    public Assembler and(final Operand dst, final Gpr src) {
        return alu(4, dst, src);
    }

    /** AND reg, m. */
    public Assembler and(final Gpr dst, final Mem src) {
        return alu(4, dst, src);
    }

    /** AND r/m, imm. */
    public Assembler and(final Operand dst, final long imm) {
        return alu(4, dst, imm);
    }

    /** SUB r/m, reg. */
    public Assembler sub(final Operand dst, final Gpr src) {
        return alu(5, dst, src);
    }

    /** SUB reg, m. */
    public Assembler sub(final Gpr dst, final Mem src) {
        return alu(5, dst, src);
    }

    /** SUB r/m, imm. */
    public Assembler sub(final Operand dst, final long imm) {
        return alu(5, dst, imm);
    }

    /** XOR r/m, reg. */
    public Assembler xor(final Operand dst, final Gpr src) {
        return alu(6, dst, src);
    }

    /** XOR reg, m. */
    public Assembler xor(final Gpr dst, final Mem src) {
        return alu(6, dst, src);
    }

    /** XOR r/m, imm. */
    public Assembler xor(final Operand dst, final long imm) {
        return alu(6, dst, imm);
    }

    /** CMP r/m, reg. */
    public Assembler cmp(final Operand dst, final Gpr src) {
        return alu(7, dst, src);
    }

    /** CMP reg, m. */
    public Assembler cmp(final Gpr dst, final Mem src) {
        return alu(7, dst, src);
    }

    /** CMP r/m, imm. */
    public Assembler cmp(final Operand dst, final long imm) {
        return alu(7, dst, imm);
    }

    /** TEST r/m, reg (84 /r, 85 /r). */
    public Assembler test(final Operand dst, final Gpr src) {
        int size = sizeOf(dst, src);
        return modrm(size, src.number(), src, dst, 0, size == 1 ? 0x84 : 0x85);
    }

    /** TEST r/m, imm: A8/A9 for the accumulator, otherwise F6 /0 ib, F7 /0 iz (TEST has no imm8 form). */
    public Assembler test(final Operand dst, final long imm) {
        int size = sizeOf(dst, null);
        int immSize = Math.min(size, 4);
        checkImm(imm, size == 8 ? -4 : immSize);
        if (dst instanceof Gpr g && g.number() == 0 && !g.forbidsRex()) {
            opReg(size, null, size == 1 ? 0xA8 : 0xA9);
        } else {
            modrm(size, 0, null, dst, immSize, size == 1 ? 0xF6 : 0xF7);
        }
        code.putLe(imm, immSize);
        return this;
    }

    /** INC r/m (FE /0, FF /0). */
    public Assembler inc(final Operand dst) {
        return unary(0xFE, 0, dst);
    }

    /** DEC r/m (FE /1, FF /1). */
    public Assembler dec(final Operand dst) {
        return unary(0xFE, 1, dst);
    }

    /** NOT r/m (F6 /2, F7 /2). */
    public Assembler not(final Operand dst) {
        return unary(0xF6, 2, dst);
    }

    /** NEG r/m (F6 /3, F7 /3). */
    public Assembler neg(final Operand dst) {
        return unary(0xF6, 3, dst);
    }

    /** SHL r/m, imm8 (D0/D1 /4 for a count of 1, else C0/C1 /4 ib). */
    public Assembler shl(final Operand dst, final long count) {
        return shift(4, dst, count);
    }

    /** SHR r/m, imm8 (logical). */
    public Assembler shr(final Operand dst, final long count) {
        return shift(5, dst, count);
    }

    /** SAR r/m, imm8 (arithmetic). */
    public Assembler sar(final Operand dst, final long count) {
        return shift(7, dst, count);
    }

    // =========================================================================================
    // Stack and control transfer
    // =========================================================================================

    /** PUSH r64 (50+r). */
    public Assembler push(final Reg64 src) {
        return opReg(IMPLIED, src, 0x50);
    }

    /** PUSH imm (6A ib or 68 id), sign-extended to 64 bits. */
    public Assembler push(final long imm) {
        if (imm == (byte) imm) {
            return db(0x6A, (int) imm);
        }
        checkImm(imm, -4);
        db(0x68);
        code.putLe(imm, 4);
        return this;
    }

    /** POP r64 (58+r). */
    public Assembler pop(final Reg64 dst) {
        return opReg(IMPLIED, dst, 0x58);
    }

    /** PUSHFQ (9C). */
    public Assembler pushfq() {
        return db(0x9C);
    }

    /** POPFQ (9D). */
    public Assembler popfq() {
        return db(0x9D);
    }

    /** CALL rel32 (E8) to a label. */
    public Assembler call(final Label target) {
        return call(target, 0);
    }

    /** CALL rel32 (E8) to label + addend, e.g. {@code call(hypercallPage, 18 * 32)}. */
    public Assembler call(final Label target, final long addend) {
        db(0xE8);
        code.fixup(CodeBuffer.Kind.REL32, own(target), addend, code.size() + 4);
        return this;
    }

    /** CALL r/m64 (FF /2). */
    public Assembler call(final Operand target) {
        return indirect(2, target);
    }

    /** JMP to a label: short when the label is bound and near enough, else near. */
    public Assembler jmp(final Label target) {
        return branch(-1, target, 0);
    }

    /** JMP rel8 (EB). */
    public Assembler jmpShort(final Label target) {
        return branch(-1, target, 1);
    }

    /** JMP rel32 (E9). */
    public Assembler jmpNear(final Label target) {
        return branch(-1, target, 4);
    }

    /** JMP r/m64 (FF /4). */
    public Assembler jmp(final Operand target) {
        return indirect(4, target);
    }

    /** Jcc to a label: short when the label is bound and near enough, else near. */
    public Assembler jcc(final Cond cc, final Label target) {
        return branch(cc.code(), target, 0);
    }

    /** Jcc rel8 (70+cc). */
    public Assembler jccShort(final Cond cc, final Label target) {
        return branch(cc.code(), target, 1);
    }

    /** Jcc rel32 (0F 80+cc). */
    public Assembler jccNear(final Cond cc, final Label target) {
        return branch(cc.code(), target, 4);
    }

    /** JE/JZ. */
    public Assembler je(final Label target) {
        return jcc(Cond.E, target);
    }

    /** JNE/JNZ. */
    public Assembler jne(final Label target) {
        return jcc(Cond.NE, target);
    }

    /** JB (unsigned less). */
    public Assembler jb(final Label target) {
        return jcc(Cond.B, target);
    }

    /** JAE (unsigned greater or equal). */
    public Assembler jae(final Label target) {
        return jcc(Cond.AE, target);
    }

    /** JBE (unsigned less or equal). */
    public Assembler jbe(final Label target) {
        return jcc(Cond.BE, target);
    }

    /** JA (unsigned greater). */
    public Assembler ja(final Label target) {
        return jcc(Cond.A, target);
    }

    /** JL (signed less). */
    public Assembler jl(final Label target) {
        return jcc(Cond.L, target);
    }

    /** JGE (signed greater or equal). */
    public Assembler jge(final Label target) {
        return jcc(Cond.GE, target);
    }

    /** RET (C3). */
    public Assembler ret() {
        return db(0xC3);
    }

    /** RET imm16 (C2 iw). */
    public Assembler ret(final long popBytes) {
        checkImm(popBytes, 2);
        db(0xC2);
        code.putLe(popBytes, 2);
        return this;
    }

    /** IRETQ (REX.W CF). */
    public Assembler iretq() {
        return db(0x48, 0xCF);
    }

    /** LRETQ, the 64-bit far return (REX.W CB): pops RIP, then CS. */
    public Assembler lretq() {
        return db(0x48, 0xCB);
    }

    // =========================================================================================
    // System instructions
    // =========================================================================================

    /** CLI (FA). */
    public Assembler cli() {
        return db(0xFA);
    }

    /** STI (FB). */
    public Assembler sti() {
        return db(0xFB);
    }

    /** CLD (FC). */
    public Assembler cld() {
        return db(0xFC);
    }

    /** HLT (F4). */
    public Assembler hlt() {
        return db(0xF4);
    }

    /** PAUSE (F3 90). */
    public Assembler pause() {
        return db(0xF3, 0x90);
    }

    /** NOP (90). */
    public Assembler nop() {
        return db(0x90);
    }

    /** INT3 (CC). */
    public Assembler int3() {
        return db(0xCC);
    }

    /** UD2 (0F 0B). */
    public Assembler ud2() {
        return db(0x0F, 0x0B);
    }

    /** VMCALL (0F 01 C1), Intel's hypercall instruction. */
    public Assembler vmcall() {
        return db(0x0F, 0x01, 0xC1);
    }

    /** VMMCALL (0F 01 D9), AMD's hypercall instruction. */
    public Assembler vmmcall() {
        return db(0x0F, 0x01, 0xD9);
    }

    /** CPUID (0F A2). */
    public Assembler cpuid() {
        return db(0x0F, 0xA2);
    }

    /** RDMSR (0F 32): EDX:EAX = MSR[ECX]. */
    public Assembler rdmsr() {
        return db(0x0F, 0x32);
    }

    /** WRMSR (0F 30): MSR[ECX] = EDX:EAX. */
    public Assembler wrmsr() {
        return db(0x0F, 0x30);
    }

    /** LGDT m16&64 (0F 01 /2). */
    public Assembler lgdt(final Mem src) {
        return modrm(IMPLIED, 2, null, src, 0, 0x0F, 0x01);
    }

    /** LIDT m16&64 (0F 01 /3). */
    public Assembler lidt(final Mem src) {
        return modrm(IMPLIED, 3, null, src, 0, 0x0F, 0x01);
    }

    /** INVLPG m (0F 01 /7). */
    public Assembler invlpg(final Mem src) {
        return modrm(IMPLIED, 7, null, src, 0, 0x0F, 0x01);
    }

    /** REP MOVSB (F3 A4): copy RCX bytes from [RSI] to [RDI]. */
    public Assembler repMovsb() {
        return db(0xF3, 0xA4);
    }

    /** REP STOSB (F3 AA): store AL into RCX bytes at [RDI]. */
    public Assembler repStosb() {
        return db(0xF3, 0xAA);
    }

    /** OUT DX, AL/AX/EAX (EE, 66 EF, EF). */
    public Assembler out(final Reg16 port, final Gpr src) {
        if (port != Reg16.DX || src.number() != 0 || src.size() == 8 || src.forbidsRex()) {
            throw new IllegalArgumentException("OUT takes DX and AL, AX or EAX");
        }
        return opReg(src.size() == 1 ? IMPLIED : src.size(), null, src.size() == 1 ? 0xEE : 0xEF);
    }

    /** OUT imm8, AL/AX/EAX (E6 ib, 66 E7 ib, E7 ib). */
    public Assembler out(final long port, final Gpr src) {
        if (src.number() != 0 || src.size() == 8 || src.forbidsRex()) {
            throw new IllegalArgumentException("OUT takes AL, AX or EAX");
        }
        checkImm(port, 1);
        opReg(src.size() == 1 ? IMPLIED : src.size(), null, src.size() == 1 ? 0xE6 : 0xE7);
        return db((int) port);
    }

    /** IN AL/AX/EAX, DX (EC, 66 ED, ED). */
    public Assembler in(final Gpr dst, final Reg16 port) {
        if (port != Reg16.DX || dst.number() != 0 || dst.size() == 8 || dst.forbidsRex()) {
            throw new IllegalArgumentException("IN takes AL, AX or EAX and DX");
        }
        return opReg(dst.size() == 1 ? IMPLIED : dst.size(), null, dst.size() == 1 ? 0xEC : 0xED);
    }

    // =========================================================================================
    // Operand shapes shared by several mnemonics (the bytes themselves: Encoder)
    // =========================================================================================

    /** Checks that a label was made by this assembler (package-private: Encoder checks memory operands). */
    Label own(final Label label) {
        if (label.owner() != this) {
            throw new IllegalArgumentException("label " + label + " belongs to another assembler");
        }
        return label;
    }

    private Assembler alu(final int op, final Operand dst, final Gpr src) {
        int size = sizeOf(dst, src);
        return modrm(size, src.number(), src, dst, 0, op * 8 + (size == 1 ? 0 : 1));
    }

    private Assembler alu(final int op, final Gpr dst, final Mem src) {
        int size = sizeOf(src, dst);
        return modrm(size, dst.number(), dst, src, 0, op * 8 + (size == 1 ? 2 : 3));
    }

    private Assembler alu(final int op, final Operand dst, final long imm) {
        int size = sizeOf(dst, null);
        int immSize = Math.min(size, 4);
        checkImm(imm, size == 8 ? -4 : immSize);
        // GNU as (and the CPU) sign-extend imm8; a value that equals its own truncation does fit.
        long truncated = size == 8 ? imm : (imm << (64 - 8 * size)) >> (64 - 8 * size);
        boolean accumulator = dst instanceof Gpr g && g.number() == 0 && !g.forbidsRex();
        if (size == 1) {
            if (accumulator) {
                opReg(IMPLIED, null, op * 8 + 4);
            } else {
                modrm(1, op, null, dst, 1, 0x80);
            }
            return db((int) imm);
        }
        if (truncated == (byte) truncated) {
            modrm(size, op, null, dst, 1, 0x83);
            return db((int) imm);
        }
        if (accumulator) {
            opReg(size, null, op * 8 + 5);
        } else {
            modrm(size, op, null, dst, immSize, 0x81);
        }
        code.putLe(imm, immSize);
        return this;
    }

    private Assembler unary(final int byteOpcode, final int ext, final Operand dst) {
        int size = sizeOf(dst, null);
        return modrm(size, ext, null, dst, 0, size == 1 ? byteOpcode : byteOpcode + 1);
    }

    private Assembler shift(final int ext, final Operand dst, final long count) {
        int size = sizeOf(dst, null);
        if (count < 0 || count > 63) {
            throw new IllegalArgumentException("shift count out of range: " + count);
        }
        if (count == 1) {
            return modrm(size, ext, null, dst, 0, size == 1 ? 0xD0 : 0xD1);
        }
        modrm(size, ext, null, dst, 1, size == 1 ? 0xC0 : 0xC1);
        return db((int) count);
    }

    private Assembler indirect(final int ext, final Operand target) {
        if (target instanceof Gpr g && g.size() != 8) {
            throw new IllegalArgumentException("indirect branches take a 64-bit register");
        }
        return modrm(IMPLIED, ext, null, target, 0, 0xFF);
    }

    /** @param form 0 = choose, 1 = rel8, 4 = rel32 */
    private Assembler branch(final int cc, final Label target, final int form) {
        own(target);
        int chosen = form;
        if (chosen == 0) {
            long rel8 = target.isBound() ? target.address() - (address() + 2) : Long.MAX_VALUE;
            chosen = rel8 == (byte) rel8 ? 1 : 4;
        }
        if (chosen == 1) {
            db(cc < 0 ? 0xEB : 0x70 | cc);
            code.fixup(CodeBuffer.Kind.REL8, target, 0, code.size() + 1);
        } else {
            if (cc < 0) {
                db(0xE9);
            } else {
                db(0x0F, 0x80 | cc);
            }
            code.fixup(CodeBuffer.Kind.REL32, target, 0, code.size() + 4);
        }
        return this;
    }

    private Assembler opReg(final int opSize, final Gpr reg, final int... opcode) {
        enc.opReg(opSize, reg, opcode);
        return this;
    }

    private Assembler modrm(final int opSize, final int reg, final Gpr regGpr, final Operand rm,
                            final int immBytes, final int... opcode) {
        enc.modrm(opSize, reg, regGpr, rm, immBytes, opcode);
        return this;
    }
}
