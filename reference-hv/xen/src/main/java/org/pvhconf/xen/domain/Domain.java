package org.pvhconf.xen.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.xen.abi.HvmParams;
import org.pvhconf.xen.abi.Sched;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.event.EventChannels;
import org.pvhconf.xen.hypercall.HypercallRecord;
import org.pvhconf.xen.mm.FrameAllocator;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;

/**
 * A PVHv1 domain: its p2m and memory accounting, shared_info, event channels, grant frames, vCPUs,
 * shutdown state, console and hypercall trace.
 */
public final class Domain {
    private final int domid;
    private final DomainConfig config;
    private final FrameAllocator machine;
    private final P2m p2m;
    private final List<Vcpu> vcpus = new ArrayList<>();
    private final EventChannels evtchn = new EventChannels(this);
    private byte[] sharedInfo;
    private long sharedInfoMfn = -1;
    private final List<Long> grantFrameMfns = new ArrayList<>();
    private int grantVersion = 1;
    private final org.pvhconf.xen.grant.GrantState grants = new org.pvhconf.xen.grant.GrantState();
    private final java.util.BitSet allocatedPirqs = new java.util.BitSet();
    private final long[] hvmParams = new long[HvmParams.HVM_NR_PARAMS];
    private int callbackVector = -1;
    private long maxPages;
    private final List<long[]> e820 = new ArrayList<>();
    private BuildInfo buildInfo;

    private boolean shutdown;
    private int shutdownCode = -1;
    private int finalCode = -1;
    private String crashDetail;
    private final StringBuilder console = new StringBuilder();
    private Consumer<String> consoleListener = s -> { };
    /** The most recent {@link #TRACE_LIMIT} hypercalls; older ones are counted in {@link #hypercallCount()}. */
    public static final int TRACE_LIMIT = 1 << 16;
    private final java.util.ArrayDeque<HypercallRecord> trace = new java.util.ArrayDeque<>();
    private long hypercalls;
    private final Object[] watchdogs = new Object[Sched.NR_DOMAIN_WATCHDOG_TIMERS];

    public Domain(int domid, DomainConfig config, FrameAllocator machine) {
        this.domid = domid;
        this.config = config;
        this.machine = machine;
        this.p2m = new P2m(machine);
        p2m.setFlushHook(this::flushTlbs);
    }

    public int domid() {
        return domid;
    }

    public DomainConfig config() {
        return config;
    }

    /** A PVHv1 domU is never privileged in this reference (no dom0, §5.3). */
    public boolean isPrivileged() {
        return false;
    }

    public FrameAllocator machine() {
        return machine;
    }

    public P2m p2m() {
        return p2m;
    }

    public EventChannels evtchn() {
        return evtchn;
    }

    // ---- vCPUs ----

    public Vcpu addVcpu(Cpu cpu) {
        Vcpu v = new Vcpu(this, vcpus.size(), cpu);
        vcpus.add(v);
        return v;
    }

    public Vcpu vcpu(int id) {
        return id >= 0 && id < vcpus.size() ? vcpus.get(id) : null;
    }

    public int maxVcpus() {
        return vcpus.size();
    }

    public List<Vcpu> vcpus() {
        return Collections.unmodifiableList(vcpus);
    }

    private void flushTlbs() {
        for (Vcpu v : vcpus) {
            v.cpu().flushTlb();
        }
    }

    /** evtchn_check_pollers: wake a vCPU polling exactly {@code port}, or polling several ports (§10.3). */
    public void wakePollers(int port) {
        for (Vcpu v : vcpus) {
            if (v.isBlocked() && (v.pollEvtchn() == 0 || v.pollEvtchn() == port)) {
                v.kick();
            }
        }
    }

    // ---- memory ----

    /** tot_pages: RAM frames the domain owns. */
    public long totPages() {
        return machine.framesOwnedBy(domid);
    }

    public long maxPages() {
        return maxPages;
    }

    public void setMaxPages(long v) {
        maxPages = v;
    }

    public byte[] sharedInfo() {
        return sharedInfo;
    }

    public long sharedInfoMfn() {
        return sharedInfoMfn;
    }

    public void setSharedInfo(long mfn) {
        sharedInfoMfn = mfn;
        sharedInfo = machine.frame(mfn);
    }

    public List<Long> grantFrameMfns() {
        return grantFrameMfns;
    }

    /** Active entries of this domain's grants and the maptrack of grants it has mapped (§12.3). */
    public org.pvhconf.xen.grant.GrantState grants() {
        return grants;
    }

    /** PIRQs handed out by PHYSDEVOP_get_free_pirq (PIRQ_ALLOCATED). */
    public java.util.BitSet allocatedPirqs() {
        return allocatedPirqs;
    }

    public int grantVersion() {
        return grantVersion;
    }

    public void setGrantVersion(int v) {
        grantVersion = v;
    }

    /** The memory map set by the toolstack (XENMEM_set_memory_map): {addr, size, type} entries. */
    public List<long[]> e820() {
        return e820;
    }

    public long hvmParam(int index) {
        return hvmParams[index];
    }

    public void setHvmParam(int index, long value) {
        hvmParams[index] = value;
    }

