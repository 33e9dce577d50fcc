package org.pvhconf.stubs.kernels;

import static org.pvhconf.stubs.asm.Mem.abs;
import static org.pvhconf.stubs.asm.Mem.mem;
import static org.pvhconf.stubs.asm.Mem.rip;
import static org.pvhconf.stubs.asm.Reg32.EAX;
import static org.pvhconf.stubs.asm.Reg32.ECX;
import static org.pvhconf.stubs.asm.Reg32.EDI;
import static org.pvhconf.stubs.asm.Reg32.ESI;
import static org.pvhconf.stubs.asm.Reg64.R10;
import static org.pvhconf.stubs.asm.Reg64.R11;
import static org.pvhconf.stubs.asm.Reg64.R12;
import static org.pvhconf.stubs.asm.Reg64.R8;
import static org.pvhconf.stubs.asm.Reg64.R9;
import static org.pvhconf.stubs.asm.Reg64.RAX;
import static org.pvhconf.stubs.asm.Reg64.RBX;
import static org.pvhconf.stubs.asm.Reg64.RCX;
import static org.pvhconf.stubs.asm.Reg64.RDI;
import static org.pvhconf.stubs.asm.Reg64.RDX;
import static org.pvhconf.stubs.asm.Reg64.RSI;
import static org.pvhconf.stubs.asm.Reg64.RSP;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;
import static org.pvhconf.stubs.kernels.DescriptorTables.FRAME_RIP;
import static org.pvhconf.stubs.kernels.DescriptorTables.frame;

import org.pvhconf.stubs.asm.Assembler;
import org.pvhconf.stubs.asm.CReg;
import org.pvhconf.stubs.asm.Cond;
import org.pvhconf.stubs.asm.Label;
import org.pvhconf.stubs.asm.Mem;
import org.pvhconf.stubs.asm.Reg32;
import org.pvhconf.stubs.asm.Reg64;
import org.pvhconf.stubs.asm.Reg8;

/**
 * The generic agent: a guest that executes commands from a mailbox page, as {@link AgentProtocol}
 * defines them, so that a scenario can act from inside a guest (DESIGN.md "Guest stubs").
 *
 * <p>Boot: saves the entry state (all 16 GPRs, RFLAGS, CR0, CR3, CR4, EFER, its entry RIP) with
 * absolute stores before it changes any register, switches to its own stack, loads its own GDT and
 * IDT (PVHv1 starts with both empty, §7.1), writes {@link AgentProtocol#MAGIC_VALUE} and enters the
 * command loop. While idle it calls {@code sched_op(SCHEDOP_yield, NULL)} (§12.1) through the
 * hypercall page, so the host gets a VM exit on every idle turn.
 *
 * <p>Faults: an exception (vector 0..31) during a command marks that command FAULTED with vector,
 * error code, RIP and CR2 in its CMD_OUT words, and the loop carries on with the next command. An
 * external interrupt (vector 32..255, e.g. the callback vector) is counted, the host-named upcall
 * pending byte is cleared, and the interrupted code resumes.
 *
 * <p>Symbols: {@code entry}, {@code hypercall_page}, {@code mailbox} (one 4 KiB page per vCPU, vCPU0's
 * first), {@code scratch} (16 KiB, page-aligned, for hypercall argument structs the host writes),
 * {@code agent_stack}, {@code agent_state}, {@code gdt}, {@code idt}, {@code trap_common},
 * {@code trap_resume}, {@code command_loop}; for the secondary vCPUs {@code ap_entry1..3}, {@code ap_stacks},
 * {@code ap_scratch} and {@code idt1..3}. Each vCPU runs its own copy of the loop, trap handler and
 * IDT, emitted from the same code with that vCPU's mailbox and state ({@link AgentProtocol#MAX_VCPUS}).
 */
public final class AgentStub extends PvhKernel<AgentStub> {
    public static final int SCRATCH_SIZE = 16 * 1024;
    public static final int STACK_SIZE = 16 * 1024;
    /** Pages of {@code map_window}: VAs whose L1 entries OP_MAP_GFN may point at any gfn. */
    public static final int MAP_WINDOW_PAGES = 16;

