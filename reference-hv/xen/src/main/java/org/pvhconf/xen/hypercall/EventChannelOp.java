package org.pvhconf.xen.hypercall;

import static org.pvhconf.xen.abi.EventChannel.*;

import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.event.EventChannels;
import org.pvhconf.xen.event.EventChannels.Port;
import org.pvhconf.xen.event.EventChannels.State;
import org.pvhconf.xen.mm.LittleEndian;

/**
 * do_event_channel_op, unfiltered (§10): each case copies the struct in, calls the evtchn_* worker and
 * copies the result out. Every 2-level sub-op is implemented, with the checks in 4.4's order; bind_pirq
 * answers -EPERM (PVH has no PIRQ access). This reference has no FIFO ABI: expand_array and
 * set_priority answer what 4.4 answers while FIFO is not initialised (-ENOSYS; set_priority checks the
 * port first), and init_control checks its arguments as 4.4 does and then answers -ENOSYS, so a guest
 * falls back to 2-level as it would on a Xen without FIFO.
 */
public final class EventChannelOp implements Hypercall {
    private static final int[] SIZES = {BIND_INTERDOMAIN_SIZE, BIND_VIRQ_SIZE, BIND_PIRQ_SIZE, CLOSE_SIZE,
        SEND_SIZE, STATUS_SIZE, ALLOC_UNBOUND_SIZE, BIND_IPI_SIZE, BIND_VCPU_SIZE, UNMASK_SIZE, RESET_SIZE,
        INIT_CONTROL_SIZE, EXPAND_ARRAY_SIZE, SET_PRIORITY_SIZE};

    @Override
    public long call(HypercallContext ctx, long[] a) {
        int cmd = (int) a[0];
        long arg = a[1];
        if (cmd < 0 || cmd >= SIZES.length) {
            return -Errno.ENOSYS;
        }
        byte[] op = ctx.copyFrom(arg, SIZES[cmd]);
        if (op == null) {
            return -Errno.EFAULT;
        }
        long rc;
        boolean copyBack = false;
        switch (cmd) {
            case EVTCHNOP_alloc_unbound:
                rc = allocUnbound(ctx, op);
                copyBack = true;
                break;
            case EVTCHNOP_bind_interdomain:
                rc = bindInterdomain(ctx, op);
                copyBack = true;
                break;
            case EVTCHNOP_bind_virq:
                rc = bindVirq(ctx, op);
                copyBack = true;
                break;
            case EVTCHNOP_bind_ipi: {
                int vcpu = (int) LittleEndian.u32(op, 0);
                if (ctx.domain().vcpu(vcpu) == null) {
                    return -Errno.ENOENT;
                }
                rc = bind(ctx.domain().evtchn(), State.IPI, vcpu, op, 4);
                copyBack = true;
                break;
            }
            case EVTCHNOP_bind_pirq:
                rc = LittleEndian.u32(op, 0) >= PIRQS_DOMU ? -Errno.EINVAL : -Errno.EPERM;
                break;
            case EVTCHNOP_close:
                rc = close(ctx.domain(), LittleEndian.u32(op, 0), ctx);
                break;
            case EVTCHNOP_send:
                rc = send(ctx, LittleEndian.u32(op, 0));
                break;
            case EVTCHNOP_status:
                rc = status(ctx, op);
                copyBack = rc == 0;
                break;
            case EVTCHNOP_bind_vcpu:
                rc = bindVcpu(ctx.domain(), LittleEndian.u32(op, 0), (int) LittleEndian.u32(op, 4));
                break;
            case EVTCHNOP_reset:
                rc = reset(ctx, LittleEndian.u16(op, 0));
                break;
            case EVTCHNOP_init_control: {
                // evtchn_fifo_init_control's checks: the vCPU, then the control block's offset.
                long vcpu = LittleEndian.u32(op, 12);
                long offset = LittleEndian.u32(op, 8);
                if (vcpu >= ctx.domain().maxVcpus()) {
                    return -Errno.ENOENT;
                }
                if (offset > Xen.PAGE_SIZE - FIFO_CONTROL_BLOCK_SIZE || (offset & 7) != 0) {
                    return -Errno.EINVAL;
                }
                return -Errno.ENOSYS;
            }
            case EVTCHNOP_expand_array:
                return -Errno.ENOSYS; // !d->evtchn_fifo
            case EVTCHNOP_set_priority: {
                long port = LittleEndian.u32(op, 0);
                // 2-level port ops have no set_priority: a valid port gets -ENOSYS.
                return ctx.domain().evtchn().isValid(port) ? -Errno.ENOSYS : -Errno.EINVAL;
            }
            case EVTCHNOP_unmask: {
                long port = LittleEndian.u32(op, 0);
                EventChannels ev = ctx.domain().evtchn();
                if (!ev.isValid(port)) {
                    return -Errno.EINVAL;
                }
                ev.unmask((int) port);
                rc = 0;
                break;
            }
            default:
                return -Errno.ENOSYS;
        }
        if (copyBack && rc == 0 && !ctx.copyTo(arg, op)) {
            return -Errno.EFAULT;
        }
        return rc;
    }

