package org.pvhconf.stubs.kernels;

/**
 * The mailbox contract between the agent stub (guest code) and whoever drives it (the conformance
 * harness, playing the toolstack). Like a KVM selftest's lock-step stages: the host writes a batch of
 * commands and bumps {@link #REQUEST_SEQ}; the guest executes them in order, writes each result, sets
 * {@link #DONE_SEQ} equal to the request and then idles by calling {@code sched_op(SCHEDOP_yield)} until
 * the next request. Each idle yield is a VM exit, which is where the host looks again.
 *
 * <p>All offsets are bytes from the start of the mailbox page (its virtual address is the agent's
 * {@code mailbox} symbol). Every field is a little-endian u64.
 */
public final class AgentProtocol {
    private AgentProtocol() {
    }

    /** Written by the guest, once its GDT and IDT are loaded, before it reads its first request. */
    public static final int MAGIC = 0x000;
    public static final long MAGIC_VALUE = 0x544E454741485650L; // "PVHAGENT"
    public static final int REQUEST_SEQ = 0x008;
    public static final int DONE_SEQ = 0x010;
    public static final int COMMAND_COUNT = 0x018;

    /** The guest's registers at its entry point, saved before it changes any of them. */
    public static final int ENTRY_GPRS = 0x020;        // 16 × u64: RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R15
    public static final int ENTRY_RFLAGS = 0x0A0;
    public static final int ENTRY_CR0 = 0x0A8;
    public static final int ENTRY_CR3 = 0x0B0;
    public static final int ENTRY_CR4 = 0x0B8;
    public static final int ENTRY_EFER = 0x0C0;
    public static final int ENTRY_RIP = 0x0C8;          // the address of the entry label, as the guest sees it
    public static final int HYPERCALL_PAGE_VA = 0x0D0;  // where the guest expects its hypercall page
    public static final int EXCEPTION_COUNT = 0x0D8;    // exceptions taken so far

    /** Commands: {@link #MAX_COMMANDS} slots of {@link #COMMAND_SIZE} bytes from {@link #COMMANDS}. */
    public static final int COMMANDS = 0x800;
    public static final int COMMAND_SIZE = 128;
    public static final int MAX_COMMANDS = 16;

    // Offsets inside a command slot.
    public static final int CMD_OP = 0;
    public static final int CMD_ARGS = 8;     // 8 × u64 arguments, a[0]..a[7]
    public static final int CMD_RESULT = 72;  // RAX after the operation (or the value read)
    public static final int CMD_STATUS = 80;  // STATUS_*
    public static final int CMD_OUT = 88;     // 4 × u64: extra outputs; on a fault: vector, error code, RIP, CR2

    public static final long STATUS_PENDING = 0, STATUS_DONE = 1, STATUS_FAULTED = 2;

    // Operations.
    /** a0 = hypercall number; a1..a6 = RDI, RSI, RDX, R10, R8, R9. Calls {@code hypercall_page + a0*32}. */
    public static final long OP_HYPERCALL = 1;
    /** a0 = byte offset into the hypercall page; a1..a6 as for HYPERCALL; a7 = RAX before the call. */
    public static final long OP_CALL_PAGE = 2;
    /** a0 = the full 64-bit RAX; a1..a6 as for HYPERCALL. Executes VMCALL directly, not through the page. */
    public static final long OP_VMCALL = 3;
    /** a0 = virtual address. result = the u64 there. */
    public static final long OP_READ64 = 4;
    /** a0 = virtual address, a1 = value. Stores the u64. */
    public static final long OP_WRITE64 = 5;
    /** a0 = control register number (0, 2, 3, 4 or 8). result = its value. */
    public static final long OP_READ_CR = 6;
    /** a0 = MSR index. result = EDX:EAX. */
    public static final long OP_RDMSR = 7;
    /** a0 = leaf (EAX), a1 = subleaf (ECX). result = EAX; out = EAX, EBX, ECX, EDX. */
    public static final long OP_CPUID = 8;
    /** HLT with the current RFLAGS.IF. */
    public static final long OP_HLT = 9;
    public static final long OP_CLI = 10;
    public static final long OP_STI = 11;
    /** a0 = destination VA, a1 = source VA, a2 = length: the guest copies bytes (REP MOVSB). */
    public static final long OP_COPY = 12;
    /** a0 = MSR index, a1 = value (EDX:EAX). */
    public static final long OP_WRMSR = 13;
    /** a0 = virtual address. result = the byte there (zero-extended). */
    public static final long OP_READ8 = 14;

    // ---- Added with the first agent; nothing above moved. ----

    /** A command's status when its op is unknown (or READ_CR names a register it does not read). */
    public static final long STATUS_BAD_OP = 3;