    // §9.1, §9.2: the vcpu_info, vcpu_time_info and shared_info fields the event and time ops touch.
    private static final int UPCALL_PENDING = 0;
    private static final int PENDING_SEL = 8;
    private static final int EVTCHN_PENDING = 2048;
    private static final int EVTCHN_MASK = 2560;
    private static final int TIME_VERSION = 0;
    private static final int TIME_TSC_TIMESTAMP = 8;
    private static final int TIME_SYSTEM_TIME = 16;
    private static final int TIME_TSC_TO_SYSTEM_MUL = 24;
    private static final int TIME_TSC_SHIFT = 28;

    // agent_state words: the loop's variables live in memory so that the trap handler can resume it.
    private static final int CURRENT = 0;    // VA of the command slot being executed, or 0
    private static final int NEXT = 8;       // VA of the next slot to run
    private static final int END = 16;       // VA one past the batch's last slot
    private static final int SEQ = 24;       // the REQUEST_SEQ being served
    private static final int LOOP_RSP = 32;  // RSP inside the loop, restored after a fault

    private Label mailbox;
    private Label state;
    /** Which vCPU's copy of the loop is being emitted: its mailbox page and agent_state block. */
    private int mbBase;
    private int stBase;

    @Override
    protected void emit(final Assembler asm, final Label entry, final Label hypercallPage) {
        mailbox = bss(asm, "mailbox", GuestAbi.PAGE_SIZE * MAX_VCPUS, GuestAbi.PAGE_SIZE);
        bss(asm, "scratch", SCRATCH_SIZE, GuestAbi.PAGE_SIZE);
        Label stack = bss(asm, "agent_stack", STACK_SIZE, GuestAbi.PAGE_SIZE);
        state = bss(asm, "agent_state", 64 * MAX_VCPUS, 64);
        Label apStacks = bss(asm, "ap_stacks", AP_STACK_SIZE * MAX_VCPUS, GuestAbi.PAGE_SIZE);
        bss(asm, "ap_scratch", MAILBOX_STRIDE * (MAX_VCPUS - 1), GuestAbi.PAGE_SIZE);
        bss(asm, "map_window", MAP_WINDOW_PAGES * GuestAbi.PAGE_SIZE, GuestAbi.PAGE_SIZE);
        Label gdtr = asm.newLabel();
        Label[] idtr = new Label[MAX_VCPUS];
        Label[][] stubs = new Label[MAX_VCPUS][];

        // Two entry points that differ only in the ENTRY_RIP they record, so that a scenario can tell
        // which one the builder entered through (XEN_ELFNOTE_ENTRY versus e_entry, §5.2).
        Label entryAlt = asm.newLabel("entry_alt");
        Label booted = asm.newLabel();
        asm.bind(entry);
        saveEntryState(asm, entry, hypercallPage);
        asm.jmp(booted);
        asm.bind(entryAlt);
        saveEntryState(asm, entryAlt, hypercallPage);
        asm.bind(booted);
        asm.lea(RSP, abs(stack, STACK_SIZE));
        for (int cpu = 0; cpu < MAX_VCPUS; cpu++) {
            mbBase = cpu * MAILBOX_STRIDE;
            stBase = cpu * 64;
            idtr[cpu] = asm.newLabel();
            if (cpu > 0) {
                // §8.3: a secondary vCPU starts with GDTR = IDTR = 0 and the registers of its context;
                // the host points RSP at the top of this vCPU's stack.
                Label apEntry = asm.newLabel("ap_entry" + cpu);
                asm.bind(apEntry);
                saveEntryState(asm, apEntry, hypercallPage);
                asm.lea(RSP, abs(apStacks, (long) AP_STACK_SIZE * (cpu + 1)));
            }
            boolean named = cpu == 0;
            Label loop = named ? asm.newLabel("command_loop") : asm.newLabel();
            Label common = named ? asm.newLabel("trap_common") : asm.newLabel();
            Label resume = named ? asm.newLabel("trap_resume") : asm.newLabel();
            Label execute = named ? asm.newLabel("execute") : asm.newLabel();
            Label batchNext = asm.newLabel();
            DescriptorTables.emitLoadGdt(asm, gdtr);
            asm.lidt(abs(idtr[cpu]))
                    .movabs(RAX, MAGIC_VALUE)
                    .mov(mb(MAGIC), RAX)
                    // The loop runs at this stack depth; the trap handler restores it from here.
                    .mov(st(LOOP_RSP), RSP);
            // Falls through into the loop.
            commandLoop(asm, loop, batchNext, resume, execute, hypercallPage);
            execute(asm, execute, hypercallPage);
            trapHandler(asm, common, resume);
            stubs[cpu] = DescriptorTables.emitVectorStubs(asm, common);
        }
        DescriptorTables.emitGdt(asm, gdtr);
        for (int cpu = 0; cpu < MAX_VCPUS; cpu++) {
            DescriptorTables.emitIdt(asm, stubs[cpu], idtr[cpu], cpu == 0 ? "idt" : "idt" + cpu);
        }
    }

