package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.fault.Fault;

/** Instructions whose semantics are a system helper call, plus the operand plumbing around it. */
final class SystemSem {
    private SystemSem() {
    }

    static void register(Semantics.Registry r) {
        simple(r, Sys.CPUID, "CPUID");
        simple(r, Sys.VMCALL, "VMCALL", "VMMCALL");
        simple(r, Sys.HLT, "HLT");
        simple(r, Sys.RDTSC, "RDTSC", "RDTSCP");
        simple(r, Sys.RDMSR, "RDMSR");
        simple(r, Sys.WRMSR, "WRMSR");
        simple(r, Sys.CLTS, "CLTS");
        simple(r, Sys.XGETBV, "XGETBV");
        simple(r, Sys.XSETBV, "XSETBV");
        r.add("JMPF", (d, o) -> o.sys(Sys.FAR_JUMP, Operands.ea(d, o)));
        for (String m : new String[] {"MOVAPS", "MOVUPS", "MOVDQA", "MOVDQU", "MOVD", "MOVQ"}) {
            r.add(m, (d, o) -> o.sys(Sys.SSE_MOVE, d.hasMem ? Operands.ea(d, o) : o.imm(0)));
        }
        for (String m : new String[] {"PXOR", "POR", "PAND", "PANDN"}) {
            r.add(m, (d, o) -> o.sys(Sys.SSE_LOGIC, d.hasMem ? Operands.ea(d, o) : o.imm(0)));
        }
        r.add("FXSAVE", (d, o) -> o.sys(Sys.FXSAVE, Operands.ea(d, o)));
        r.add("FXRSTOR", (d, o) -> o.sys(Sys.FXRSTOR, Operands.ea(d, o)));
        r.add("LDMXCSR", (d, o) -> o.sys(Sys.LDMXCSR, Operands.ea(d, o)));
        r.add("STMXCSR", (d, o) -> o.sys(Sys.STMXCSR, Operands.ea(d, o)));
        r.add("CALLF", (d, o) -> o.sys(Sys.FAR_CALL, Operands.ea(d, o)));
        simple(r, Sys.PRIVILEGED_NOP, "WBINVD", "INVD");
        simple(r, Sys.SWAPGS, "SWAPGS");
        simple(r, Sys.SYSCALL, "SYSCALL");
        simple(r, Sys.SYSRET, "SYSRETD", "SYSRETQ");
        simple(r, Sys.CLI, "CLI");
        simple(r, Sys.STI, "STI");
        simple(r, Sys.IO_STRING, "INSB", "INSW", "INSD", "OUTSB", "OUTSW", "OUTSD");
        simple(r, Sys.STRING, "MOVSB", "MOVSW", "MOVSD", "MOVSQ", "CMPSB", "CMPSW", "CMPSD", "CMPSQ",
                "STOSB", "STOSW", "STOSD", "STOSQ", "LODSB", "LODSW", "LODSD", "LODSQ",
                "SCASB", "SCASW", "SCASD", "SCASQ");
        Sem ud = (d, o) -> o.raise(Fault.UD, -1);
        r.add("UD0", ud);
        r.add("UD1", ud);
        r.add("UD2", ud);
        r.add("INT3", (d, o) -> o.sys(Sys.INT, o.imm(Fault.BP)));
        r.add("INT1", (d, o) -> o.sys(Sys.INT, o.imm(Fault.DB)));
        r.add("INT", (d, o) -> o.sys(Sys.INT, o.imm(d.imm & 0xFF)));
        r.add("IN", SystemSem::io);
        r.add("OUT", SystemSem::io);
        r.add("LGDT", (d, o) -> o.sys(Sys.LGDT, Operands.ea(d, o)));
        r.add("LIDT", (d, o) -> o.sys(Sys.LIDT, Operands.ea(d, o)));
        r.add("SGDT", (d, o) -> o.sys(Sys.SGDT, Operands.ea(d, o)));
        r.add("SIDT", (d, o) -> o.sys(Sys.SIDT, Operands.ea(d, o)));
        r.add("INVLPG", (d, o) -> o.sys(Sys.INVLPG, Operands.ea(d, o)));
        Sem flush = (d, o) -> o.load(d.segment, Operands.ea(d, o), 8); // faults like a byte read; no cache to flush
        r.add("CLFLUSH", flush);
        r.add("CLFLUSHOPT", flush);
        r.add("SMSW", (d, o) -> storeWord(d, o, Sys.SMSW));
        r.add("SLDT", (d, o) -> storeWord(d, o, Sys.SLDT));
        r.add("STR", (d, o) -> storeWord(d, o, Sys.STR));
        r.add("LMSW", (d, o) -> o.sys(Sys.LMSW, Operands.read(d, o, 0, Operands.ea(d, o))));
        r.add("LLDT", (d, o) -> o.sys(Sys.LLDT, Operands.read(d, o, 0, Operands.ea(d, o))));
        r.add("LTR", (d, o) -> o.sys(Sys.LTR, Operands.read(d, o, 0, Operands.ea(d, o))));
    }

    private static void simple(Semantics.Registry r, Sys helper, String... mnemonics) {
        for (String m : mnemonics) {
            r.add(m, (d, o) -> o.sys(helper, o.imm(0)));
        }
    }

    /** IN/OUT: the port is imm8 or DX; data moves between the hypervisor and rAX on the IO exit. */
    static void io(DecodedInsn d, Ops o) {
        boolean immPort = d.form.name.contains("IMM8");
        int port = immPort ? o.imm(d.imm & 0xFF) : o.reg(Operands.RDX, 16);
        o.sys(Sys.IO, port);
    }

    /** SMSW/SLDT/STR: 16 bits to memory, or the operand size zero-extended to a register. */
    private static void storeWord(DecodedInsn d, Ops o, Sys helper) {
        int ea = Operands.ea(d, o);
        int v = o.sys(helper, o.imm(0));
        if (d.hasMem) {
            o.store(d.segment, ea, 16, v);
        } else {
            o.setReg(d.rm, d.effOpSize, v);
        }
    }

    /** MOV with a segment, control or debug register operand: per-form definitions. */
    static void registerMoves(Semantics.Registry r) {
        r.form("MOV_RM16_SREG", (d, o) -> {
            int ea = Operands.ea(d, o);
            int v = o.sys(Sys.READ_SEGMENT, o.imm(0));
            if (d.hasMem) {
                o.store(d.segment, ea, 16, v);
            } else {
                o.setReg(d.rm, d.effOpSize, v);
            }
        });
        r.form("MOV_SREG_RM16", (d, o) -> o.sys(Sys.LOAD_SEGMENT, Operands.read(d, o, 1, Operands.ea(d, o))));
        r.form("MOV_R64_CR", (d, o) -> o.setReg(d.rm, 64, o.sys(Sys.READ_CR, o.imm(0))));
        r.form("MOV_CR_R64", (d, o) -> o.sys(Sys.WRITE_CR, o.reg(d.rm, 64)));
        r.form("MOV_R64_DR", (d, o) -> o.setReg(d.rm, 64, o.sys(Sys.READ_DR, o.imm(0))));
        r.form("MOV_DR_R64", (d, o) -> o.sys(Sys.WRITE_DR, o.reg(d.rm, 64)));
    }
}
