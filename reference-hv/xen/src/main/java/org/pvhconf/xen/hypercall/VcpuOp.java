package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Vcpu.*;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.SharedInfo;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.EntryState;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;
import org.pvhconf.xen.time.SystemTime;
import org.pvhconf.xen.time.VcpuTimers;

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
                v.setDown(false); // vcpu_wake: runnable from now on
                return 0;
            case VCPUOP_down:
                v.setDown(true);
                if (v == ctx.current()) {
                    v.requestYield();
                }
                return 0;
            case VCPUOP_is_up:
                return v.isUp() ? 1 : 0;
            case VCPUOP_get_runstate_info:
                return ctx.copyTo(arg, v.runstateInfo(ctx.clock().now())) ? 0 : -Errno.EFAULT;
            case VCPUOP_register_runstate_memory_area:
                return registerArea(ctx, v, arg, true);
            case VCPUOP_register_vcpu_time_memory_area:
                return registerArea(ctx, v, arg, false);
            case VCPUOP_set_periodic_timer: {
                byte[] b = ctx.copyFrom(arg, SET_PERIODIC_TIMER_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                long period = LittleEndian.u64(b, 0);
                // Unsigned compares: a "negative" period is above the maximum.
                if (Long.compareUnsigned(period, PERIODIC_MIN_NS) < 0
                        || Long.compareUnsigned(period, PERIODIC_MAX_NS) > 0) {
                    return -Errno.EINVAL;
                }
                VcpuTimers.setPeriodic(v, ctx.clock(), period);
                return 0;
            }
            case VCPUOP_stop_periodic_timer:
                VcpuTimers.setPeriodic(v, ctx.clock(), 0);
                return 0;
            case VCPUOP_set_singleshot_timer: {
                if (v != ctx.current()) {
                    return -Errno.EINVAL; // only the calling vCPU
                }
                byte[] b = ctx.copyFrom(arg, SET_SINGLESHOT_TIMER_SIZE);
                if (b == null) {
                    return -Errno.EFAULT;
                }
                long deadline = LittleEndian.u64(b, 0);
                long flags = LittleEndian.u32(b, 8);
                // s_time_t is signed: a deadline with bit 63 set lies in the past.
                if ((flags & VCPU_SSHOTTMR_future) != 0 && deadline < ctx.clock().now()) {
                    return -Errno.ETIME;
                }
                VcpuTimers.setSingleshot(v, ctx.clock(), deadline);
                return 0;
            }
            case VCPUOP_stop_singleshot_timer:
                if (v != ctx.current()) {
                    return -Errno.EINVAL;
                }
                VcpuTimers.stopSingleshot(v);
                return 0;
            case VCPUOP_register_vcpu_info:
                return registerVcpuInfo(ctx, v, arg);
            case VCPUOP_send_nmi:
                if (arg != 0) {
                    return -Errno.EINVAL;
                }
                if (v.raiseNmi()) {
                    v.kick();
                }
                return 0;
            case VCPUOP_get_physid:
                // is_pinned_vcpu: this reference never pins a vCPU to one pCPU, so there is no physical id.
                return -Errno.EINVAL;
            default:
                return -Errno.ENOSYS;
        }
    }

    /**
     * register_runstate_memory_area / register_vcpu_time_memory_area: the VA is remembered (for an HVM
     * container guest_handle_okay accepts any address) and the area is written at once and on every
     * context switch. A write that faults is dropped, as Xen drops it.
     */
    private static long registerArea(HypercallContext ctx, Vcpu v, long arg, boolean runstate) {
        byte[] b = ctx.copyFrom(arg, 8);
        if (b == null) {
            return -Errno.EFAULT;
        }
        long va = LittleEndian.u64(b, 0);
        if (runstate) {
            v.setRunstateArea(va);
            v.refreshRunstate();
            ctx.copyTo(va, v.runstateInfo(ctx.clock().now()));
        } else {
            v.setTimeArea(va);
            if (v == ctx.current()) {
                ctx.copyTo(va, SystemTime.updateVcpuInfo(v, ctx.clock().now()));
            }
        }
        return 0;
    }

    /**
     * map_vcpu_info (§8.1): offset, not registered before, the target is the caller or down, the gfn is
     * writable RAM. The old contents move over; upcall_pending and every pending_sel bit are then set
     * so that the guest rescans.
     */
    private static long registerVcpuInfo(HypercallContext ctx, Vcpu v, long arg) {
        byte[] b = ctx.copyFrom(arg, REGISTER_VCPU_INFO_SIZE);
        if (b == null) {
            return -Errno.EFAULT;
        }
        long gfn = LittleEndian.u64(b, 0);
        long offset = LittleEndian.u32(b, 8);
        if (offset > Xen.PAGE_SIZE - SharedInfo.VCPU_INFO_SIZE) {
            return -Errno.EINVAL;
        }
        if (v.vcpuInfoRegistered()) {
            return -Errno.EINVAL;
        }
        if (v != ctx.current() && v.isUp()) {
            return -Errno.EINVAL;
        }
        Domain d = ctx.domain();
        if (d.p2m().type(gfn) != P2m.Type.RAM_RW) {
            return -Errno.EINVAL;
        }
        byte[] page = d.machine().frame(d.p2m().lookup(gfn));
        int off = (int) offset;
        byte[] old = v.vcpuInfoPage();
        if (old != null) {
            System.arraycopy(old, v.vcpuInfoOffset(), page, off, SharedInfo.VCPU_INFO_SIZE);
        } else {
            java.util.Arrays.fill(page, off, off + SharedInfo.VCPU_INFO_SIZE, (byte) 0);
            page[off + SharedInfo.evtchn_upcall_mask] = 1;
        }
        v.moveVcpuInfo(page, off);
        page[off + SharedInfo.evtchn_upcall_pending] = 1;
        LittleEndian.put64(page, off + SharedInfo.evtchn_pending_sel, -1L);
        return 0;
    }

    /**
     * VCPUOP_initialise → arch_set_info_guest's PVH branch (§8.3): vcpu_info must exist, copy in, -EEXIST
     * if initialised, the fields that must be zero, then flags, user_regs, debugregs and (first time)
     * cr3. Segments, GDTR/IDTR, CR0/CR4/EFER are the §7.1 defaults.
     */
    private static long initialise(HypercallContext ctx, Vcpu v, long arg) {
        if (!v.hasVcpuInfo()) {
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
        if (v.id() == 0) {
            SystemTime.publishWallclock(ctx.domain()); // §8.3: vCPU0's initialise refreshes the wallclock
        }
        return 0;
    }
}