    private Mem mb(final int offset) {
        return abs(mailbox, mbBase + offset).q();
    }

    private Mem st(final int offset) {
        return abs(state, stBase + offset).q();
    }

    private static Mem slot(final int offset) {
        return mem(RBX, offset).q();
    }

    private static Mem arg(final int i) {
        return slot(CMD_ARGS + 8 * i);
    }

    /**
     * Stores the entry state into the mailbox. The GPRs go first, with absolute stores that need no
     * register; only after that does anything use RAX, RCX or RDX as scratch.
     */
    private void saveEntryState(final Assembler asm, final Label entry, final Label hypercallPage) {
        for (Reg64 r : Reg64.values()) {
            asm.mov(mb(ENTRY_GPRS + 8 * r.number()), r);
        }
        // PUSHFQ needs a stack; the builder's boot stack is valid at entry (§7.1) and RSP is already saved.
        asm.pushfq().pop(RAX).mov(mb(ENTRY_RFLAGS), RAX)
                .mov(RAX, CReg.CR0).mov(mb(ENTRY_CR0), RAX)
                .mov(RAX, CReg.CR3).mov(mb(ENTRY_CR3), RAX)
                .mov(RAX, CReg.CR4).mov(mb(ENTRY_CR4), RAX)
                .mov(ECX, GuestAbi.MSR_EFER & 0xFFFFFFFFL).rdmsr()
                .shl(RDX, 32).or(RAX, RDX).mov(mb(ENTRY_EFER), RAX)
                // RIP-relative, so these are the addresses the code really runs at.
                .lea(RAX, rip(entry)).mov(mb(ENTRY_RIP), RAX)
                .lea(RAX, rip(hypercallPage)).mov(mb(HYPERCALL_PAGE_VA), RAX);
    }

    private void commandLoop(final Assembler asm, final Label loop, final Label batchNext, final Label resume,
                             final Label execute, final Label hypercallPage) {
        Label start = asm.newLabel();
        Label countOk = asm.newLabel();
        Label batchDone = asm.newLabel();

        asm.bind(loop)
                .mov(RAX, mb(REQUEST_SEQ))
                .cmp(RAX, mb(DONE_SEQ))
                .jne(start)
                .mov(EDI, GuestAbi.SCHEDOP_YIELD)
                .xor(ESI, ESI)
                .call(hypercallPage, GuestAbi.HYPERVISOR_SCHED_OP * GuestAbi.HYPERCALL_SLOT_SIZE)
                .jmp(loop);

        asm.bind(start)
                .mov(st(SEQ), RAX)
                .mov(RCX, mb(COMMAND_COUNT))
                .cmp(RCX, MAX_COMMANDS)
                .jbe(countOk)
                .mov(ECX, MAX_COMMANDS)
                .bind(countOk)
                .shl(RCX, Integer.numberOfTrailingZeros(COMMAND_SIZE))
                .lea(RAX, abs(mailbox, mbBase + COMMANDS))
                .mov(st(NEXT), RAX)
                .add(RCX, RAX)
                .mov(st(END), RCX);

        asm.bind(batchNext)
                .mov(RBX, st(NEXT))
                .cmp(RBX, st(END))
                .jae(batchDone)
                // Advance before running, so that a faulting command is never run again.
                .lea(RAX, mem(RBX, COMMAND_SIZE))
                .mov(st(NEXT), RAX)
                .mov(st(CURRENT), RBX)
                .mov(slot(CMD_STATUS), STATUS_PENDING)
                .call(execute)
                .mov(st(CURRENT), 0)
                .jmp(batchNext);

        // The trap handler IRETQs here after a fault: the faulting code's stack is abandoned.
        asm.bind(resume)
                .mov(RSP, st(LOOP_RSP))
                .mov(st(CURRENT), 0)
                .jmp(batchNext);

        asm.bind(batchDone)
                .mov(RAX, st(SEQ))
                .mov(mb(DONE_SEQ), RAX)
                .jmp(loop);
    }

