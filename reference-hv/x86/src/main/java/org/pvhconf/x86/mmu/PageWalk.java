package org.pvhconf.x86.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;

/**
 * The page walks of Intel SDM Vol. 3 chapter 4 over guest-physical memory: 4-level IA-32e paging
 * (§4.5: 4 KiB, 2 MiB and 1 GiB pages), PAE paging (§4.4: 4 KiB and 2 MiB pages) and 32-bit paging
 * (§4.3: 4 KiB pages, 4 MiB pages with CR4.PSE, PSE-36 high bits); P, R/W with CR0.WP, U/S, XD with
 * EFER.NXE, CR4.SMEP, global pages with CR4.PGE, reserved bits, accessed and dirty bits set as
 * hardware sets them. PAE PDPTEs are read at each walk rather than cached at MOV CR3, and a
 * reserved bit in one is a reserved-bit #PF rather than the #GP of the CR3 load. Used by the CPU's {@link Mmu} to fill its TLB, and by the
 * hypervisor ({@link #translate}) for copy-from/to-guest.
 */
public final class PageWalk {
    /** {@link #translate}: the guest's own page tables deny the access (the guest would take #PF). */
    public static final long PAGE_FAULT = -1;
    /** {@link #translate}: a page-table frame is not mapped by the p2m. */
    public static final long P2M_FAULT = -2;

    /** The physical-address width this CPU implements; report it in CPUID 0x80000008 EAX[7:0]. */
    public static final int MAXPHYADDR = 46;

    /** #PF error-code bits (SDM Vol. 3 §4.7). */
    public static final int PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_I = 16;

    static final long P = 1, RW = 2, US = 4, A = 1 << 5, D = 1 << 6, PS = 1 << 7, XD = 1L << 63;
    static final long ADDR = ((1L << MAXPHYADDR) - 1) & ~0xFFFL;
    /** Bits between MAXPHYADDR and 51 must be zero in every entry. */
    static final long RSVD_HIGH = ((1L << 52) - 1) & ~((1L << MAXPHYADDR) - 1);

    static final long CR0_PG = 1L << 31, CR0_WP = 1L << 16, CR4_SMEP = 1L << 20, EFER_NXE = 1L << 11;
    static final long CR4_PSE = 1 << 4, CR4_PAE = 1 << 5, CR4_PGE = 1 << 7, EFER_LMA = 1 << 10, G = 1 << 8;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The outcome of one walk. */
    static final class Result {
        /** Guest-physical address of the accessed byte. */
        long gpa;
        /** Guest-physical address of the 4 KiB frame-aligned page for TLB purposes. */
        long gfn;
        /** Combined R/W, U/S over all levels; XD of any level; leaf dirty. */
        boolean writable, user, noExec, dirty;
        /** The leaf's G bit with CR4.PGE: the translation survives a CR3 load. */
        boolean global;
        /** On a guest fault: the #PF error code. */
        int errorCode;
        /** On a p2m fault: the unmapped guest-physical address. */
        long p2mGpa;
    }

    static final int OK = 0, FAULT = 1, P2M = 2;

    private PageWalk() {
    }

    /**
     * Translates {@code linear} for the hypervisor's copy-from/to-guest, as the guest's own access
     * would: with the guest's CR0/CR3/CR4/EFER, access checks for {@code access}
     * ({@link GuestPhysMemory#READ}, {@link GuestPhysMemory#WRITE} or {@link GuestPhysMemory#FETCH}) at
     * user or supervisor privilege, and A/D bits set as the guest's access would set them (as Xen's
     * {@code guest_walk_tables} does). It does not read or change the CPU's TLB. Never throws.
     *
     * @return the guest-physical address, or {@link #PAGE_FAULT} / {@link #P2M_FAULT}
     */
    public static long translate(Cpu cpu, long linear, int access, boolean user) {
        if ((cpu.cr0 & CR0_PG) != 0 && !canonical(linear)) {
            return PAGE_FAULT;
        }
        Result r = new Result();
        try {
            return switch (walk(cpu, linear, access, user, r)) {
                case OK -> r.gpa;
                case FAULT -> PAGE_FAULT;
                default -> P2M_FAULT;
            };
        } catch (RuntimeException e) {
            return P2M_FAULT; // a misbehaving p2m (bad frame array) must not escape into the hypervisor
        }
    }

    public static boolean canonical(long linear) {
        return (linear << 16) >> 16 == linear;
    }

