package org.pvhconf.stubs.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.TreeMap;
import org.pvhconf.stubs.elf.Elf;
import org.pvhconf.stubs.elf.ElfFile;
import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.GuestPhysMemory;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.x86.interp.Interpreter;

/**
 * Just enough of a PVHv1 domain builder to run a stub on the CPU without the hypervisor: guest
 * memory as a map of frames (identity p2m), the kernel's PT_LOAD segments at p_paddr, a linear map
 * of the first 4 MiB from VIRT_BASE built as §7.1 describes, a filled Intel hypercall page (§1.3),
 * a start_info page, a boot stack, and the vCPU state of §7.1.
 */
final class PvhTestMachine implements GuestPhysMemory {
    static final long VIRT_BASE = 0xFFFFFFFF80000000L;
    private static final int PAGE = 4096;
    /** §7.1 PTE flags: L1 = P|RW|A, upper levels = P|RW|A|D|U. */
    private static final long L1_FLAGS = 0x023;
    private static final long UPPER_FLAGS = 0x067;
    /** Pseudo-physical frames used for the builder's pages, above any stub image. */
    private static final long START_INFO_PFN = 0x200;
    private static final long L4_PFN = 0x201;
    private static final long L3_PFN = 0x202;
    private static final long L2_PFN = 0x203;
    private static final long L1_PFN = 0x204;   // and 0x205: two L1s map 4 MiB
    private static final long STACK_PFN = 0x206;

    private final TreeMap<Long, byte[]> frames = new TreeMap<>();

    @Override
    public byte[] frame(final long gfn, final int access) {
        return frames.get(gfn);
    }

    /** The engine to run guest code with: the CPU's interpreter. */
    static Cpu.Engine engine() {
        return new Interpreter();
    }

    /** Loads the kernel, builds page tables and the hypercall page, and returns a vCPU at its entry. */
    Cpu boot(final StubImage kernel, final Cpu.Engine engine) {
        byte[] elf = kernel.elf();
        ElfFile f = ElfFile.parse(elf);
        for (ElfFile.ProgramHeader p : f.programHeaders()) {
            if (p.type() == Elf.PT_LOAD) {
                for (long off = 0; off < p.memsz(); off++) {
                    byte b = off < p.filesz() ? elf[(int) (p.offset() + off)] : 0;
                    write8(p.paddr() + off, b);
                }
            }
        }
        // Linear map VIRT_BASE + n*4K -> pfn n, n < 1024: L4[511] -> L3[510] -> L2[0..1] -> two L1s.
        write64(L4_PFN * PAGE + 511 * 8, L3_PFN * PAGE | UPPER_FLAGS);
        write64(L3_PFN * PAGE + 510 * 8, L2_PFN * PAGE | UPPER_FLAGS);
        for (int i = 0; i < 2; i++) {
            write64(L2_PFN * PAGE + i * 8L, (L1_PFN + i) * PAGE | UPPER_FLAGS);
        }
        for (long pfn = 0; pfn < 1024; pfn++) {
            write64(L1_PFN * PAGE + pfn * 8, pfn * PAGE | L1_FLAGS);
        }
        write64(STACK_PFN * PAGE, 0);
        writeBytes(START_INFO_PFN * PAGE, "xen-3.0-x86_64\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        fillHypercallPage(kernel.symbol("hypercall_page") - VIRT_BASE);

        Cpu cpu = new Cpu(this, engine);
        cpu.rip = f.entry();
        cpu.gpr[6] = VIRT_BASE + START_INFO_PFN * PAGE;       // RSI
        cpu.gpr[4] = VIRT_BASE + (STACK_PFN + 1) * PAGE;      // RSP
        cpu.rflags = 0x202;
        cpu.cr0 = 0x80000011L;
        cpu.cr4 = 0x20;
        cpu.efer = 0x501;
        cpu.cr3 = L4_PFN * PAGE;
        cpu.segment(SegReg.CS).set(0, 0, 0xFFFFFFFF, 0xA09B);
        for (SegReg s : new SegReg[]{SegReg.SS, SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS}) {
            cpu.segment(s).set(0, 0, 0xFFFFFFFF, 0xC093);
        }
        cpu.segment(SegReg.LDTR).set(0, 0, 0, 0x0082);
        cpu.segment(SegReg.TR).set(0, 0, 0xFF, 0x008B);
        return cpu;
    }

    /** §1.3, Intel: 0xCC everywhere, then "mov $i,%eax; vmcall; ret" in each 32-byte slot but 23, which gets ud2. */
    private void fillHypercallPage(final long gpa) {
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) 0xCC);
        for (int i = 0; i < PAGE / 32; i++) {
            int at = i * 32;
            if (i == 23) {
                page[at] = 0x0F;
                page[at + 1] = 0x0B;
                continue;
            }
            page[at] = (byte) 0xB8;
            ByteBuffer.wrap(page, at + 1, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(i);
            page[at + 5] = 0x0F;
            page[at + 6] = 0x01;
            page[at + 7] = (byte) 0xC1;
            page[at + 8] = (byte) 0xC3;
        }
        writeBytes(gpa, page);
    }

    /** Reads guest memory at a virtual address of the linear map. */
    byte[] readVirtual(final long va, final int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long gpa = va - VIRT_BASE + i;
            out[i] = frames.get(gpa / PAGE)[(int) (gpa % PAGE)];
        }
        return out;
    }

    private void write8(final long gpa, final byte b) {
        frames.computeIfAbsent(gpa / PAGE, k -> new byte[PAGE])[(int) (gpa % PAGE)] = b;
    }

    private void writeBytes(final long gpa, final byte[] b) {
        for (int i = 0; i < b.length; i++) {
            write8(gpa + i, b[i]);
        }
    }

    private void write64(final long gpa, final long v) {
        for (int i = 0; i < 8; i++) {
            write8(gpa + i, (byte) (v >>> (8 * i)));
        }
    }
}
