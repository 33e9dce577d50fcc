package org.pvhconf.conform.harness;

import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drives the agent stub through its mailbox ({@link org.pvhconf.stubs.kernels.AgentProtocol}): the host
 * half of a lock-step stage. The host writes commands; guest code executes them on the vCPU and writes the
 * results; the host reads them back. Nothing here computes an ABI answer.
 *
 * <p>The mailbox and scratch buffer are part of the agent's own image, so their guest-physical addresses
 * follow from the builder's linear layout: gpfn = (va − virt_base) >> 12 (§7.1).
 *
 * <p>Each vCPU the agent runs on has its own mailbox page ({@link org.pvhconf.stubs.kernels.AgentProtocol#MAX_VCPUS});
 * {@link #forVcpu} gives the Agent that drives vCPU i. A stage on one vCPU runs the whole machine, so the
 * other vCPUs go on idling (or waiting) meanwhile, exactly as the scheduler decides.
 */
public final class Agent {

    /** Guest instructions one stage may take before the harness calls the guest stuck. */
    public static final long STAGE_BUDGET = 20_000_000;

    private final GuestDomain domain;
    private final long virtBase;
    private final long mailboxVa;
    private final long scratchVa;
    private final int vcpu;
    private long seq;

    public Agent(GuestDomain domain, long virtBase, long mailboxVa, long scratchVa) {
        this(domain, virtBase, mailboxVa, scratchVa, 0);
    }

    private Agent(GuestDomain domain, long virtBase, long mailboxVa, long scratchVa, int vcpu) {
        this.domain = domain;
        this.virtBase = virtBase;
        this.mailboxVa = mailboxVa;
        this.scratchVa = scratchVa;
        this.vcpu = vcpu;
    }

    /**
     * The agent's command loop on vCPU {@code i} of the same domain: mailbox page i (vCPU0's agent is this
     * one when i = 0), with {@code scratchVa} as that vCPU's argument buffer. Call on vCPU0's agent.
     */
    public Agent forVcpu(int i, long apScratchVa) {
        if (i < 0 || i >= MAX_VCPUS) {
            throw new IllegalArgumentException("the agent runs on vCPUs 0.." + (MAX_VCPUS - 1) + ", not " + i);
        }
        if (i == vcpu) {
            return this;
        }
        long base = mailboxVa - (long) vcpu * MAILBOX_STRIDE;
        return new Agent(domain, virtBase, base + (long) i * MAILBOX_STRIDE, apScratchVa, i);
    }

    /** The vCPU whose mailbox this Agent drives. */
    public int vcpu() {
        return vcpu;
    }

    public long mailboxVa() {
        return mailboxVa;
    }

    /** Has the toolstack write a mailbox word (host-written fields such as UPCALL_PENDING_VA, UPCALL_HOLD). */
    public void setMailbox(int offset, long value) {
        mailbox(offset, value);
    }

    /** Reads a mailbox word that guest code wrote (INTERRUPT_COUNT, FIRED_*, ENTRY_*). */
    public long mailboxWord(int offset) {
        return mailbox(offset);
    }

    /** True once this vCPU's agent has written its ready magic. */
    public boolean ready() {
        return mailbox(MAGIC) == MAGIC_VALUE;
    }

    public GuestDomain domain() {
        return domain;
    }

    /** The guest-physical address of a virtual address inside the agent's image (§7.1 linear map). */
    public long gpaOf(long va) {
        return va - virtBase;
    }

    private long mailbox(int offset) {
        return domain.readPhysU64(gpaOf(mailboxVa) + offset);
    }

    private void mailbox(int offset, long value) {
        domain.writePhysU64(gpaOf(mailboxVa) + offset, value);
    }

    /** Runs the guest until it has written the ready magic; false if it stopped first. */
    public boolean awaitReady() {
        domain.runUntil(() -> mailbox(MAGIC) == MAGIC_VALUE, STAGE_BUDGET);
        return mailbox(MAGIC) == MAGIC_VALUE;
    }

    /** What the guest saved of its own state at its entry point (ENTRY_*). */
    public long entryValue(int offset) {
        return mailbox(offset);
    }

    /** A command for the guest: an OP_* code and up to eight arguments. */
    public record Command(long op, long... args) {
        public Command {
            if (args.length > 8) {
                throw new IllegalArgumentException("at most 8 arguments");
            }
        }
    }

    /** What the guest wrote back for one command. */
    public record Result(Command command, long status, long result, long[] out) {
        public boolean done() {
            return status == STATUS_DONE;
        }

        public boolean faulted() {
            return status == STATUS_FAULTED;
        }

        /** The exception vector, for a faulted command. */
        public int vector() {
            return (int) out[0];
        }

        @Override
        public String toString() {
            return String.format("op %d%s -> status %d, result %#x, out %s", command.op(),
                    Arrays.toString(Arrays.stream(command.args()).mapToObj(a -> String.format("%#x", a)).toArray()),
                    status, result, Arrays.toString(Arrays.stream(out).mapToObj(a -> String.format("%#x", a)).toArray()));
        }
    }

    /** Has the guest execute the commands in order, in as many stages as the mailbox needs. */
    public List<Result> execute(List<Command> commands) {
        List<Result> results = new ArrayList<>(commands.size());
        for (int from = 0; from < commands.size(); from += MAX_COMMANDS) {
            results.addAll(stage(commands.subList(from, Math.min(commands.size(), from + MAX_COMMANDS))));
        }
        return results;
    }

    public Result execute(Command command) {
        return execute(List.of(command)).get(0);
    }

    private List<Result> stage(List<Command> batch) {
        return await(submit(batch));
    }

    /** A batch handed to the guest whose results have not been collected yet. */
    public record Pending(long request, List<Command> batch) {
    }

    /**
     * Hands a batch (at most MAX_COMMANDS) to the guest without running the machine, so that a stage on
     * another vCPU can run meanwhile (the host half of "vCPU 1 polls while vCPU 0 sends").
     */
    public Pending submit(List<Command> batch) {
        if (batch.size() > MAX_COMMANDS) {
            throw new IllegalArgumentException("at most " + MAX_COMMANDS + " commands in one batch");
        }
        long base = gpaOf(mailboxVa) + COMMANDS;
        for (int i = 0; i < batch.size(); i++) {
            long slot = base + (long) i * COMMAND_SIZE;
            domain.writePhys(slot, new byte[COMMAND_SIZE]);
            Command c = batch.get(i);
            domain.writePhysU64(slot + CMD_OP, c.op());
            for (int a = 0; a < c.args().length; a++) {
                domain.writePhysU64(slot + CMD_ARGS + 8L * a, c.args()[a]);
            }
        }
        mailbox(COMMAND_COUNT, batch.size());
        long request = ++seq;
        mailbox(REQUEST_SEQ, request);
        return new Pending(request, List.copyOf(batch));
    }

    /** True once the guest has finished a submitted batch. */
    public boolean finished(Pending p) {
        return mailbox(DONE_SEQ) == p.request();
    }

    /** Runs the machine until the guest has finished the batch, then collects its results. */
    public List<Result> await(Pending p) {
        long request = p.request();
        List<Command> batch = p.batch();
        long base = gpaOf(mailboxVa) + COMMANDS;
        GuestDomain.Stop stop = finished(p) ? GuestDomain.Stop.CONDITION_MET
                : domain.runUntil(() -> mailbox(DONE_SEQ) == request, STAGE_BUDGET);
        List<Result> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            long slot = base + (long) i * COMMAND_SIZE;
            long[] out = new long[4];
            for (int o = 0; o < 4; o++) {
                out[o] = domain.readPhysU64(slot + CMD_OUT + 8L * o);
            }
            results.add(new Result(batch.get(i), domain.readPhysU64(slot + CMD_STATUS),
                    domain.readPhysU64(slot + CMD_RESULT), out));
        }
        if (mailbox(DONE_SEQ) != request && stop != GuestDomain.Stop.SHUT_DOWN) {
            throw new AgentStuckException("the agent on vCPU" + vcpu + " did not finish stage " + request + " (" + stop
                    + "); results so far: " + results + "\nconsole: " + domain.console());
        }
        return results;
    }

    // ---- conveniences: each is one command ----

    /** Calls hypercall {@code nr} through the hypercall page with up to six arguments; returns RAX. */
    public Result hypercall(int nr, long... args) {
        return execute(new Command(OP_HYPERCALL, prepend(nr, args)));
    }

    public long read64(long va) {
        return expectDone(execute(new Command(OP_READ64, va))).result();
    }

    public void write64(long va, long value) {
        expectDone(execute(new Command(OP_WRITE64, va, value)));
    }

    public int read8(long va) {
        return (int) expectDone(execute(new Command(OP_READ8, va))).result();
    }

    /** The bytes at a guest virtual address, read by guest code eight at a time. */
    public byte[] readBytes(long va, int length) {
        List<Command> reads = new ArrayList<>();
        for (int off = 0; off < length; off += 8) {
            reads.add(new Command(OP_READ64, va + off));
        }
        List<Result> results = execute(reads);
        byte[] bytes = new byte[length];
        for (int i = 0; i < results.size(); i++) {
            long v = expectDone(results.get(i)).result();
            for (int b = 0; b < 8 && i * 8 + b < length; b++) {
                bytes[i * 8 + b] = (byte) (v >>> (8 * b));
            }
        }
        return bytes;
    }

    /** A NUL-terminated string at a guest virtual address, read by guest code, up to {@code max} bytes. */
    public String readCString(long va, int max) {
        byte[] b = readBytes(va, max);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public long scratchVa() {
        return scratchVa;
    }

    /** The toolstack places an argument buffer in the agent's scratch area (its own memory). */
    public void writeScratch(int offset, byte[] data) {
        domain.writePhys(gpaOf(scratchVa) + offset, data);
    }

    /** The guest copies {@code length} bytes from {@code fromVa} to {@code toVa} with its own instructions. */
    public void copy(long toVa, long fromVa, long length) {
        expectDone(execute(new Command(OP_COPY, toVa, fromVa, length)));
    }

    private static Result expectDone(Result r) {
        if (!r.done()) {
            throw new AgentStuckException("the agent could not complete " + r);
        }
        return r;
    }

    private static long[] prepend(long first, long[] rest) {
        long[] all = new long[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** The guest did not complete a stage: a broken hypervisor, or a broken agent. */
    public static final class AgentStuckException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AgentStuckException(String message) {
            super(message);
        }
    }
}
