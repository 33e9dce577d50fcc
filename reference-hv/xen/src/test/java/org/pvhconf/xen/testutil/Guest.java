package org.pvhconf.xen.testutil;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.xen.Hypervisor;
import org.pvhconf.xen.HypervisorOptions;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.DomainConfig;

/**
 * One built PVH domain and a way to issue hypercalls as its vCPU0 would: registers set directly and a
 * VMCALL exit handed to the VM-exit handler, independent of any interpreter.
 */
public final class Guest {
    public static final int VMCALL_LEN = 3;
    public final Hypervisor hv;
    public final Domain d;
    /** A free, mapped page-aligned scratch area in the guest (right after the boot stack). */
    public final long scratch;
    /** A guest-virtual address the initial page tables do not map. */
    public static final long UNMAPPED = 0x1000;

    public Guest(DomainConfig cfg) {
        hv = new Hypervisor(HypervisorOptions.builder().engineFactory(ScriptedEngine::new).build());
        try {
            d = hv.createDomain(cfg, TestKernel.pvh().bytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        scratch = d.buildInfo().bootStackTopVa();
    }

    public Guest() {
        this(new DomainConfig());
    }

    private Guest(Hypervisor hv, Domain d) {
        this.hv = hv;
        this.d = d;
        scratch = d.buildInfo().bootStackTopVa();
    }

    /** A second domain on the same hypervisor, driven the same way. */
    public static final class Attached {
        private Attached() {
        }

        public static Guest of(Hypervisor hv, Domain d) {
            return new Guest(hv, d);
        }
    }

    /** Reads {@code n} little-endian bytes at a guest VA. */
    public java.nio.ByteBuffer readLe(long va, int n) {
        return java.nio.ByteBuffer.wrap(read(va, n)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    public Cpu cpu() {
        return d.vcpu(0).cpu();
    }

    /** Issues hypercall {@code rax} with up to six arguments; returns RAX afterwards. */
    public long call(long rax, long... args) {
        Cpu c = cpu();
        Reg[] regs = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9};
        for (int i = 0; i < regs.length; i++) {
            c.set(regs[i], i < args.length ? args[i] : 0);
        }
        c.set(Reg.RAX, rax);
        exit(VmExit.instruction(VmExit.Reason.VMCALL, VMCALL_LEN, 0));
        return c.get(Reg.RAX);
    }

    public void exit(VmExit e) {
        hv.handleExit(d.vcpu(0), e);
    }

    public void write(long va, byte[] b) {
        if (hv.copyToGuest(d.vcpu(0), va, b) != 0) {
            throw new AssertionError("scratch write faulted");
        }
    }

    public byte[] read(long va, int n) {
        byte[] b = new byte[n];
        if (hv.copyFromGuest(d.vcpu(0), va, b) != 0) {
            throw new AssertionError("scratch read faulted");
        }
        return b;
    }
}
