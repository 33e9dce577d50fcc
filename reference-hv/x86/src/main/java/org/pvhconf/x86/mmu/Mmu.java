package org.pvhconf.x86.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.VmExit;
import org.pvhconf.x86.fault.ExitRequest;
import org.pvhconf.x86.fault.Fault;

/**
 * Linear-address memory access for one CPU: a direct-mapped TLB over {@link PageWalk}, caching both
 * stages (the guest walk's rights and the p2m's frame arrays). Faults are thrown: {@link Fault} #PF
 * for the guest's page tables, {@link ExitRequest} EPT_VIOLATION for the p2m, always before any byte
 * of the access is written (a store that spans two pages translates both first).
 *
 * <p>{@code user} is true for an explicit access at CPL 3 and false for supervisor and implicit
 * (descriptor-table, TSS, delivery-stack at CPL 0) accesses.
 */
public final class Mmu {
    private static final int TLB_BITS = 8, TLB_SIZE = 1 << TLB_BITS;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cpu cpu;
    private final long[] vpn = new long[TLB_SIZE];
    private final long[] gfn = new long[TLB_SIZE];
    private final boolean[] writable = new boolean[TLB_SIZE], user = new boolean[TLB_SIZE],
            noExec = new boolean[TLB_SIZE], dirty = new boolean[TLB_SIZE], global = new boolean[TLB_SIZE];
    private final byte[][] readFrame = new byte[TLB_SIZE][], writeFrame = new byte[TLB_SIZE][],
            fetchFrame = new byte[TLB_SIZE][];
    private final PageWalk.Result walk = new PageWalk.Result();
    private WriteWatch watch;

    /**
     * Told about writes to watched guest frames (a JIT's frames holding translated code). The check is
     * made when a write translation enters the TLB, never on the store fast path: a watched frame's
     * write translation is simply not cached, so every write to it comes back here.
     */
    public interface WriteWatch {
        /** True while {@code gfn} holds translated code. */
        boolean watched(long gfn);

        /** A write to {@code gfn} is about to happen (called before any byte is written). */
        void written(long gfn);
    }

    public void setWriteWatch(WriteWatch w) {
        watch = w;
    }

    /**
     * Told when the TLB stops holding a translation, so that a cache in front of it (the JIT's page
     * caches) holds nothing the TLB does not: a page is evicted by a walk that refills its entry
     * (for another page or the same one) or by INVLPG; a flush drops them all.
     */
    public interface Listener {
        void evicted(long linearPage);

        void flushed();
    }

    private Listener listener;

    public void setListener(Listener l) {
        listener = l;
    }