    /** One command: RBX = its slot. Ends at {@code done} with the result in RAX, or marks BAD_OP. */
    private void execute(final Assembler asm, final Label execute, final Label hypercallPage) {
        Label done = asm.newLabel();
        Label badOp = asm.newLabel();
        long[] ops = {OP_HYPERCALL, OP_CALL_PAGE, OP_VMCALL, OP_READ64, OP_WRITE64, OP_READ_CR, OP_RDMSR,
            OP_CPUID, OP_HLT, OP_CLI, OP_STI, OP_COPY, OP_WRMSR, OP_READ8, OP_LIDT, OP_UD2,
            OP_WAIT_UPCALL, OP_SPIN, OP_CONSUME_EVENTS, OP_WRITE8, OP_PVCLOCK, OP_RDTSC,
            OP_MAP_GFN, OP_HYPERCALL_REGS};
        Label[] handlers = new Label[ops.length];
        asm.bind(execute).mov(RAX, slot(CMD_OP));
        for (int i = 0; i < ops.length; i++) {
            handlers[i] = asm.newLabel();
            asm.cmp(RAX, ops[i]).je(handlers[i]);
        }
        asm.jmp(badOp);

        // OP_HYPERCALL: call hypercall_page + a0*32.
        asm.bind(handlers[0])
                .mov(R11, arg(0)).shl(R11, 5)
                .lea(RAX, rip(hypercallPage)).add(R11, RAX);
        loadHypercallArgs(asm);
        asm.call(R11).jmp(done);

        // OP_CALL_PAGE: call hypercall_page + a0 with RAX = a7.
        asm.bind(handlers[1])
                .mov(R11, arg(0))
                .lea(RAX, rip(hypercallPage)).add(R11, RAX)
                .mov(RAX, arg(7));
        loadHypercallArgs(asm);
        asm.call(R11).jmp(done);

        // OP_VMCALL: RAX = a0, then VMCALL directly.
        asm.bind(handlers[2]).mov(RAX, arg(0));
        loadHypercallArgs(asm);
        asm.vmcall().jmp(done);

        asm.bind(handlers[3]).mov(RAX, arg(0)).mov(RAX, mem(RAX).q()).jmp(done);

        asm.bind(handlers[4]).mov(RAX, arg(0)).mov(RCX, arg(1)).mov(mem(RAX).q(), RCX)
                .xor(EAX, EAX).jmp(done);

        readControlRegister(asm, handlers[5], done, badOp);

        asm.bind(handlers[6]).mov(RCX, arg(0)).rdmsr()
                .shl(RDX, 32).or(RAX, RDX).jmp(done);

        // OP_CPUID clobbers RBX, so the slot is reloaded into R11 for the outputs.
        asm.bind(handlers[7]).mov(RAX, arg(0)).mov(RCX, arg(1)).cpuid()
                .mov(R11, st(CURRENT))
                .mov(mem(R11, CMD_OUT).q(), RAX)
                .mov(mem(R11, CMD_OUT + 8).q(), RBX)
                .mov(mem(R11, CMD_OUT + 16).q(), RCX)
                .mov(mem(R11, CMD_OUT + 24).q(), RDX)
                .jmp(done);

        asm.bind(handlers[8]).hlt().xor(EAX, EAX).jmp(done);
        asm.bind(handlers[9]).cli().xor(EAX, EAX).jmp(done);
        asm.bind(handlers[10]).sti().xor(EAX, EAX).jmp(done);

        asm.bind(handlers[11]).mov(RDI, arg(0)).mov(RSI, arg(1)).mov(RCX, arg(2))
                .cld().repMovsb().xor(EAX, EAX).jmp(done);

        asm.bind(handlers[12]).mov(RCX, arg(0)).mov(RAX, arg(1)).mov(RDX, RAX).shr(RDX, 32)
                .wrmsr().xor(EAX, EAX).jmp(done);

        asm.bind(handlers[13]).mov(RAX, arg(0)).movzx(EAX, mem(RAX).b()).jmp(done);

        // OP_LIDT: build the 10-byte pseudo-descriptor in the slot's output words, then load it.
        asm.bind(handlers[14]).mov(RAX, arg(1)).mov(slot(CMD_OUT), RAX)
                .mov(RAX, arg(0)).mov(slot(CMD_OUT + 2), RAX)
                .lidt(slot(CMD_OUT)).xor(EAX, EAX).jmp(done);

        asm.bind(handlers[15]).ud2().jmp(done);

        waitUpcall(asm, handlers[16], done);
        spin(asm, handlers[17], done);
        consumeEvents(asm, handlers[18], done);
        asm.bind(handlers[19]).mov(RAX, arg(0)).mov(RCX, arg(1)).mov(mem(RAX).b(), Reg8.CL)
                .xor(EAX, EAX).jmp(done);
        pvclock(asm, handlers[20], done);
        asm.bind(handlers[21]);
        rdtsc(asm);
        asm.jmp(done);

        mapGfn(asm, handlers[22], done);

        // OP_HYPERCALL_REGS: as OP_HYPERCALL, then the argument registers the call left behind.
        asm.bind(handlers[23])
                .mov(R11, arg(0)).shl(R11, 5)
                .lea(RAX, rip(hypercallPage)).add(R11, RAX);
        loadHypercallArgs(asm);
        asm.call(R11)
                .mov(R11, st(CURRENT))
                .mov(mem(R11, CMD_OUT).q(), RDI)
                .mov(mem(R11, CMD_OUT + 8).q(), RSI)
                .mov(mem(R11, CMD_OUT + 16).q(), RDX)
                .mov(mem(R11, CMD_OUT + 24).q(), R10)
                .jmp(done);

        asm.bind(badOp).mov(slot(CMD_STATUS), STATUS_BAD_OP).ret();

        // A hypercall or CPUID may have changed RBX: find the slot again before writing to it.
        asm.bind(done)
                .mov(RBX, st(CURRENT))
                .mov(slot(CMD_RESULT), RAX)
                .mov(slot(CMD_STATUS), STATUS_DONE)
                .ret();
    }