    /**
     * Walks the tables for one access; fills {@code r}. Returns OK, FAULT (r.errorCode) or P2M (r.p2mGpa).
     * Sets accessed bits on every entry of a successful translation and the dirty bit of the leaf for
     * a permitted write.
     */
    static int walk(Cpu cpu, long linear, int access, boolean user, Result r) {
        boolean write = (access & GuestPhysMemory.WRITE) != 0;
        boolean fetch = (access & GuestPhysMemory.FETCH) != 0;
        if ((cpu.cr0 & CR0_PG) == 0) {
            r.gpa = linear & ((1L << MAXPHYADDR) - 1);
            r.gfn = r.gpa >>> 12;
            r.writable = r.user = r.dirty = true;
            r.noExec = false;
            r.global = false;
            return OK;
        }
        if ((cpu.efer & EFER_LMA) == 0) {
            return walkLegacy(cpu, linear & 0xFFFFFFFFL, access, user, r);
        }
        boolean nxe = (cpu.efer & EFER_NXE) != 0;
        boolean smep = (cpu.cr4 & CR4_SMEP) != 0;
        int baseCode = (write ? PF_W : 0) | (user ? PF_U : 0) | (fetch && (nxe || smep) ? PF_I : 0);
        GuestPhysMemory mem = cpu.memory();
        byte[][] frames = new byte[4][];
        int[] offsets = new int[4];
        long table = cpu.cr3 & ADDR;
        boolean rw = true, us = true, xd = false;
        long pte = 0;
        int level = 4;
        for (;; level--) {
            int shift = 12 + 9 * (level - 1);
            long pteAddr = table + ((linear >>> shift) & 511) * 8;
            byte[] f = mem.frame(pteAddr >>> 12, GuestPhysMemory.READ);
            if (f == null) {
                r.p2mGpa = pteAddr;
                return P2M;
            }
            int off = (int) (pteAddr & 0xFFF);
            pte = (long) LONG.get(f, off);
            frames[4 - level] = f;
            offsets[4 - level] = off;
            if ((pte & P) == 0) {
                r.errorCode = baseCode;
                return FAULT;
            }
            boolean leaf = level == 1 || (level <= 3 && (pte & PS) != 0);
            long rsvd = RSVD_HIGH | (nxe ? 0 : XD);
            if (level == 4) {
                rsvd |= PS;
            } else if (leaf && level == 3) {
                rsvd |= 0x3FFFE000L; // 1 GiB page: bits 29:13
            } else if (leaf && level == 2) {
                rsvd |= 0x1FE000L; // 2 MiB page: bits 20:13
            }
            if ((pte & rsvd) != 0) {
                r.errorCode = baseCode | PF_P | PF_RSVD;
                return FAULT;
            }
            rw &= (pte & RW) != 0;
            us &= (pte & US) != 0;
            xd |= (pte & XD) != 0;
            if (leaf) {
                break;
            }
            table = pte & ADDR;
        }
        long pageMask = (1L << (12 + 9 * (level - 1))) - 1;
        boolean denied = denied(cpu, access, user, rw, us, xd && nxe);
        int used = 4 - level + 1;
        for (int i = 0; i < used; i++) {
            setBits(frames[i], offsets[i], A);
        }
        if (denied) {
            r.errorCode = baseCode | PF_P;
            return FAULT;
        }
        if (write) {
            setBits(frames[used - 1], offsets[used - 1], D);
        }
        long frameBase = pte & ADDR & ~pageMask;
        r.gpa = frameBase | (linear & pageMask);
        r.gfn = r.gpa >>> 12;
        r.writable = rw;
        r.user = us;
        r.noExec = xd && nxe;
        r.dirty = write || (pte & D) != 0;
        r.global = (pte & G) != 0 && (cpu.cr4 & CR4_PGE) != 0;
        return OK;
    }