    /** Drops the cached write translations of {@code gfn}, so that its next write consults the watch. */
    public void forgetWrites(long frame) {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (gfn[i] == frame) {
                writeFrame[i] = null;
            }
        }
    }

    /** The guest-physical address of {@code linear} for {@code access}, through the TLB (faults as an access would). */
    public long physical(long linear, int access, boolean isUser) {
        frame(linear, access, isUser);
        return gfn[(int) ((linear >>> 12) & (TLB_SIZE - 1))] << 12 | (linear & 0xFFF);
    }

    public Mmu(Cpu cpu) {
        this.cpu = cpu;
        flush();
    }

    /** Forgets every translation (MOV CR3, CR0/CR4 paging bits, EFER, p2m change). */
    public void flush() {
        java.util.Arrays.fill(vpn, -1L);
        if (listener != null) {
            listener.flushed();
        }
    }

    /** Forgets every translation but global ones (a CR3 load with CR4.PGE; SDM Vol. 3 §4.10.2.4). */
    public void flushNonGlobal() {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (!global[i]) {
                vpn[i] = -1L;
            }
        }
        if (listener != null) {
            listener.flushed();
        }
    }

    /** Forgets the translation of one linear page (INVLPG). */
    public void flushPage(long linear) {
        int i = (int) ((linear >>> 12) & (TLB_SIZE - 1));
        if (listener != null && vpn[i] >= 0) {
            listener.evicted(vpn[i]);
        }
        vpn[i] = -1L;
    }

    // ---- accesses ----

    /** Reads {@code size} bits (8..64) at {@code linear}, zero-extended. */
    public long read(long linear, int size, boolean user) {
        int bytes = size >>> 3;
        int off = (int) (linear & 0xFFF);
        if (off + bytes <= 4096) {
            byte[] f = frame(linear, GuestPhysMemory.READ, user);
            return get(f, off, size);
        }
        byte[] f1 = frame(linear, GuestPhysMemory.READ, user);
        byte[] f2 = frame(linear + bytes, GuestPhysMemory.READ, user);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            int o = off + i;
            long b = o < 4096 ? f1[o] & 0xFF : f2[o - 4096] & 0xFF;
            v |= b << (8 * i);
        }
        return v;
    }

    /** Writes the low {@code size} bits of {@code value} at {@code linear}; both pages are checked before either is written. */
    public void write(long linear, int size, long value, boolean user) {
        int bytes = size >>> 3;
        int off = (int) (linear & 0xFFF);
        if (off + bytes <= 4096) {
            byte[] f = frame(linear, GuestPhysMemory.WRITE, user);
            put(f, off, size, value);
            return;
        }
        byte[] f1 = frame(linear, GuestPhysMemory.WRITE, user);
        byte[] f2 = frame(linear + bytes, GuestPhysMemory.WRITE, user);
        for (int i = 0; i < bytes; i++) {
            int o = off + i;
            byte b = (byte) (value >>> (8 * i));
            if (o < 4096) {
                f1[o] = b;
            } else {
                f2[o - 4096] = b;
            }
        }
    }

    /** Checks that {@code bytes} bytes at {@code linear} are writable, without writing (delivery frames, ENTER). */
    public void probeWrite(long linear, int bytes, boolean user) {
        frame(linear, GuestPhysMemory.WRITE, user);
        frame(linear + bytes - 1, GuestPhysMemory.WRITE, user);
    }

    /** One instruction byte. */
    public int fetch(long linear, boolean user) {
        return frame(linear, GuestPhysMemory.FETCH, user)[(int) (linear & 0xFFF)] & 0xFF;
    }

    /** The frame array holding {@code linear} for this access, from the TLB or a walk. */
    public byte[] frame(long linear, int access, boolean isUser) {
        long page = linear >>> 12;
        int i = (int) (page & (TLB_SIZE - 1));
        boolean write = access == GuestPhysMemory.WRITE;
        if (vpn[i] != page || write && !dirty[i]) {
            fill(i, linear, access, isUser);
        } else if (PageWalk.denied(cpu, access, isUser, writable[i], user[i], noExec[i])) {
            throw pageFault(linear, PageWalk.protectionCode(cpu, access, isUser));
        }
        byte[] f = switch (access) {
            case GuestPhysMemory.READ -> readFrame[i];
            case GuestPhysMemory.WRITE -> writeFrame[i];
            default -> fetchFrame[i];
        };
        if (f == null) {
            f = cpu.memory().frame(gfn[i], access);
            if (f == null) {
                throw new ExitRequest(VmExit.eptViolation((gfn[i] << 12) | (linear & 0xFFF), access));
            }
            if (write && watch != null && watch.watched(gfn[i])) {
                watch.written(gfn[i]); // not cached: the next write to this frame asks again
                return f;
            }
            switch (access) {
                case GuestPhysMemory.READ -> readFrame[i] = f;
                case GuestPhysMemory.WRITE -> writeFrame[i] = f;
                default -> fetchFrame[i] = f;
            }
        }
        return f;
    }

    private void fill(int i, long linear, int access, boolean isUser) {
        if ((cpu.cr0 & PageWalk.CR0_PG) != 0 && !PageWalk.canonical(linear)) {
            throw Fault.gp(0); // callers check canonical form first; this is the backstop
        }
        PageWalk.Result r = walk;
        switch (PageWalk.walk(cpu, linear, access, isUser, r)) {
            case PageWalk.OK -> { }
            case PageWalk.FAULT -> throw pageFault(linear, r.errorCode);
            default -> throw new ExitRequest(VmExit.eptViolation(r.p2mGpa, GuestPhysMemory.READ));
        }
        long page = linear >>> 12;
        if (listener != null && vpn[i] >= 0) {
            listener.evicted(vpn[i]);
        }
        boolean sameFrame = vpn[i] == page && gfn[i] == r.gfn;
        vpn[i] = page;
        gfn[i] = r.gfn;
        writable[i] = r.writable;
        user[i] = r.user;
        noExec[i] = r.noExec;
        dirty[i] = r.dirty;
        global[i] = r.global;
        if (!sameFrame) {
            readFrame[i] = writeFrame[i] = fetchFrame[i] = null;
        }
    }

    private static Fault pageFault(long linear, int code) {
        return Fault.pf(linear, code);
    }

    /** Reads a little-endian value of {@code size} bits (8, 16, 32, 64) from a frame; shared with the JIT. */
    public static long get(byte[] f, int off, int size) {
        return switch (size) {
            case 8 -> get8(f, off);
            case 16 -> get16(f, off);
            case 32 -> get32(f, off);
            default -> get64(f, off);
        };
    }

    /** Writes a little-endian value of {@code size} bits into a frame; shared with the JIT. */
    public static void put(byte[] f, int off, int size, long v) {
        switch (size) {
            case 8 -> put8(f, off, v);
            case 16 -> put16(f, off, v);
            case 32 -> put32(f, off, v);
            default -> put64(f, off, v);
        }
    }

    // One method per size: translated code calls these directly, small enough for C2 to inline anywhere.

    public static long get8(byte[] f, int off) {
        return f[off] & 0xFFL;
    }

    public static long get16(byte[] f, int off) {
        return (short) SHORT.get(f, off) & 0xFFFFL;
    }

    public static long get32(byte[] f, int off) {
        return (int) INT.get(f, off) & 0xFFFFFFFFL;
    }

    public static long get64(byte[] f, int off) {
        return (long) LONG.get(f, off);
    }

    public static void put8(byte[] f, int off, long v) {
        f[off] = (byte) v;
    }

    public static void put16(byte[] f, int off, long v) {
        SHORT.set(f, off, (short) v);
    }

    public static void put32(byte[] f, int off, long v) {
        INT.set(f, off, (int) v);
    }

    public static void put64(byte[] f, int off, long v) {
        LONG.set(f, off, v);
    }
}
