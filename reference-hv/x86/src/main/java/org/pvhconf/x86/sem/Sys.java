package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;

/**
 * The system helpers a definition may {@link Ops#sys}: static methods
 * {@code long name(Env, DecodedInsn, long)} that read and write the whole CPU state. The JIT
 * emits INVOKESTATIC {@link #owner}.{@link #method} after spilling; the interpreter calls
 * {@link #apply}. {@link #endsBlock} marks helpers that may change RIP, CPL, paging or IF.
 */
public enum Sys {
    CPUID(SysOps.class, "cpuid", false, SysOps::cpuid),
    VMCALL(SysOps.class, "vmcall", false, SysOps::vmcall),
    HLT(SysOps.class, "hlt", false, SysOps::hlt),
    IO(SysOps.class, "io", false, SysOps::io),
    IO_STRING(SysOps.class, "ioString", false, SysOps::ioString),
    RDTSC(SysOps.class, "rdtsc", false, SysOps::rdtsc),
    RDMSR(SysOps.class, "rdmsr", false, SysOps::rdmsr),
    WRMSR(SysOps.class, "wrmsr", true, SysOps::wrmsr),
    READ_CR(SysOps.class, "readCr", false, SysOps::readCr),
    WRITE_CR(SysOps.class, "writeCr", true, SysOps::writeCr),
    READ_DR(SysOps.class, "readDr", false, SysOps::readDr),
    WRITE_DR(SysOps.class, "writeDr", false, SysOps::writeDr),
    CLTS(SysOps.class, "clts", false, SysOps::clts),
    SMSW(SysOps.class, "smsw", false, SysOps::smsw),
    LMSW(SysOps.class, "lmsw", true, SysOps::lmsw),
    XGETBV(SysOps.class, "xgetbv", false, SysOps::xgetbv),
    PRIVILEGED_NOP(SysOps.class, "privilegedNop", false, SysOps::privilegedNop),
    INVLPG(SysOps.class, "invlpg", true, SysOps::invlpg),
    SWAPGS(SysOps.class, "swapgs", false, SysOps::swapgs),
    LGDT(SysOps.class, "lgdt", false, SysOps::lgdt),
    LIDT(SysOps.class, "lidt", false, SysOps::lidt),
    SGDT(SysOps.class, "sgdt", false, SysOps::sgdt),
    SIDT(SysOps.class, "sidt", false, SysOps::sidt),
    SLDT(SysOps.class, "sldt", false, SysOps::sldt),
    STR(SysOps.class, "str", false, SysOps::str),
    LLDT(SysOps.class, "lldt", false, SysOps::lldt),
    LTR(SysOps.class, "ltr", false, SysOps::ltr),
    CLI(SysOps.class, "cli", false, SysOps::cli),
    STI(SysOps.class, "sti", true, SysOps::sti),
    INT(ControlOps.class, "intn", true, ControlOps::intn),
    IRET(ControlOps.class, "iret", true, ControlOps::iret),
    RETF(ControlOps.class, "retf", true, ControlOps::retf),
    POPF(ControlOps.class, "popf", true, ControlOps::popf),
    SYSCALL(ControlOps.class, "syscall", true, ControlOps::syscall),
    SYSRET(ControlOps.class, "sysret", true, ControlOps::sysret),
    LOAD_SEGMENT(ControlOps.class, "loadSegment", true, ControlOps::loadSegment),
    READ_SEGMENT(ControlOps.class, "readSegment", false, ControlOps::readSegment),
    ENTER(ControlOps.class, "enter", false, ControlOps::enter),
    STRING(StringOps.class, "string", true, StringOps::string),
    XSETBV(SysOps.class, "xsetbv", true, SysOps::xsetbv),
    FAR_JUMP(FarOps.class, "farJump", true, FarOps::farJump),
    FAR_CALL(FarOps.class, "farCall", true, FarOps::farCall),
    FAR_JUMP_DIRECT(FarOps.class, "farJumpDirect", true, FarOps::farJumpDirect),
    FAR_CALL_DIRECT(FarOps.class, "farCallDirect", true, FarOps::farCallDirect),
    INTO(FarOps.class, "into", true, FarOps::into),
    SSE_MOVE(SseOps.class, "move", false, SseOps::move),
    SSE_LOGIC(SseOps.class, "logic", false, SseOps::logic),
    FXSAVE(SseOps.class, "fxsave", false, SseOps::fxsave),
    FXRSTOR(SseOps.class, "fxrstor", false, SseOps::fxrstor),
    LDMXCSR(SseOps.class, "ldmxcsr", false, SseOps::ldmxcsr),
    STMXCSR(SseOps.class, "stmxcsr", false, SseOps::stmxcsr);

    /** The interpreter's view of the call. */
    @FunctionalInterface
    public interface Fn {
        long apply(Env env, DecodedInsn d, long arg);
    }

    public final Class<?> owner;
    public final String method;
    public final boolean endsBlock;
    private final Fn fn;

    Sys(Class<?> owner, String method, boolean endsBlock, Fn fn) {
        this.owner = owner;
        this.method = method;
        this.endsBlock = endsBlock;
        this.fn = fn;
    }

    public long apply(Env env, DecodedInsn d, long arg) {
        return fn.apply(env, d, arg);
    }
}