    /** PAE paging (CR4.PAE) or 32-bit paging, outside IA-32e mode; {@code linear} is 32 bits. */
    private static int walkLegacy(Cpu cpu, long linear, int access, boolean user, Result r) {
        boolean write = (access & GuestPhysMemory.WRITE) != 0;
        boolean fetch = (access & GuestPhysMemory.FETCH) != 0;
        boolean pae = (cpu.cr4 & CR4_PAE) != 0;
        boolean nxe = pae && (cpu.efer & EFER_NXE) != 0;
        boolean smep = (cpu.cr4 & CR4_SMEP) != 0;
        int baseCode = (write ? PF_W : 0) | (user ? PF_U : 0) | (fetch && (nxe || smep) ? PF_I : 0);
        GuestPhysMemory mem = cpu.memory();
        long table;
        int entryBytes = pae ? 8 : 4;
        if (pae) {
            long pdpteAddr = (cpu.cr3 & 0xFFFFFFE0L) + 8 * ((linear >>> 30) & 3);
            byte[] f = mem.frame(pdpteAddr >>> 12, GuestPhysMemory.READ);
            if (f == null) {
                r.p2mGpa = pdpteAddr;
                return P2M;
            }
            long pdpte = (long) LONG.get(f, (int) (pdpteAddr & 0xFFF));
            if ((pdpte & P) == 0) {
                r.errorCode = baseCode;
                return FAULT;
            }
            if ((pdpte & (RSVD_HIGH | XD | 0x1E6)) != 0) {
                r.errorCode = baseCode | PF_P | PF_RSVD;
                return FAULT;
            }
            table = pdpte & ADDR;
        } else {
            table = cpu.cr3 & 0xFFFFF000L;
        }
        byte[][] frames = new byte[2][];
        int[] offsets = new int[2];
        boolean rw = true, us = true, xd = false;
        long entry = 0;
        long pageMask = 0xFFF;
        long frameBase = 0;
        for (int level = 2; level >= 1; level--) {
            int shift = pae ? 12 + 9 * (level - 1) : 12 + 10 * (level - 1);
            long index = pae ? (linear >>> shift) & 511 : (linear >>> shift) & 1023;
            long addr = table + index * entryBytes;
            byte[] f = mem.frame(addr >>> 12, GuestPhysMemory.READ);
            if (f == null) {
                r.p2mGpa = addr;
                return P2M;
            }
            int off = (int) (addr & 0xFFF);
            entry = pae ? (long) LONG.get(f, off) : (int) INT.get(f, off) & 0xFFFFFFFFL;
            frames[2 - level] = f;
            offsets[2 - level] = off;
            if ((entry & P) == 0) {
                r.errorCode = baseCode;
                return FAULT;
            }
            boolean big = level == 2 && (entry & PS) != 0 && (pae || (cpu.cr4 & CR4_PSE) != 0);
            long rsvd = 0;
            if (pae) {
                rsvd = RSVD_HIGH | (nxe ? 0 : XD) | (big ? 0x1FE000L : 0);
            } else if (big) {
                rsvd = 1L << 21; // 4 MiB PDE: bit 21 (PSE-36 uses 20:13 for address bits 39:32)
            }
            if ((entry & rsvd) != 0) {
                r.errorCode = baseCode | PF_P | PF_RSVD;
                return FAULT;
            }
            rw &= (entry & RW) != 0;
            us &= (entry & US) != 0;
            xd |= pae && (entry & XD) != 0;
            if (big) {
                pageMask = pae ? 0x1FFFFF : 0x3FFFFF;
                frameBase = pae ? entry & ADDR & ~pageMask : (entry & 0xFFC00000L) | ((entry >>> 13) & 0xFF) << 32;
                break;
            }
            if (level == 1) {
                frameBase = pae ? entry & ADDR : entry & 0xFFFFF000L;
                break;
            }
            table = pae ? entry & ADDR : entry & 0xFFFFF000L;
        }
        int used = pageMask == 0xFFF ? 2 : 1;
        for (int i = 0; i < used; i++) {
            setBits32(frames[i], offsets[i], A);
        }
        if (denied(cpu, access, user, rw, us, xd && nxe)) {
            r.errorCode = baseCode | PF_P;
            return FAULT;
        }
        if (write) {
            setBits32(frames[used - 1], offsets[used - 1], D);
        }
        r.gpa = frameBase | (linear & pageMask);
        r.gfn = r.gpa >>> 12;
        r.writable = rw;
        r.user = us;
        r.noExec = xd && nxe;
        r.dirty = write || (entry & D) != 0;
        r.global = (entry & G) != 0 && (cpu.cr4 & CR4_PGE) != 0;
        return OK;
    }

    /** Sets A or D in the low word of an entry (4 or 8 bytes: both keep those bits in bits 5 and 6). */
    private static void setBits32(byte[] f, int off, long bits) {
        int v = (int) INT.get(f, off);
        if ((v & bits) != bits) {
            INT.set(f, off, v | (int) bits);
        }
    }

    /** The permission rule of SDM Vol. 3 §4.6 for combined entry rights {@code rw}, {@code us}, {@code noExec}. */
    static boolean denied(Cpu cpu, int access, boolean user, boolean rw, boolean us, boolean noExec) {
        boolean write = (access & GuestPhysMemory.WRITE) != 0;
        boolean fetch = (access & GuestPhysMemory.FETCH) != 0;
        return user && !us
                || write && !rw && (user || (cpu.cr0 & CR0_WP) != 0)
                || fetch && noExec
                || fetch && !user && us && (cpu.cr4 & CR4_SMEP) != 0;
    }

    /** The #PF error code for an access denied by {@link #denied}. */
    static int protectionCode(Cpu cpu, int access, boolean user) {
        boolean fetch = (access & GuestPhysMemory.FETCH) != 0;
        boolean ifBit = fetch && ((cpu.efer & EFER_NXE) != 0 || (cpu.cr4 & CR4_SMEP) != 0);
        return PF_P | ((access & GuestPhysMemory.WRITE) != 0 ? PF_W : 0) | (user ? PF_U : 0) | (ifBit ? PF_I : 0);
    }

    private static void setBits(byte[] f, int off, long bits) {
        long v = (long) LONG.get(f, off);
        if ((v & bits) != bits) {
            LONG.set(f, off, v | bits);
        }
    }
}