    // Instructions the stub assembler has no method for yet, as raw encodings (SDM Vol. 2).
    private static void rdtsc(final Assembler asm) {
        asm.db(0x0F, 0x31)                      // RDTSC
                .shl(RDX, 32).or(RAX, RDX);
    }

    /**
     * OP_WAIT_UPCALL. R8 = INTERRUPT_COUNT at the start; the interrupt handler touches no register but
     * RAX, which it saves. HLT with IF = 1 is SCHEDOP_block (§7.1): it returns at once if the upcall is
     * already deliverable, and otherwise when the vCPU is kicked.
     */
    private void waitUpcall(final Assembler asm, final Label handler, final Label done) {
        Label halt = asm.newLabel();
        Label spinLoop = asm.newLabel();
        Label woke = asm.newLabel();
        asm.bind(handler).pushfq().mov(R8, mb(INTERRUPT_COUNT)).mov(RCX, arg(0))
                .test(RCX, RCX).jne(spinLoop);
        asm.bind(halt).cli()
                .cmp(R8, mb(INTERRUPT_COUNT)).jne(woke)
                .sti().hlt()                    // no interrupt between STI and HLT: the STI shadow
                .jmp(halt);
        asm.bind(spinLoop).sti();
        Label turn = asm.newLabel();
        asm.bind(turn).cmp(R8, mb(INTERRUPT_COUNT)).jne(woke)
                .dec(RCX).jne(turn);
        asm.bind(woke).popfq()
                .mov(RAX, mb(INTERRUPT_COUNT)).sub(RAX, R8).jmp(done);
    }

    /** OP_SPIN: a0 turns with RFLAGS.IF untouched. */
    private void spin(final Assembler asm, final Label handler, final Label done) {
        Label turn = asm.newLabel();
        Label out = asm.newLabel();
        asm.bind(handler).mov(R8, mb(INTERRUPT_COUNT)).mov(RCX, arg(0))
                .test(RCX, RCX).je(out);
        asm.bind(turn).cmp(R8, mb(INTERRUPT_COUNT)).jne(out)
                .dec(RCX).jne(turn);
        asm.bind(out).mov(RAX, mb(INTERRUPT_COUNT)).sub(RAX, R8).jmp(done);
    }

