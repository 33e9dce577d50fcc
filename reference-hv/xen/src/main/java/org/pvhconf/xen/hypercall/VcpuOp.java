package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Vcpu.*;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.EntryState;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;

/** do_vcpu_op, unfiltered for PVH (§2.1, §8). */
public final class VcpuOp implements Hypercall {

    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        int vcpuid = (int) a[1];
        long arg = a[2];
        Domain d = ctx.domain();
        if (vcpuid < 0 || vcpuid >= Xen.MAX_VIRT_CPUS) {
            return -Errno.EINVAL;
        }
        Vcpu v = d.vcpu(vcpuid);
        if (v == null) {
            return -Errno.ENOENT;
        }
        switch (cmd) {
            case VCPUOP_initialise:
                return initialise(ctx, v, arg);
            case VCPUOP_up:
                if (!v.isInitialised()) {
                    return -Errno.EINVAL;
                }
                v.setDown(false);
                return 0;
            case VCPUOP_down:
                v.setDown(true);
                if (v == ctx.current()) {
                    v.requestYield();
                }
                return 0;
            case VCPUOP_is_up:
                return v.isUp() ? 1 : 0;
            case VCPUOP_get_runstate_info: {
                long now = ctx.clock().now();
                byte[] r = new byte[RUNSTATE_INFO_SIZE];
                LittleEndian.put32(r, 0, v.runstate());
                LittleEndian.put64(r, 8, v.runstateEntryTime());
                for (int s = 0; s < 4; s++) {
                    LittleEndian.put64(r, 16 + 8 * s, v.runstateTime(s, now));
                }
                return ctx.copyTo(arg, r) ? 0 : -Errno.EFAULT;
            }
            default:
                // Timers, register_vcpu_info, runstate/time areas, send_nmi and get_physid are not
                // implemented yet in this reference; they answer -ENOSYS (named in the issue note).
                return -Errno.ENOSYS;
        }
    }

    /**
     * VCPUOP_initialise → arch_set_info_guest's PVH branch (§8.3): vcpu_info must exist, copy in, -EEXIST
     * if initialised, the fields that must be zero, then flags, user_regs, debugregs and (first time)
     * cr3. Segments, GDTR/IDTR, CR0/CR4/EFER are the §7.1 defaults.
     */
    private static long initialise(HypercallContext ctx, Vcpu v, long arg) {
        if (v.id() >= Xen.XEN_LEGACY_MAX_VCPUS) {
            return -Errno.EINVAL; // no vcpu_info without register_vcpu_info
        }
        byte[] c = ctx.copyFrom(arg, VCPU_GUEST_CONTEXT_SIZE);
        if (c == null) {
            return -Errno.EFAULT;
        }
        if (v.isInitialised()) {
            return -Errno.EEXIST;
        }
        int[] mustBeZero = {CTX_ctrlreg, CTX_ctrlreg + 8, CTX_ctrlreg + 16, CTX_ctrlreg + 32, CTX_ctrlreg + 40,
            CTX_ctrlreg + 48, CTX_ctrlreg + 56, CTX_ldt_base, CTX_ldt_ents, CTX_kernel_ss, CTX_kernel_sp,
            CTX_gs_base_kernel, CTX_gdt_ents, CTX_fs_base, CTX_gs_base_user};
        for (int off : mustBeZero) {
            if (LittleEndian.u64(c, off) != 0) {
                return -Errno.EINVAL;
            }
        }
        for (int seg : new int[] {UREGS_cs, UREGS_ss, UREGS_es, UREGS_ds, UREGS_fs, UREGS_gs}) {
            if (LittleEndian.u16(c, CTX_user_regs + seg) != 0) {
                return -Errno.EINVAL;
            }
        }
        long cr3 = LittleEndian.u64(c, CTX_ctrlreg + 24);
        // 4.4 dereferences the gfn unchecked; §8.3 suggests -EINVAL for a gfn the p2m does not back.
        if (ctx.domain().p2m().lookup(cr3 >>> Xen.PAGE_SHIFT) == P2m.INVALID_MFN) {
            return -Errno.EINVAL;
        }
        Cpu cpu = v.cpu();
        EntryState.vmcsDefaults(cpu);
        int u = CTX_user_regs;
        int[][] gprs = {{Reg.R15.ordinal(), UREGS_r15}, {Reg.R14.ordinal(), UREGS_r14}, {Reg.R13.ordinal(), UREGS_r13},
            {Reg.R12.ordinal(), UREGS_r12}, {Reg.RBP.ordinal(), UREGS_rbp}, {Reg.RBX.ordinal(), UREGS_rbx},
            {Reg.R11.ordinal(), UREGS_r11}, {Reg.R10.ordinal(), UREGS_r10}, {Reg.R9.ordinal(), UREGS_r9},
            {Reg.R8.ordinal(), UREGS_r8}, {Reg.RAX.ordinal(), UREGS_rax}, {Reg.RCX.ordinal(), UREGS_rcx},
            {Reg.RDX.ordinal(), UREGS_rdx}, {Reg.RSI.ordinal(), UREGS_rsi}, {Reg.RDI.ordinal(), UREGS_rdi},
            {Reg.RSP.ordinal(), UREGS_rsp}};
        for (int[] g : gprs) {
            cpu.gpr[g[0]] = LittleEndian.u64(c, u + g[1]);
        }
        cpu.rip = LittleEndian.u64(c, u + UREGS_rip);
        cpu.rflags = LittleEndian.u64(c, u + UREGS_rflags) | 0x2; // bit 1 forced at VM entry
        for (int i = 0; i < 8; i++) {
            if (i != 4 && i != 5) {
                cpu.dr[i] = LittleEndian.u64(c, CTX_debugreg + 8 * i);
            }
        }
        cpu.cr3 = cr3;
        cpu.flushTlb();
        v.setInitialised(true);
        v.setDown((LittleEndian.u64(c, CTX_flags) & VGCF_online) == 0);
        return 0;
    }
}
