package org.pvhconf.x86.isa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instruction-form table of 64-bit mode: one line per encoding, in SDM notation, read once at
 * class initialisation. The decoder, the semantics registry, the README listing and (later) the
 * stub assembler all key on the {@link Form} this table makes.
 *
 * <p>A line is {@code ENCODING | NAMES | FLAGS}:
 * <ul>
 *   <li>ENCODING: an optional mandatory prefix (66, F2, F3), the map bytes (0F, 0F 38), the opcode with
 *       {@code +r} when its low bits name a register, then {@code /r}, {@code /digit} (ModRM.reg is an
 *       opcode extension) or a hex byte (the whole ModRM byte, as in {@code 0F 01 C1}).</li>
 *   <li>NAMES: one name whose {@code $} stands for the operand size (16, 32, 64) and {@code %} for the
 *       immediate size (16, 32, 32); or a comma list, one name per operand size (16, 32, 64; with
 *       {@code d64} 16, 64). A name repeated in the list is one form chosen for several sizes.</li>
 *   <li>FLAGS: {@code L} lockable, {@code m} memory operand only, {@code x} register operand only,
 *       {@code rr} mod is ignored and rm is a register (MOV CR), {@code np} no 66/F2/F3 prefix
 *       allowed (the SDM's NP: with one it is another instruction or #UD), {@code d64} default operand size 64,
 *       {@code f64} operand size always 64.</li>
 * </ul>
 * Immediates follow from the operand tokens of the name, in order.
 */
public final class Forms {

    private static final String[] ALU = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"};
    private static final String[] SHIFT = {"ROL", "ROR", "RCL", "RCR", "SHL", "SHR", "SAL", "SAR"};
    /** Condition-code suffixes in encoding order (the low nibble of Jcc/SETcc/CMOVcc). */
    public static final String[] CC = {"O", "NO", "B", "AE", "E", "NE", "BE", "A", "S", "NS", "P", "NP", "L", "GE", "LE", "G"};

    private static final List<Form> ALL;
    private static final Map<String, Form> BY_NAME;

    static {
        List<String> lines = new ArrayList<>();
        table(lines);
        List<Form> all = new ArrayList<>();
        Map<String, Form> byName = new LinkedHashMap<>();
        for (String line : lines) {
            parseLine(line, all, byName);
        }
        ALL = Collections.unmodifiableList(all);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private Forms() {
    }

    public static List<Form> all() {
        return ALL;
    }

    /** The form with this name, or null. */
    public static Form byName(String name) {
        return BY_NAME.get(name);
    }

    // ---- the table ----

    private static void table(List<String> t) {
        // Integer arithmetic: the eight ALU operations share one opcode pattern (SDM Vol. 2 appendix A).
        for (int i = 0; i < 8; i++) {
            String op = ALU[i];
            String lock = op.equals("CMP") ? "" : "L";
            int b = i * 8;
            t.add(hex(b) + " /r | " + op + "_RM8_R8 | " + lock);
            t.add(hex(b + 1) + " /r | " + op + "_RM$_R$ | " + lock);
            t.add(hex(b + 2) + " /r | " + op + "_R8_RM8 |");
            t.add(hex(b + 3) + " /r | " + op + "_R$_RM$ |");
            t.add(hex(b + 4) + " | " + op + "_AL_IMM8 |");
            t.add(hex(b + 5) + " | " + op + "_AX_IMM16," + op + "_EAX_IMM32," + op + "_RAX_IMM32 |");
            t.add("80 /" + i + " | " + op + "_RM8_IMM8 | " + lock);
            t.add("81 /" + i + " | " + op + "_RM$_IMM% | " + lock);
            t.add("83 /" + i + " | " + op + "_RM$_IMM8 | " + lock);
        }
        t.add("84 /r | TEST_RM8_R8 |");
        t.add("85 /r | TEST_RM$_R$ |");
        t.add("A8 | TEST_AL_IMM8 |");
        t.add("A9 | TEST_AX_IMM16,TEST_EAX_IMM32,TEST_RAX_IMM32 |");
        t.add("F6 /0 | TEST_RM8_IMM8 |");
        t.add("F7 /0 | TEST_RM$_IMM% |");
        String[] grp3 = {null, null, "NOT", "NEG", "MUL", "IMUL", "DIV", "IDIV"};
        for (int i = 2; i < 8; i++) {
            String lock = i < 4 ? "L" : "";
            t.add("F6 /" + i + " | " + grp3[i] + "_RM8 | " + lock);
            t.add("F7 /" + i + " | " + grp3[i] + "_RM$ | " + lock);
        }
        t.add("0F AF /r | IMUL_R$_RM$ |");
        t.add("69 /r | IMUL_R$_RM$_IMM% |");
        t.add("6B /r | IMUL_R$_RM$_IMM8 |");
        t.add("FE /0 | INC_RM8 | L");
        t.add("FE /1 | DEC_RM8 | L");
        t.add("FF /0 | INC_RM$ | L");
        t.add("FF /1 | DEC_RM$ | L");
        t.add("98 | CBW,CWDE,CDQE |");
        t.add("99 | CWD,CDQ,CQO |");

        // Shifts and rotates: group 2.
        for (int i = 0; i < 8; i++) {
            String op = SHIFT[i];
            t.add("C0 /" + i + " | " + op + "_RM8_IMM8 |");
            t.add("C1 /" + i + " | " + op + "_RM$_IMM8 |");
            t.add("D0 /" + i + " | " + op + "_RM8_1 |");
            t.add("D1 /" + i + " | " + op + "_RM$_1 |");
            t.add("D2 /" + i + " | " + op + "_RM8_CL |");
            t.add("D3 /" + i + " | " + op + "_RM$_CL |");
        }
        t.add("0F A4 /r | SHLD_RM$_R$_IMM8 |");
        t.add("0F A5 /r | SHLD_RM$_R$_CL |");
        t.add("0F AC /r | SHRD_RM$_R$_IMM8 |");
        t.add("0F AD /r | SHRD_RM$_R$_CL |");

        // Bit operations.
        String[] bt = {"BT", "BTS", "BTR", "BTC"};
        int[] btReg = {0xA3, 0xAB, 0xB3, 0xBB};
        for (int i = 0; i < 4; i++) {
            String lock = i == 0 ? "" : "L";
            t.add("0F " + hex(btReg[i]) + " /r | " + bt[i] + "_RM$_R$ | " + lock);
            t.add("0F BA /" + (4 + i) + " | " + bt[i] + "_RM$_IMM8 | " + lock);
        }
        t.add("0F BC /r | BSF_R$_RM$ |");
        t.add("0F BD /r | BSR_R$_RM$ |");
        t.add("0F C8+r | BSWAP_R16,BSWAP_R32,BSWAP_R64 |");
        // F3 before 0F B8/BC/BD: the counting forms (an F3 prefix on BSF/BSR is TZCNT/LZCNT, ABM/BMI1).
        t.add("F3 0F B8 /r | POPCNT_R$_RM$ |");
        t.add("F3 0F BC /r | TZCNT_R$_RM$ |");
        t.add("F3 0F BD /r | LZCNT_R$_RM$ |");

        // Data movement.
        t.add("88 /r | MOV_RM8_R8 |");
        t.add("89 /r | MOV_RM$_R$ |");
        t.add("8A /r | MOV_R8_RM8 |");
        t.add("8B /r | MOV_R$_RM$ |");
        t.add("8C /r | MOV_RM16_SREG |");
        t.add("8E /r | MOV_SREG_RM16 |");
        t.add("A0 | MOV_AL_MOFFS8 |");
        t.add("A1 | MOV_AX_MOFFS16,MOV_EAX_MOFFS32,MOV_RAX_MOFFS64 |");
        t.add("A2 | MOV_MOFFS8_AL |");
        t.add("A3 | MOV_MOFFS16_AX,MOV_MOFFS32_EAX,MOV_MOFFS64_RAX |");
        t.add("B0+r | MOV_R8_IMM8 |");
        t.add("B8+r | MOV_R$_IMM$ |");
        t.add("C6 /0 | MOV_RM8_IMM8 |");
        t.add("C7 /0 | MOV_RM$_IMM% |");
        t.add("0F B6 /r | MOVZX_R$_RM8 |");
        t.add("0F B7 /r | MOVZX_R$_RM16 |");
        t.add("0F BE /r | MOVSX_R$_RM8 |");
        t.add("0F BF /r | MOVSX_R$_RM16 |");
        t.add("63 /r | MOVSXD_R16_RM16,MOVSXD_R32_RM32,MOVSXD_R64_RM32 | o64");
        t.add("8D /r | LEA_R$_M | m");
        t.add("86 /r | XCHG_RM8_R8 | L");
        t.add("87 /r | XCHG_RM$_R$ | L");
        t.add("90+r | XCHG_R16_AX,XCHG_R32_EAX,XCHG_R64_RAX |");
        t.add("0F C0 /r | XADD_RM8_R8 | L");
        t.add("0F C1 /r | XADD_RM$_R$ | L");
        t.add("0F B0 /r | CMPXCHG_RM8_R8 | L");
        t.add("0F B1 /r | CMPXCHG_RM$_R$ | L");
        t.add("0F C7 /1 | CMPXCHG8B_M64,CMPXCHG8B_M64,CMPXCHG16B_M128 | m L");
        t.add("D7 | XLATB |");
        for (int cc = 0; cc < 16; cc++) {
            t.add("0F " + hex(0x40 + cc) + " /r | CMOV" + CC[cc] + "_R$_RM$ |");
            t.add("0F " + hex(0x90 + cc) + " /r | SET" + CC[cc] + "_RM8 |");
        }

        // Stack.
        t.add("50+r | PUSH_R$ | d64");
        t.add("58+r | POP_R$ | d64");
        t.add("FF /6 | PUSH_RM$ | d64");
        t.add("8F /0 | POP_RM$ | d64");
        t.add("6A | PUSHW_IMM8,PUSHQ_IMM8 | d64");
        t.add("68 | PUSHW_IMM16,PUSHQ_IMM32 | d64");
        t.add("0F A0 | PUSHW_FS,PUSHQ_FS | d64");
        t.add("0F A1 | POPW_FS,POPQ_FS | d64");
        t.add("0F A8 | PUSHW_GS,PUSHQ_GS | d64");
        t.add("0F A9 | POPW_GS,POPQ_GS | d64");
        t.add("9C | PUSHFW,PUSHFQ | d64");
        t.add("9D | POPFW,POPFQ | d64");
        t.add("C8 | ENTERW_IMM16_IMM8,ENTERQ_IMM16_IMM8 | d64");
        t.add("C9 | LEAVEW,LEAVEQ | d64");

        // Control transfer (near branches ignore 66 in 64-bit mode, as Intel does).
        for (int cc = 0; cc < 16; cc++) {
            t.add(hex(0x70 + cc) + " | J" + CC[cc] + "_REL8 | f64");
            t.add("0F " + hex(0x80 + cc) + " | J" + CC[cc] + "_REL32 | f64");
        }
        t.add("EB | JMP_REL8 | f64");
        t.add("E9 | JMP_REL32 | f64");
        t.add("FF /4 | JMP_RM64 | f64 o64");
        t.add("E8 | CALL_REL32 | f64 o64");
        t.add("FF /3 | CALLF_M1616,CALLF_M1632,CALLF_M1664 | m");
        t.add("FF /5 | JMPF_M1616,JMPF_M1632,JMPF_M1664 | m");
        t.add("FF /2 | CALL_RM64 | f64 o64");
        t.add("C3 | RET | f64 o64");
        t.add("C2 | RET_IMM16 | f64 o64");
        t.add("CB | RETFW,RETFD,RETFQ |");
        t.add("CA | RETFW_IMM16,RETFD_IMM16,RETFQ_IMM16 |");
        t.add("E0 | LOOPNE_REL8 | f64");
        t.add("E1 | LOOPE_REL8 | f64");
        t.add("E2 | LOOP_REL8 | f64");
        t.add("E3 | JRCXZ_REL8 | f64");

        // Flags.
        t.add("9E | SAHF |");
        t.add("9F | LAHF |");
        t.add("F5 | CMC |");
        t.add("F8 | CLC |");
        t.add("F9 | STC |");
        t.add("FA | CLI |");
        t.add("FB | STI |");
        t.add("FC | CLD |");
        t.add("FD | STD |");

        // Strings (REP/REPE/REPNE come from the prefixes).
        t.add("A4 | MOVSB |");
        t.add("A5 | MOVSW,MOVSD,MOVSQ |");
        t.add("A6 | CMPSB |");
        t.add("A7 | CMPSW,CMPSD,CMPSQ |");
        t.add("AA | STOSB |");
        t.add("AB | STOSW,STOSD,STOSQ |");
        t.add("AC | LODSB |");
        t.add("AD | LODSW,LODSD,LODSQ |");
        t.add("AE | SCASB |");
        t.add("AF | SCASW,SCASD,SCASQ |");

        // Port I/O (the 64-bit operand size has no I/O form: it stays 32).
        t.add("E4 | IN_AL_IMM8 |");
        t.add("E5 | IN_AX_IMM8,IN_EAX_IMM8,IN_EAX_IMM8 |");
        t.add("EC | IN_AL_DX |");
        t.add("ED | IN_AX_DX,IN_EAX_DX,IN_EAX_DX |");
        t.add("E6 | OUT_IMM8_AL |");
        t.add("E7 | OUT_IMM8_AX,OUT_IMM8_EAX,OUT_IMM8_EAX |");
        t.add("EE | OUT_DX_AL |");
        t.add("EF | OUT_DX_AX,OUT_DX_EAX,OUT_DX_EAX |");
        t.add("6C | INSB |");
        t.add("6D | INSW,INSD,INSD |");
        t.add("6E | OUTSB |");
        t.add("6F | OUTSW,OUTSD,OUTSD |");

        // No-ops and hints.
        t.add("F3 90 | PAUSE |");
        t.add("90 | NOP |");
        t.add("0F 1F /0 | NOP_RM$ |");
        for (int op = 0x18; op <= 0x1E; op++) {
            t.add("0F " + hex(op) + " /r | RESERVEDNOP_RM$_R$_0F" + hex(op) + " |");
        }
        t.add("0F 0B | UD2 |");
        t.add("0F B9 /r | UD1_R$_RM$ |");
        t.add("0F FF /r | UD0_R$_RM$ |");

        // System.
        t.add("F4 | HLT |");
        t.add("CC | INT3 |");
        t.add("F1 | INT1 |");
        t.add("CD | INT_IMM8 |");
        t.add("CF | IRETW,IRETD,IRETQ |");
        t.add("0F 01 C1 | VMCALL | np");
        t.add("0F 01 D9 | VMMCALL | np");
        t.add("0F 01 D0 | XGETBV | np");
        t.add("0F 01 D1 | XSETBV | np");
        t.add("0F 01 F8 | SWAPGS | np o64");
        t.add("0F 01 F9 | RDTSCP | np");
        t.add("0F 01 /0 | SGDT_M | m");
        t.add("0F 01 /1 | SIDT_M | m");
        t.add("0F 01 /2 | LGDT_M | m");
        t.add("0F 01 /3 | LIDT_M | m");
        t.add("0F 01 /4 | SMSW_RM16 |");
        t.add("0F 01 /6 | LMSW_RM16 |");
        t.add("0F 01 /7 | INVLPG_M | m");
        t.add("0F 00 /0 | SLDT_RM16 |");
        t.add("0F 00 /1 | STR_RM16 |");
        t.add("0F 00 /2 | LLDT_RM16 |");
        t.add("0F 00 /3 | LTR_RM16 |");
        t.add("0F 05 | SYSCALL |");
        t.add("0F 07 | SYSRETD,SYSRETD,SYSRETQ |");
        t.add("0F 06 | CLTS |");
        t.add("0F 08 | INVD | np");
        t.add("0F 09 | WBINVD | np");
        t.add("0F A2 | CPUID |");
        t.add("0F 30 | WRMSR |");
        t.add("0F 31 | RDTSC |");
        t.add("0F 32 | RDMSR |");
        legacy(t);
        sse(t);
        t.add("0F 20 /r | MOV_R64_CR | rr");
        t.add("0F 22 /r | MOV_CR_R64 | rr");
        t.add("0F 21 /r | MOV_R64_DR | rr");
        t.add("0F 23 /r | MOV_DR_R64 | rr");
        t.add("0F AE /7 | CLFLUSH_M8 | m");
        t.add("66 0F AE /7 | CLFLUSHOPT_M8 | m");
        t.add("0F AE E8 | LFENCE | np");
        t.add("0F AE F0 | MFENCE | np");
        t.add("0F AE F8 | SFENCE | np");
    }

    /**
     * Forms that exist only outside 64-bit mode (flag {@code i64}; SDM Vol. 2 appendix A marks them
     * i64): the one-byte INC/DEC, the 32-bit stack and near-branch forms (in 64-bit mode those are
     * the d64/f64 forms above), segment-register pushes and pops, direct far JMP/CALL, INTO. A
     * trailing size token ({@code _32}) names the 32-bit-mode variant of a 64-bit form.
     */
    private static void legacy(List<String> t) {
        t.add("40+r | INC_R16,INC_R32,INC_R32 | i64");
        t.add("48+r | DEC_R16,DEC_R32,DEC_R32 | i64");
        t.add("50+r | PUSH_R32 | i64");
        t.add("58+r | POP_R32 | i64");
        t.add("FF /6 | PUSH_RM32 | i64");
        t.add("8F /0 | POP_RM32 | i64");
        t.add("6A | PUSHD_IMM8 | i64");
        t.add("68 | PUSHD_IMM32 | i64");
        t.add("0F A0 | PUSHD_FS | i64");
        t.add("0F A1 | POPD_FS | i64");
        t.add("0F A8 | PUSHD_GS | i64");
        t.add("0F A9 | POPD_GS | i64");
        t.add("06 | PUSHW_ES,PUSHD_ES,PUSHD_ES | i64");
        t.add("07 | POPW_ES,POPD_ES,POPD_ES | i64");
        t.add("0E | PUSHW_CS,PUSHD_CS,PUSHD_CS | i64");
        t.add("16 | PUSHW_SS,PUSHD_SS,PUSHD_SS | i64");
        t.add("17 | POPW_SS,POPD_SS,POPD_SS | i64");
        t.add("1E | PUSHW_DS,PUSHD_DS,PUSHD_DS | i64");
        t.add("1F | POPW_DS,POPD_DS,POPD_DS | i64");
        t.add("9C | PUSHFD | i64");
        t.add("9D | POPFD | i64");
        t.add("C8 | ENTERD_IMM16_IMM8 | i64");
        t.add("C9 | LEAVED | i64");
        t.add("E8 | CALL_REL32_32 | i64");
        t.add("FF /2 | CALL_RM16_32,CALL_RM32_32,CALL_RM32_32 | i64");
        t.add("FF /4 | JMP_RM16_32,JMP_RM32_32,JMP_RM32_32 | i64");
        t.add("C3 | RET_32 | i64");
        t.add("C2 | RET_IMM16_32 | i64");
        t.add("EA | JMPF_IMM16_IMM16,JMPF_IMM32_IMM16,JMPF_IMM32_IMM16 | i64");
        t.add("9A | CALLF_IMM16_IMM16,CALLF_IMM32_IMM16,CALLF_IMM32_IMM16 | i64");
        t.add("CE | INTO | i64");
        t.add("60 | PUSHAW,PUSHAD,PUSHAD | i64");
        t.add("61 | POPAW,POPAD,POPAD | i64");
        t.add("62 /r | BOUND_R16_M16,BOUND_R32_M32,BOUND_R32_M32 | m i64");
        t.add("63 /r | ARPL_RM16_R16 | i64");
        t.add("C4 /r | LES_R16_M1616_ES,LES_R32_M1632_ES,LES_R32_M1632_ES | m i64");
        t.add("C5 /r | LDS_R16_M1616_DS,LDS_R32_M1632_DS,LDS_R32_M1632_DS | m i64");
        t.add("27 | DAA | i64");
        t.add("2F | DAS | i64");
        t.add("37 | AAA | i64");
        t.add("3F | AAS | i64");
        t.add("D4 | AAM_IMM8 | i64");
        t.add("D5 | AAD_IMM8 | i64");
        for (int i = 0; i < 8; i++) {
            t.add("82 /" + i + " | " + ALU[i] + "_RM8_IMM8_82 | i64" + (i == 7 ? "" : " L"));
        }
    }

    /**
     * The SSE/SSE2 subset kernels use early (moves, the logical ops) and the state instructions.
     * Without a mandatory prefix these opcodes are MMX or other SSE forms, which are #UD here.
     */
    private static void sse(List<String> t) {
        t.add("0F 28 /r | MOVAPS_XMM_XMMRM128 | np");
        t.add("0F 29 /r | MOVAPS_XMMRM128_XMM | np");
        t.add("0F 10 /r | MOVUPS_XMM_XMMRM128 | np");
        t.add("0F 11 /r | MOVUPS_XMMRM128_XMM | np");
        t.add("66 0F 6F /r | MOVDQA_XMM_XMMRM128 |");
        t.add("66 0F 7F /r | MOVDQA_XMMRM128_XMM |");
        t.add("F3 0F 6F /r | MOVDQU_XMM_XMMRM128 |");
        t.add("F3 0F 7F /r | MOVDQU_XMMRM128_XMM |");
        t.add("66 0F 6E /r | MOVD_XMM_RM32,MOVD_XMM_RM32,MOVQ_XMM_RM64 |");
        t.add("66 0F 7E /r | MOVD_RM32_XMM,MOVD_RM32_XMM,MOVQ_RM64_XMM |");
        t.add("F3 0F 7E /r | MOVQ_XMM_XMMRM64 |");
        t.add("66 0F D6 /r | MOVQ_XMMRM64_XMM |");
        t.add("66 0F EF /r | PXOR_XMM_XMMRM128 |");
        t.add("66 0F EB /r | POR_XMM_XMMRM128 |");
        t.add("66 0F DB /r | PAND_XMM_XMMRM128 |");
        t.add("66 0F DF /r | PANDN_XMM_XMMRM128 |");
        t.add("0F AE /0 | FXSAVE_M | m np");
        t.add("0F AE /1 | FXRSTOR_M | m np");
        t.add("0F AE /2 | LDMXCSR_M32 | m np");
        t.add("0F AE /3 | STMXCSR_M32 | m np");
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }

    // ---- the parser ----

    private static void parseLine(String line, List<Form> out, Map<String, Form> byName) {
        String[] parts = line.split("\\|", -1);
        String[] enc = parts[0].trim().split("\\s+");
        String[] names = parts[1].trim().split(",");
        String flagText = parts.length > 2 ? parts[2].trim() : "";

        int i = 0;
        int prefix = 0;
        if (enc.length > 1 && (enc[0].equals("66") || enc[0].equals("F2") || enc[0].equals("F3"))) {
            prefix = Integer.parseInt(enc[0], 16);
            i++;
        }
        int map = 0;
        if (enc[i].equals("0F")) {
            map = 1;
            i++;
            if (enc[i].equals("38") && i + 1 < enc.length && !enc[i + 1].startsWith("/")) {
                map = 2;
                i++;
            } else if (enc[i].equals("3A") && i + 1 < enc.length && !enc[i + 1].startsWith("/")) {
                map = 3;
                i++;
            }
        }
        String opTok = enc[i++];
        boolean opcodeReg = opTok.endsWith("+r");
        int opcode = Integer.parseInt(opcodeReg ? opTok.substring(0, opTok.length() - 2) : opTok, 16);
        boolean modrm = false;
        int ext = -1;
        int exact = -1;
        if (i < enc.length) {
            String m = enc[i];
            modrm = true;
            if (m.equals("/r")) {
                ext = -1;
            } else if (m.startsWith("/")) {
                ext = Integer.parseInt(m.substring(1));
            } else {
                exact = Integer.parseInt(m, 16);
                ext = (exact >> 3) & 7;
            }
        }

        int flags = 0;
        Form.SizeRule rule = Form.SizeRule.NORMAL;
        for (String f : flagText.split("\\s+")) {
            switch (f) {
                case "" -> { }
                case "L" -> flags |= Form.LOCKABLE;
                case "m" -> flags |= Form.MEM_ONLY;
                case "x" -> flags |= Form.REG_ONLY;
                case "rr" -> flags |= Form.MOD_IGNORED;
                case "np" -> flags |= Form.NO_PREFIX;
                case "i64" -> flags |= Form.INVALID_64;
                case "o64" -> flags |= Form.ONLY_64;
                case "d64" -> rule = Form.SizeRule.DEFAULT64;
                case "f64" -> rule = Form.SizeRule.FORCE64;
                default -> throw new IllegalArgumentException("bad flag " + f + " in " + line);
            }
        }

        int[] sizes = rule == Form.SizeRule.DEFAULT64 ? new int[] {16, 64} : new int[] {16, 32, 64};
        if (names.length == 1 && !names[0].contains("$")) {
            String name = names[0].trim();
            int opSize = rule == Form.SizeRule.FORCE64 ? 64 : firstSize(name);
            add(out, byName, line, name, map, opcode, prefix, modrm, ext, exact, opcodeReg, rule, 7, opSize, flags);
            return;
        }
        for (int k = 0; k < sizes.length; k++) {
            int size = sizes[k];
            String name = names.length == 1
                    ? names[0].trim().replace("$", Integer.toString(size)).replace("%", Integer.toString(Math.min(size, 32)))
                    : names[k].trim();
            int bit = size == 16 ? 1 : size == 32 ? 2 : 4;
            Form existing = byName.get(name);
            if (existing != null && names.length > 1) {
                // One form chosen for several operand sizes (IN EAX for 32 and 64).
                Form merged = new Form(existing.id, name, map, opcode, prefix, modrm, ext, exact, opcodeReg, rule,
                        existing.sizeMask | bit, existing.opSize, flags, existing.operands);
                out.set(existing.id, merged);
                byName.put(name, merged);
                continue;
            }
            add(out, byName, line, name, map, opcode, prefix, modrm, ext, exact, opcodeReg, rule, bit,
                    names.length == 1 ? size : nominalSize(name, size), flags);
        }
    }

    private static void add(List<Form> out, Map<String, Form> byName, String line, String name, int map, int opcode,
                            int prefix, boolean modrm, int ext, int exact, boolean opcodeReg, Form.SizeRule rule,
                            int sizeMask, int opSize, int flags) {
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("duplicate form " + name + " in " + line);
        }
        List<Operand> ops = new ArrayList<>();
        String[] toks = name.split("_");
        for (int k = 1; k < toks.length; k++) {
            if (toks[k].startsWith("0F") || k == toks.length - 1 && (toks[k].equals("32") || toks[k].equals("82"))) {
                continue; // disambiguating suffix (RESERVEDNOP_..._0F18, CALL_REL32_32, ADD_RM8_IMM8_82), not an operand
            }
            ops.add(Operand.parse(toks[k]));
        }
        Form f = new Form(out.size(), name, map, opcode, prefix, modrm, ext, exact, opcodeReg, rule, sizeMask, opSize,
                flags, List.copyOf(ops));
        out.add(f);
        byName.put(name, f);
    }

    /** The size of the first register or r/m operand of a name, or 0. */
    private static int firstSize(String name) {
        String[] toks = name.split("_");
        for (int k = 1; k < toks.length; k++) {
            if (toks[k].startsWith("0F") || k == toks.length - 1 && (toks[k].equals("32") || toks[k].equals("82"))) {
                continue;
            }
            Operand o = Operand.parse(toks[k]);
            if (o.kind() == OpKind.RM || o.kind() == OpKind.REG || o.kind() == OpKind.FIXED || o.kind() == OpKind.MOFFS) {
                return o.size();
            }
        }
        return 0;
    }

    private static int nominalSize(String name, int size) {
        int s = firstSize(name);
        if (s != 0) {
            return s;
        }
        // Operand-less names in a size list: the suffix letter says it (MOVSW, CDQE, IRETQ, PUSHQ_IMM8).
        return size;
    }
}