    /**
     * OP_CONSUME_EVENTS, §10.3's loop. RSI = shared_info, RDI = vcpu_info, R9 = the selector taken,
     * RCX = word, R11 = &amp;evtchn_pending[word], RDX = pending &amp; ~mask, R8 = count, R12 = next record.
     */
    private void consumeEvents(final Assembler asm, final Label handler, final Label done) {
        Label words = asm.newLabel();
        Label bits = asm.newLabel();
        Label noRecord = asm.newLabel();
        Label finished = asm.newLabel();
        asm.bind(handler).mov(RSI, arg(0)).mov(RDI, arg(1))
                .xor(R8, R8)
                .lea(R12, abs(mailbox, mbBase + FIRED_PORTS))
                .mov(mem(RDI, UPCALL_PENDING).b(), 0)     // 1. clear upcall_pending
                .xor(EAX, EAX)
                .xchg(mem(RDI, PENDING_SEL).q(), RAX)     // 2. take the selector
                .mov(R9, RAX);
        asm.bind(words).test(R9, R9).je(finished)
                .db(0x49, 0x0F, 0xBC, 0xC9)                                 // BSF RCX, R9
                .db(0x49, 0x0F, 0xB3, 0xC9)                                 // BTR R9, RCX
                .lea(R11, mem(RSI, RCX, 8, EVTCHN_PENDING))
                .mov(RDX, mem(R11).q())
                .mov(RAX, mem(R11, EVTCHN_MASK - EVTCHN_PENDING).q())
                .not(RAX)
                .and(RDX, RAX);                                             // 3. pending & ~mask
        asm.bind(bits).test(RDX, RDX).je(words)
                .db(0x48, 0x0F, 0xBC, 0xC2)                                 // BSF RAX, RDX
                .db(0x48, 0x0F, 0xB3, 0xC2)                                 // BTR RDX, RAX
                .xor(R10, R10)
                .db(0x49, 0x0F, 0xAB, 0xC2)                                 // BTS R10, RAX
                .not(R10)
                .db(0xF0).and(mem(R11).q(), R10)                            // 4. LOCK AND: clear the bit
                .mov(R10, RCX).shl(R10, 6).add(R10, RAX)                    // port = word * 64 + bit
                .cmp(R8, MAX_FIRED).jae(noRecord)
                .mov(mem(R12).q(), R10)
                .add(R12, 8)
                .bind(noRecord)
                .inc(R8)
                .jmp(bits);
        asm.bind(finished).mov(mb(FIRED_COUNT), R8).mov(RAX, R8).jmp(done);
    }

    /** OP_PVCLOCK: §9.1's five steps. RSI = vcpu_time_info, R8 = version, R11 = TSC. */
    private void pvclock(final Assembler asm, final Label handler, final Label done) {
        Label retry = asm.newLabel();
        Label negative = asm.newLabel();
        Label shifted = asm.newLabel();
        asm.bind(handler).mov(RSI, arg(0));
        asm.bind(retry).mov(Reg32.R8D, mem(RSI, TIME_VERSION).d())
                .test(R8, 1).jne(retry);
        rdtsc(asm);
        asm.mov(R11, RAX)
                .sub(RAX, mem(RSI, TIME_TSC_TIMESTAMP).q())
                .movzx(ECX, mem(RSI, TIME_TSC_SHIFT).b())
                .test(ECX, 0x80).jne(negative)
                .db(0x48, 0xD3, 0xE0)                                       // SHL RAX, CL
                .jmp(shifted)
                .bind(negative)
                .neg(ECX).and(ECX, 0xFF)
                .db(0x48, 0xD3, 0xE8)                                       // SHR RAX, CL
                .bind(shifted)
                .mov(ECX, mem(RSI, TIME_TSC_TO_SYSTEM_MUL).d())
                .db(0x48, 0xF7, 0xE1)                                       // MUL RCX: RDX:RAX = delta * mul
                .db(0x48, 0x0F, 0xAC, 0xD0, 0x20)                           // SHRD RAX, RDX, 32
                .add(RAX, mem(RSI, TIME_SYSTEM_TIME).q())
                .mov(Reg32.R9D, mem(RSI, TIME_VERSION).d())
                .cmp(R9, R8).jne(retry)
                .mov(slot(CMD_OUT), R11)
                .mov(slot(CMD_OUT + 8), R8)
                .jmp(done);
    }