    /** The callback vector when HVM_PARAM_CALLBACK_IRQ is of type vector (§3.2), else -1. */
    public int callbackVector() {
        return callbackVector;
    }

    public void setCallbackVector(int v) {
        callbackVector = v;
    }

    public Object[] watchdogs() {
        return watchdogs;
    }

    public BuildInfo buildInfo() {
        return buildInfo;
    }

    public void setBuildInfo(BuildInfo b) {
        buildInfo = b;
    }

    // ---- shutdown (domain_shutdown, §12.1) ----

    public boolean isShutdown() {
        return shutdown;
    }

    /** null while running. */
    public ShutdownReason shutdownReason() {
        return shutdown ? ShutdownReason.of(finalCode) : null;
    }

    /** The raw code the domain shut down with (0..255), or -1 while running. */
    public int shutdownCode() {
        return shutdown ? finalCode : -1;
    }

    /** SCHEDOP_shutdown_code: records the code only if none is set yet. */
    public void recordShutdownCode(int code) {
        if (shutdownCode == -1) {
            shutdownCode = code & 0xFF;
        }
    }

    /** domain_shutdown: a code recorded earlier by shutdown_code takes precedence over {@code reason}. */
    public void shutdown(int reason) {
        if (shutdownCode == -1) {
            shutdownCode = reason & 0xFF;
        }
        if (shutdown) {
            return;
        }
        shutdown = true;
        finalCode = shutdownCode;
    }

    /** domain_crash: shut down with SHUTDOWN_crash and remember why. */
    public void crash(String why) {
        if (!shutdown && crashDetail == null) {
            crashDetail = why;
        }
        shutdown(Sched.SHUTDOWN_crash);
    }

    /**
     * A triple fault: the domain shuts down with {@code reason} (for PVHv1 params[TRIPLE_FAULT_REASON], never
     * set, so poweroff: §7.1, Appendix A.10), and the hypervisor remembers that it was a triple fault.
     */
    public void tripleFault(int reason, String detail) {
        if (!shutdown && crashDetail == null) {
            crashDetail = "triple fault: " + detail;
        }
        shutdown(reason);
    }

    /** Why the hypervisor itself stopped the domain (a crash or a triple fault), or null. */
    public String crashDetail() {
        return crashDetail;
    }

    // ---- console and trace ----

    public String consoleOutput() {
        return console.toString();
    }

    public void setConsoleListener(Consumer<String> l) {
        consoleListener = l == null ? s -> { } : l;
    }

    public void consoleWrite(String s) {
        if (!s.isEmpty()) {
            console.append(s);
            if (console.length() > CONSOLE_LIMIT) {
                console.delete(0, console.length() - CONSOLE_LIMIT / 2); // keep the newest output
            }
            consoleListener.accept(s);
        }
    }

    /** Characters of console output kept for {@link #consoleOutput}; the listener sees everything. */
    public static final int CONSOLE_LIMIT = 1 << 20;

    /** A copy of the trace, oldest first (at most {@link #TRACE_LIMIT} records). */
    public List<HypercallRecord> hypercallTrace() {
        return List.copyOf(trace);
    }

    public void recordHypercall(HypercallRecord r) {
        if (trace.size() == TRACE_LIMIT) {
            trace.removeFirst();
        }
        trace.addLast(r);
        hypercalls++;
    }

    public long hypercallCount() {
        return hypercalls;
    }

    public long instructionsRetired() {
        long n = 0;
        for (Vcpu v : vcpus) {
            n += v.cpu().retiredInstructions();
        }
        return n;
    }

    // ---- toolstack access to guest-physical memory (foreign mapping; not the guest ABI) ----

    public byte[] readGuestPhys(long gpa, int len) {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            int n = (int) Math.min(len - done, Xen.PAGE_SIZE - (a & (Xen.PAGE_SIZE - 1)));
            System.arraycopy(toolstackFrame(a), (int) (a & (Xen.PAGE_SIZE - 1)), out, done, n);
            done += n;
        }
        return out;
    }

    public void writeGuestPhys(long gpa, byte[] data) {
        int done = 0;
        while (done < data.length) {
            long a = gpa + done;
            int n = (int) Math.min(data.length - done, Xen.PAGE_SIZE - (a & (Xen.PAGE_SIZE - 1)));
            System.arraycopy(data, done, toolstackFrame(a), (int) (a & (Xen.PAGE_SIZE - 1)), n);
            done += n;
        }
    }

    public long readGuestPhysU64(long gpa) {
        return LittleEndian.u64(readGuestPhys(gpa, 8), 0);
    }

    public void writeGuestPhysU64(long gpa, long v) {
        byte[] b = new byte[8];
        LittleEndian.put64(b, 0, v);
        writeGuestPhys(gpa, b);
    }

    private byte[] toolstackFrame(long gpa) {
        long mfn = p2m.lookup(gpa >>> Xen.PAGE_SHIFT);
        if (mfn == P2m.INVALID_MFN) {
            throw new IllegalArgumentException(String.format("d%d: gpa 0x%x is not mapped in the p2m", domid, gpa));
        }
        return machine.frame(mfn);
    }

    @Override
    public String toString() {
        return "d" + domid;
    }
}
