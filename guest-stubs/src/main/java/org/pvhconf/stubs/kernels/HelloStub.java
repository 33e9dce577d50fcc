package org.pvhconf.stubs.kernels;

import static org.pvhconf.stubs.asm.Mem.rip;
import static org.pvhconf.stubs.asm.Reg32.EDI;
import static org.pvhconf.stubs.asm.Reg32.ESI;
import static org.pvhconf.stubs.asm.Reg64.RDX;
import static org.pvhconf.stubs.asm.Reg64.RSI;

import java.nio.charset.StandardCharsets;
import org.pvhconf.stubs.asm.Assembler;
import org.pvhconf.stubs.asm.Label;

/**
 * The smallest useful PVH guest: writes a message with {@code console_io(CONSOLEIO_write)} (§12.2) and
 * shuts down with {@code sched_op(SCHEDOP_shutdown, &reason)} (§12.1), both through the hypercall page
 * (§1.3). It needs no GDT, IDT or stack of its own beyond the two return addresses its calls push on
 * the builder's boot stack.
 *
 * <p>Symbols: {@code entry}, {@code hypercall_page}, {@code message}, {@code shutdown_reason} (the
 * {@code u32} passed to the shutdown call) and {@code stuck} (where it spins if shutdown returns).
 */
public final class HelloStub extends PvhKernel<HelloStub> {
    public static final String DEFAULT_MESSAGE = "Hello from a PVH guest\n";

    private String message = DEFAULT_MESSAGE;
    private int reason = GuestAbi.SHUTDOWN_POWEROFF;

    /** A guest that prints the default message and powers off. */
    public HelloStub() {
    }

    /** A guest that prints the default message and shuts down with SHUTDOWN_crash (3). */
    public static HelloStub crash() {
        return new HelloStub().shutdownReason(GuestAbi.SHUTDOWN_CRASH);
    }

    /** The text written to the console (UTF-8). */
    public HelloStub message(final String text) {
        this.message = text;
        return this;
    }

    /** The SHUTDOWN_* reason passed to SCHEDOP_shutdown. */
    public HelloStub shutdownReason(final int shutdownReason) {
        this.reason = shutdownReason;
        return this;
    }

    @Override
    protected void emit(final Assembler asm, final Label entry, final Label hypercallPage) {
        Label text = asm.newLabel("message");
        Label reasonArg = asm.newLabel("shutdown_reason");
        Label stuck = asm.newLabel("stuck");
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);

        asm.bind(entry)
                // console_io(CONSOLEIO_write, count, buf): RDI, RSI, RDX (§1.2)
                .mov(EDI, GuestAbi.CONSOLEIO_WRITE)
                .mov(ESI, bytes.length)
                .lea(RDX, rip(text))
                .call(hypercallPage, GuestAbi.HYPERVISOR_CONSOLE_IO * GuestAbi.HYPERCALL_SLOT_SIZE)
                // sched_op(SCHEDOP_shutdown, &{reason})
                .mov(EDI, GuestAbi.SCHEDOP_SHUTDOWN)
                .lea(RSI, rip(reasonArg))
                .call(hypercallPage, GuestAbi.HYPERVISOR_SCHED_OP * GuestAbi.HYPERCALL_SLOT_SIZE)
                // Shutdown does not return. If it does, spin rather than HLT: with IF clear a HLT would
                // take the vCPU offline and look like a clean poweroff (§7.1).
                .bind(stuck)
                .pause()
                .jmp(stuck);

        asm.align(4).bind(reasonArg).dd(reason);
        asm.bind(text).db(bytes);
    }
}
