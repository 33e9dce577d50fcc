package org.pvhconf.xen.hypercall;

import java.util.function.IntFunction;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.XenProfile;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.domain.Domain;
import org.pvhconf.xen.domain.Vcpu;
import org.pvhconf.xen.mm.GuestCopy;
import org.pvhconf.xen.time.VirtualClock;

/**
 * What a handler may touch: the calling vCPU ({@code current}), its domain, guest memory only through
 * copy-from/to-guest, the clock, and other domains by id (rcu_lock_domain_by_id and friends).
 */
public final class HypercallContext {
    private final Vcpu current;
    private final GuestCopy copy;
    private final VirtualClock clock;
    private final IntFunction<Domain> domains;
    private final XenProfile profile;
    private long[] continuation;

    public HypercallContext(Vcpu current, GuestCopy copy, VirtualClock clock, IntFunction<Domain> domains,
                            XenProfile profile) {
        this.current = current;
        this.copy = copy;
        this.clock = clock;
        this.domains = domains;
        this.profile = profile;
    }

    public Vcpu current() {
        return current;
    }

    public Domain domain() {
        return current.domain();
    }

    public Cpu cpu() {
        return current.cpu();
    }

    public VirtualClock clock() {
        return clock;
    }

    public XenProfile profile() {
        return profile;
    }

    /** copy_from_guest of {@code size} bytes; null on a fault (the caller returns -EFAULT). */
    public byte[] copyFrom(long va, int size) {
        byte[] b = new byte[size];
        return copy.fromGuest(current.cpu(), va, b) == 0 ? b : null;
    }

    /** copy_to_guest; false on a fault. */
    public boolean copyTo(long va, byte[] b) {
        return copy.toGuest(current.cpu(), va, b) == 0;
    }

    public boolean copyTo(long va, byte[] b, int off, int len) {
        return copy.toGuest(current.cpu(), va, b, off, len) == 0;
    }

    /** rcu_lock_domain_by_id: no DOMID_SELF translation; null when no such domain. */
    public Domain domainById(int domid) {
        return domains.apply(domid);
    }

    /** rcu_lock_domain_by_any_id: DOMID_SELF is the caller's domain. */
    public Domain domainByAnyId(int domid) {
        return domid == Xen.DOMID_SELF ? domain() : domains.apply(domid);
    }

    /**
     * hypercall_create_continuation (§1.2): the call is preempted. The dispatcher leaves RIP at the VMCALL,
     * resets RAX to the hypercall number and rewrites the first {@code args.length} argument registers
     * (RDI, RSI, RDX, R10, R8, R9) with {@code args}, so the guest re-executes the call with them.
     *
     * @return 0, a placeholder result the dispatcher discards
     */
    public long createContinuation(long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("a continuation rewrites at most six registers");
        }
        continuation = args.clone();
        return 0;
    }

    /** True when the running handler has already asked for a continuation. */
    public boolean hasContinuation() {
        return continuation != null;
    }

    /** The continuation the last handler asked for, or null; clears it. */
    long[] takeContinuation() {
        long[] c = continuation;
        continuation = null;
        return c;
    }

    /** Dummy XSM_TARGET (§2.3): the caller acting on itself, or a privileged caller. */
    public boolean xsmTarget(Domain target) {
        return target == domain() || domain().isPrivileged();
    }

    /** Dummy XSM_DM_PRIV / XSM_PRIV (§2.3): there is no device model domain here. */
    public boolean xsmPriv() {
        return domain().isPrivileged();
    }
}