    /**
     * nr_pirqs of a domU (nr_static_irqs + extra_domU_pirqs) is host-dependent; this reference fixes
     * it at 16 GSIs + 32 = 48. Below it bind_pirq is -EPERM, at or above it -EINVAL.
     */
    static final int PIRQS_DOMU = 48;
    /** sizeof(evtchn_fifo_control_block): ready u32, _rsvd u32, head[16] u32. */
    static final int FIFO_CONTROL_BLOCK_SIZE = 72;

    private static long bind(EventChannels ev, State s, int vcpu, byte[] op, int portOff) {
        int p = ev.allocate(s);
        if (p < 0) {
            return p;
        }
        ev.port(p).notifyVcpu = vcpu;
        LittleEndian.put32(op, portOff, p);
        return 0;
    }

    private static long allocUnbound(HypercallContext ctx, byte[] op) {
        Domain d = ctx.domainByAnyId(LittleEndian.u16(op, 0));
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        int rdom = LittleEndian.u16(op, 2);
        if (rdom == Xen.DOMID_SELF) {
            rdom = ctx.domain().domid();
        }
        int p = d.evtchn().allocate(State.UNBOUND);
        if (p < 0) {
            return p;
        }
        d.evtchn().port(p).remoteDomid = rdom;
        LittleEndian.put32(op, 4, p);
        return 0;
    }

    /** evtchn_bind_interdomain: -ESRCH, -ENOSPC, then the remote port's checks (-EINVAL); local port set pending. */
    private static long bindInterdomain(HypercallContext ctx, byte[] op) {
        Domain ld = ctx.domain();
        Domain rd = ctx.domainByAnyId(LittleEndian.u16(op, 0));
        if (rd == null) {
            return -Errno.ESRCH;
        }
        long rport = LittleEndian.u32(op, 4);
        int lport = ld.evtchn().lowestFree();
        if (lport < 0) {
            return lport;
        }
        if (!rd.evtchn().isValid(rport) || rd.evtchn().port((int) rport).state != State.UNBOUND
                || rd.evtchn().port((int) rport).remoteDomid != ld.domid()) {
            return -Errno.EINVAL;
        }
        ld.evtchn().allocate(State.INTERDOMAIN);
        Port r = rd.evtchn().port((int) rport);
        r.state = State.INTERDOMAIN;
        r.remoteDomid = ld.domid();
        r.remotePort = lport;
        Port l = ld.evtchn().port(lport);
        l.remoteDomid = rd.domid();
        l.remotePort = (int) rport;
        ld.evtchn().setPending(lport); // §10.1: notifications lost on the unbound port are made up for
        LittleEndian.put32(op, 8, lport);
        return 0;
    }

    private static long bindVirq(HypercallContext ctx, byte[] op) {
        long virq = LittleEndian.u32(op, 0);
        int vcpu = (int) LittleEndian.u32(op, 4);
        if (virq >= Xen.NR_VIRQS) {
            return -Errno.EINVAL;
        }
        if (Xen.virqIsGlobal((int) virq) && vcpu != 0) {
            return -Errno.EINVAL;
        }
        Domain d = ctx.domain();
        if (vcpu < 0 || d.vcpu(vcpu) == null) {
            return -Errno.ENOENT;
        }
        EventChannels ev = d.evtchn();
        if (ev.virqPort(vcpu, (int) virq) != 0) {
            return -Errno.EEXIST; // v->virq_to_evtchn[virq] is taken, even if bind_vcpu moved the port
        }
        long rc = bind(ev, State.VIRQ, vcpu, op, 8);
        if (rc == 0) {
            Port p = ev.port((int) LittleEndian.u32(op, 8));
            p.virq = (int) virq;
            p.virqVcpu = vcpu;
        }
        return rc;
    }

