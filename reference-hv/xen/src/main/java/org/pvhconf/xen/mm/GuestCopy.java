package org.pvhconf.xen.mm;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.mmu.PageWalk;
import org.pvhconf.xen.abi.Errno;
import org.pvhconf.xen.abi.Xen;

/**
 * copy_from_guest / copy_to_guest for an HVM container (§1.2): pointers are guest-linear addresses,
 * walked through the vCPU's current page tables by the CPU's own {@link PageWalk} (one walk for the
 * guest and the hypervisor alike, as Xen's guest_walk_tables), then the p2m. Like Xen's hvm_copy, the copy goes page
 * by page, so a fault part-way leaves the earlier pages written. Nothing here throws for a guest
 * address: every failure is -EFAULT.
 */
public final class GuestCopy {
    public GuestCopy() {
    }

    /** Copies {@code len} bytes at guest {@code va} into {@code dst[off..]}; 0 or -EFAULT. */
    public int fromGuest(Cpu cpu, long va, byte[] dst, int off, int len) {
        return copy(cpu, va, dst, off, len, false);
    }

    public int fromGuest(Cpu cpu, long va, byte[] dst) {
        return fromGuest(cpu, va, dst, 0, dst.length);
    }

    /** Copies {@code src[off..off+len)} to guest {@code va}; 0 or -EFAULT. */
    public int toGuest(Cpu cpu, long va, byte[] src, int off, int len) {
        return copy(cpu, va, src, off, len, true);
    }

    public int toGuest(Cpu cpu, long va, byte[] src) {
        return toGuest(cpu, va, src, 0, src.length);
    }

    /**
     * Reads a NUL-terminated string of at most {@code maxLen} bytes (the NUL not counted); returns null on
     * a fault. A string that reaches the cap is returned cut at the cap.
     */
    public String stringFromGuest(Cpu cpu, long va, int maxLen) {
        StringBuilder sb = new StringBuilder();
        byte[] one = new byte[1];
        for (int i = 0; i < maxLen; i++) {
            if (copy(cpu, va + i, one, 0, 1, false) != 0) {
                return null;
            }
            if (one[0] == 0) {
                break;
            }
            sb.append((char) (one[0] & 0xFF));
        }
        return sb.toString();
    }

    private int copy(Cpu cpu, long va, byte[] buf, int off, int len, boolean toGuest) {
        if (len < 0 || off < 0 || off + len > buf.length) {
            throw new IllegalArgumentException("bad host buffer range");
        }
        int done = 0;
        while (done < len) {
            long addr = va + done;
            int inPage = (int) Math.min(len - done, Xen.PAGE_SIZE - (addr & (Xen.PAGE_SIZE - 1)));
            int access = toGuest ? GuestPhysMemory.WRITE : GuestPhysMemory.READ;
            long gpa = PageWalk.translate(cpu, addr, access, false);
            if (gpa < 0) {
                return -Errno.EFAULT;
            }
            byte[] frame = cpu.memory().frame(gpa >>> Xen.PAGE_SHIFT, access);
            if (frame == null) {
                return -Errno.EFAULT;
            }
            int fo = (int) (gpa & (Xen.PAGE_SIZE - 1));
            if (toGuest) {
                System.arraycopy(buf, off + done, frame, fo, inPage);
            } else {
                System.arraycopy(frame, fo, buf, off + done, inPage);
            }
            done += inPage;
        }
        return 0;
    }
}
