package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.Mmuext.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;

/**
 * do_mmuext_op for a translated, external, refcounted domain (§2.2, §12.4):
 * {@code (ops, count, pdone, foreigndom)}. Stops at the first failing op; *pdone gets the ops done.
 * Every {@link MemoryOp#PREEMPT_EXTENTS} ops a long batch is preempted (deterministically, never before the
 * first op) and continues as 4.4 does: ops advanced, count = remaining | MMU_UPDATE_PREEMPTED, and *pdone
 * carrying the ops done so far (§1.2, §12.4).
 */
public final class MmuextOp implements Hypercall {

    @Override
    public long call(HypercallContext ctx, long[] a) {
        long uops = a[0];
        long count = a[1] & 0xFFFFFFFFL;
        long pdone = a[2];
        int foreigndom = (int) (a[3] & 0xFFFF);
        long done = 0;
        if ((count & Xen.MMU_UPDATE_PREEMPTED) != 0) {
            count &= ~Xen.MMU_UPDATE_PREEMPTED;
            if (pdone != 0) {
                byte[] d = ctx.copyFrom(pdone, 4);
                if (d != null) {
                    done = LittleEndian.u32(d, 0);
                }
            }
        }
        if (foreigndom != Xen.DOMID_SELF) {
            return -Errno.ESRCH; // translated callers cannot name a foreign owner
        }
        long rc = 0;
        long i;
        boolean preempted = false;
        for (i = 0; i < count; i++) {
            if (i != 0 && i % MemoryOp.PREEMPT_EXTENTS == 0) {
                preempted = true;
                break;
            }
            byte[] op = ctx.copyFrom(uops + i * MMUEXT_OP_SIZE, MMUEXT_OP_SIZE);
            if (op == null) {
                rc = -Errno.EFAULT;
                break;
            }
            rc = one(ctx, (int) LittleEndian.u32(op, MMUEXT_OP_cmd), LittleEndian.u64(op, MMUEXT_OP_arg1),
                    LittleEndian.u64(op, MMUEXT_OP_arg2));
            if (rc != 0) {
                break;
            }
        }
        if (pdone != 0) {
            byte[] d = new byte[4];
            LittleEndian.put32(d, 0, done + i);
            ctx.copyTo(pdone, d); // a fault here is ignored, as in Xen
        }
        if (preempted) {
            return ctx.createContinuation(uops + i * MMUEXT_OP_SIZE, (count - i) | Xen.MMU_UPDATE_PREEMPTED, pdone,
                    a[3]);
        }
        return rc;
    }

    private static long one(HypercallContext ctx, int cmd, long arg1, long arg2) {
        Domain d = ctx.domain();
        switch (cmd) {
            case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE: case MMUEXT_PIN_L3_TABLE:
            case MMUEXT_PIN_L4_TABLE: case MMUEXT_UNPIN_TABLE:
                return 0; // paging_mode_refcounts: a no-op
            case MMUEXT_NEW_BASEPTR: case MMUEXT_NEW_USER_BASEPTR: case MMUEXT_SET_LDT:
                return -Errno.EINVAL; // translated / external paging
            case MMUEXT_TLB_FLUSH_LOCAL:
                ctx.cpu().flushTlb();
                return 0;
            case MMUEXT_INVLPG_LOCAL:
                ctx.cpu().flushTlbPage(arg1);
                return 0;
            case MMUEXT_TLB_FLUSH_MULTI: case MMUEXT_INVLPG_MULTI: {
                byte[] mask = ctx.copyFrom(arg2, (d.maxVcpus() + 63) / 64 * 8);
                if (mask == null) {
                    return -Errno.EINVAL; // vcpumask_to_pcpumask failure makes the op not okay
                }
                for (Vcpu v : d.vcpus()) {
                    if ((mask[v.id() / 8] & (1 << (v.id() % 8))) != 0) {
                        flush(v, cmd == MMUEXT_INVLPG_MULTI, arg1);
                    }
                }
                return 0;
            }
            case MMUEXT_TLB_FLUSH_ALL: case MMUEXT_INVLPG_ALL:
                for (Vcpu v : d.vcpus()) {
                    flush(v, cmd == MMUEXT_INVLPG_ALL, arg1);
                }
                return 0;
            case MMUEXT_FLUSH_CACHE: case MMUEXT_FLUSH_CACHE_GLOBAL:
                return -Errno.EINVAL; // no I/O memory or port capabilities
            case MMUEXT_CLEAR_PAGE: {
                byte[] f = ram(d, arg1, true);
                if (f == null) {
                    return -Errno.EINVAL;
                }
                java.util.Arrays.fill(f, (byte) 0);
                return 0;
            }
            case MMUEXT_COPY_PAGE: {
                byte[] src = ram(d, arg2, false); // 4.4 looks the source up first
                byte[] dst = ram(d, arg1, true);
                if (dst == null || src == null) {
                    return -Errno.EINVAL;
                }
                System.arraycopy(src, 0, dst, 0, src.length);
                return 0;
            }
            case MMUEXT_MARK_SUPER: case MMUEXT_UNMARK_SUPER:
                // §2.2: a misaligned (or invalid) superpage mfn is -EINVAL before the allowsuperpage check.
                if ((arg1 & (SUPERPAGE_PAGES - 1)) != 0 || (arg1 | (SUPERPAGE_PAGES - 1)) >= d.machine().maxPage()
                        || arg1 < 0) {
                    return -Errno.EINVAL;
                }
                return -Errno.ENOSYS; // Xen not booted with allowsuperpage
            default:
                return -Errno.ENOSYS;
        }
    }

    private static void flush(Vcpu v, boolean onePage, long linear) {
        if (onePage) {
            v.cpu().flushTlbPage(linear);
        } else {
            v.cpu().flushTlb();
        }
    }

    /** L1_PAGETABLE_ENTRIES: a superpage is 512 frames, aligned to 512. */
    private static final long SUPERPAGE_PAGES = 512;

    /**
     * get_page_from_gfn(d, gfn, P2M_ALLOC): the frame behind a gfn of the caller (arg1/arg2 are gfns for a
     * translated domain), writable when asked; a grant mapping is another domain's page, so null.
     */
    private static byte[] ram(Domain d, long gfn, boolean writable) {
        P2m.Type t = d.p2m().type(gfn);
        if (t == null || t.isGrant() || (writable && !t.writable())) {
            return null;
        }
        return d.machine().frame(d.p2m().lookup(gfn));
    }
}