    /** External interrupts (vectors 32..255) taken so far: the callback vector arrives this way (§3.3). */
    public static final int INTERRUPT_COUNT = 0x0E0;
    /** The vector of the most recent external interrupt. */
    public static final int LAST_INTERRUPT_VECTOR = 0x0E8;
    /**
     * Written by the host: the virtual address of {@code vcpu_info.evtchn_upcall_pending}, which the
     * guest's interrupt handler clears before IRETQ because Xen re-injects while it is set (§3.3 item 4);
     * 0 = clear nothing.
     */
    public static final int UPCALL_PENDING_VA = 0x0F0;
    /** The most recent exception (vectors 0..31), in a command or not: 4 × u64 vector, error code, RIP, CR2. */
    public static final int LAST_FAULT = 0x0F8;

    /** a0 = base, a1 = limit: LIDT with that pseudo-descriptor (a limit of 0 leaves no usable gate). */
    public static final long OP_LIDT = 15;
    /** Executes UD2. */
    public static final long OP_UD2 = 16;

    // ---- Added for several vCPUs and events (issue 5); nothing above moved. ----

    /**
     * The agent runs a command loop on each of up to {@link #MAX_VCPUS} vCPUs. vCPU i has its own mailbox
     * page at {@code mailbox + i * MAILBOX_STRIDE} with exactly the layout above (vCPU0's is the first page),
     * its own stack, IDT and trap handler. A secondary vCPU enters at the symbol {@code ap_entry<i>}
     * (VCPUOP_initialise, §8.3) with RSP = {@code ap_stacks + i * AP_STACK_SIZE} (the top of its stack),
     * saves its ENTRY_* state into its own mailbox, loads the GDT and its IDT, writes MAGIC and serves.
     * For argument structs it has one page of its own at {@code ap_scratch + (i - 1) * MAILBOX_STRIDE}.
     */
    public static final int MAX_VCPUS = 4;
    public static final int MAILBOX_STRIDE = 4096;
    public static final int AP_STACK_SIZE = 16 * 1024;

    /**
     * Written by the host: how many upcalls the interrupt handler takes without clearing
     * evtchn_upcall_pending (it decrements this instead), to watch Xen re-inject while the flag stays
     * set (§3.3 item 4). 0 = clear it every time (if UPCALL_PENDING_VA is set).
     */
    public static final int UPCALL_HOLD = 0x100;
    /** Written by OP_CONSUME_EVENTS: how many ports it handled, and the first MAX_FIRED of them in order. */
    public static final int FIRED_COUNT = 0x108;
    public static final int FIRED_PORTS = 0x110;  // MAX_FIRED × u64
    public static final int MAX_FIRED = 32;

    /**
     * Waits for an upcall with interrupts enabled, then puts RFLAGS.IF back as it was. a0 = 0: the
     * {@code cli; check; sti; hlt} idiom until INTERRUPT_COUNT changes (the STI shadow closes the race);
     * a0 = n > 0: STI and spin at most n turns. result = external interrupts taken during the op.
     */
    public static final long OP_WAIT_UPCALL = 17;
    /** a0 = n: spins n turns with RFLAGS.IF left as it is. result = external interrupts taken meanwhile. */
    public static final long OP_SPIN = 18;
    /**
     * The conventional 2-level consumer loop (§10.3) on a0 = shared_info VA, a1 = this vCPU's vcpu_info VA:
     * clear evtchn_upcall_pending, XCHG evtchn_pending_sel with 0, for each set word scan
     * pending &amp; ~mask, clear each handled pending bit with LOCK AND. result = ports handled; the ports in
     * FIRED_PORTS, lowest word and bit first.
     */
    public static final long OP_CONSUME_EVENTS = 19;
    /** a0 = virtual address, a1 = value: stores the low byte. */
    public static final long OP_WRITE8 = 20;
    /**
     * a0 = VA of a vcpu_time_info: the pvclock read of §9.1 (version retry, RDTSC, shift by tsc_shift either
     * way, multiply, add system_time). result = ns; out = the TSC read, the version used.
     */
    public static final long OP_PVCLOCK = 21;
    /** result = RDTSC (EDX:EAX). */
    public static final long OP_RDTSC = 22;

    // ---- Added for memory, grant tables and two domains (issue 5, ops 25..32); nothing above moved. ----

    /**
     * a0 = a virtual address whose page-table pages the initial mapping covers (e.g. the agent's
     * {@code map_window}), a1 = gfn, a2 = PTE flags (low 12 bits, e.g. 0x23 = P|RW|A, 0x21 = P|A read-only).
     * The guest walks its own page tables from CR3 (they are writable for PVH, §7.1; a table at gpa g is
     * reached at VIRT_BASE + g through the builder's linear map), writes the L1 entry {@code gfn << 12 | flags}
     * and executes INVLPG on a0. result = the L1 entry it replaced, or -1 (nothing written) when an upper
     * level is not present.
     */
    public static final long OP_MAP_GFN = 25;
    /**
     * As {@link #OP_HYPERCALL}, and afterwards out = RDI, RSI, RDX, R10 as the call left them: a preempted
     * call that was continued leaves its rewritten arguments there (§1.2).
     */
    public static final long OP_HYPERCALL_REGS = 26;
}