    private static long close(Domain d, long port, HypercallContext ctx) {
        EventChannels ev = d.evtchn();
        if (!ev.isValid(port)) {
            return -Errno.EINVAL;
        }
        Port p = ev.port((int) port);
        switch (p.state) {
            case FREE: case RESERVED:
                return -Errno.EINVAL;
            case INTERDOMAIN: {
                Domain rd = ctx.domainById(p.remoteDomid);
                if (rd != null) {
                    Port r = rd.evtchn().port(p.remotePort);
                    r.state = State.UNBOUND; // the remote end reverts to unbound, for us
                    r.remoteDomid = d.domid();
                }
                break;
            }
            default:
                break;
        }
        ev.free((int) port);
        return 0;
    }

    private static long send(HypercallContext ctx, long port) {
        Domain d = ctx.domain();
        EventChannels ev = d.evtchn();
        if (!ev.isValid(port)) {
            return -Errno.EINVAL;
        }
        Port p = ev.port((int) port);
        switch (p.state) {
            case INTERDOMAIN: {
                Domain rd = ctx.domainById(p.remoteDomid);
                if (rd != null) {
                    rd.evtchn().setPending(p.remotePort);
                }
                return 0;
            }
            case IPI:
                ev.setPending((int) port);
                return 0;
            case UNBOUND:
                return 0; // silently dropped
            default:
                return -Errno.EINVAL;
        }
    }

    private static long status(HypercallContext ctx, byte[] op) {
        Domain d = ctx.domainByAnyId(LittleEndian.u16(op, 0));
        if (d == null) {
            return -Errno.ESRCH;
        }
        long port = LittleEndian.u32(op, 4);
        if (!d.evtchn().isValid(port)) {
            return -Errno.EINVAL; // port_is_valid comes before the XSM check in evtchn_status
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        Port p = d.evtchn().port((int) port);
        int status;
        switch (p.state) {
            case UNBOUND: status = EVTCHNSTAT_unbound; LittleEndian.put16(op, 16, p.remoteDomid); break;
            case INTERDOMAIN:
                status = EVTCHNSTAT_interdomain;
                LittleEndian.put16(op, 16, p.remoteDomid);
                LittleEndian.put32(op, 20, p.remotePort);
                break;
            case PIRQ: status = EVTCHNSTAT_pirq; break;
            case VIRQ: status = EVTCHNSTAT_virq; LittleEndian.put32(op, 16, p.virq); break;
            case IPI: status = EVTCHNSTAT_ipi; break;
            default: status = EVTCHNSTAT_closed; break;
        }
        LittleEndian.put32(op, 8, status);
        LittleEndian.put32(op, 12, p.notifyVcpu);
        return 0;
    }

    /** evtchn_reset: every port of the domain is closed (port 0 stays reserved); XSM_TARGET. */
    private static long reset(HypercallContext ctx, int dom) {
        Domain d = ctx.domainByAnyId(dom);
        if (d == null) {
            return -Errno.ESRCH;
        }
        if (!ctx.xsmTarget(d)) {
            return -Errno.EPERM;
        }
        for (int p = 0; p < d.evtchn().maxPorts(); p++) {
            close(d, p, ctx); // __evtchn_close; its -EINVAL for free and reserved ports is ignored
        }
        return 0;
    }

    private static long bindVcpu(Domain d, long port, int vcpu) {
        if (vcpu < 0 || d.vcpu(vcpu) == null) {
            return -Errno.ENOENT;
        }
        EventChannels ev = d.evtchn();
        if (!ev.isValid(port)) {
            return -Errno.EINVAL;
        }
        Port p = ev.port((int) port);
        boolean ok = p.state == State.UNBOUND || p.state == State.INTERDOMAIN || p.state == State.PIRQ
                || (p.state == State.VIRQ && Xen.virqIsGlobal(p.virq));
        if (!ok) {
            return -Errno.EINVAL;
        }
        p.notifyVcpu = vcpu;
        return 0;
    }
}