    /**
     * OP_MAP_GFN: walks L4 → L3 → L2 from CR3, each table reached at VIRT_BASE + its gpa, then rewrites the
     * L1 entry of a0 and INVLPGs it. RCX = the VA, R8 = the PTE address mask, R9 = VIRT_BASE.
     */
    private static void mapGfn(final Assembler asm, final Label handler, final Label done) {
        Label absent = asm.newLabel();
        asm.bind(handler)
                .mov(RAX, CReg.CR3)
                .movabs(R8, PTE_ADDRESS_MASK)
                .and(RAX, R8)
                .movabs(R9, PvhKernel.VIRT_BASE)
                .mov(RCX, arg(0));
        for (int shift : new int[] {39, 30, 21}) {
            asm.mov(RDX, RCX).shr(RDX, shift).and(RDX, 511)
                    .add(RAX, R9)
                    .mov(RAX, mem(RAX, RDX, 8, 0).q())
                    .test(RAX, 1)
                    .je(absent)
                    .and(RAX, R8);
        }
        asm.mov(RDX, RCX).shr(RDX, 12).and(RDX, 511)
                .add(RAX, R9)
                .lea(RDI, mem(RAX, RDX, 8, 0))
                .mov(RAX, mem(RDI).q())
                .mov(RDX, arg(1)).shl(RDX, 12).or(RDX, arg(2))
                .mov(mem(RDI).q(), RDX)
                .invlpg(mem(RCX))
                .jmp(done);
        asm.bind(absent).mov(RAX, -1L).jmp(done);
    }

    /** Bits 12..51 of a page-table entry: the frame address. */
    private static final long PTE_ADDRESS_MASK = 0x000FFFFFFFFFF000L;

    /** a1..a6 into RDI, RSI, RDX, R10, R8, R9: the 64-bit hypercall registers (§1.2). */
    private static void loadHypercallArgs(final Assembler asm) {
        Reg64[] regs = {RDI, RSI, RDX, R10, R8, R9};
        for (int i = 0; i < regs.length; i++) {
            asm.mov(regs[i], arg(i + 1));
        }
    }

    private static void readControlRegister(final Assembler asm, final Label handler, final Label done,
                                            final Label badOp) {
        asm.bind(handler).mov(RCX, arg(0));
        for (CReg cr : CReg.values()) {
            Label next = asm.newLabel();
            asm.cmp(RCX, cr.number()).jcc(Cond.NE, next).mov(RAX, cr).jmp(done).bind(next);
        }
        asm.jmp(badOp);
    }

    /** The common trap handler; the frame is laid out as {@link DescriptorTables} describes. */
    private void trapHandler(final Assembler asm, final Label common, final Label resume) {
        Label interrupt = asm.newLabel();
        Label noCommand = asm.newLabel();
        Label nothingToClear = asm.newLabel();
        Label clear = asm.newLabel();

        asm.bind(common)
                .cmp(frame(0), 32)
                .jae(interrupt)
                .inc(mb(EXCEPTION_COUNT))
                .mov(RAX, frame(0))
                .mov(RCX, frame(8))
                .mov(RDX, frame(FRAME_RIP))
                .mov(R8, CReg.CR2)
                .mov(mb(LAST_FAULT), RAX)
                .mov(mb(LAST_FAULT + 8), RCX)
                .mov(mb(LAST_FAULT + 16), RDX)
                .mov(mb(LAST_FAULT + 24), R8)
                .mov(R9, st(CURRENT))
                .test(R9, R9)
                .je(noCommand)
                .mov(mem(R9, CMD_OUT).q(), RAX)
                .mov(mem(R9, CMD_OUT + 8).q(), RCX)
                .mov(mem(R9, CMD_OUT + 16).q(), RDX)
                .mov(mem(R9, CMD_OUT + 24).q(), R8)
                .mov(mem(R9, CMD_STATUS).q(), STATUS_FAULTED)
                .bind(noCommand)
                // Return into the loop, not to the faulting instruction, which would only fault again.
                .lea(RAX, rip(resume))
                .mov(frame(FRAME_RIP), RAX)
                .add(RSP, 16)
                .iretq();

        // An external interrupt is not the command's failure: note it and go back where it struck.
        asm.bind(interrupt)
                .push(RAX)
                .mov(RAX, frame(8))
                .mov(mb(LAST_INTERRUPT_VECTOR), RAX)
                .inc(mb(INTERRUPT_COUNT))
                .mov(RAX, mb(UPCALL_HOLD))
                .test(RAX, RAX)
                .je(clear)
                .dec(mb(UPCALL_HOLD))       // leave the flag set: Xen must inject again (§3.3 item 4)
                .jmp(nothingToClear)
                .bind(clear)
                .mov(RAX, mb(UPCALL_PENDING_VA))
                .test(RAX, RAX)
                .je(nothingToClear)
                .mov(mem(RAX).b(), 0)
                .bind(nothingToClear)
                .pop(RAX)
                .add(RSP, 16)
                .iretq();
    }
}
