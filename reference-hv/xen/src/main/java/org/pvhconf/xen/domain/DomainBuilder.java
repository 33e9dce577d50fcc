package org.pvhconf.xen.domain;

import static org.pvhconf.xen.abi.Xen.PAGE_SHIFT;
import static org.pvhconf.xen.abi.Xen.PAGE_SIZE;

import java.util.function.Supplier;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.Reg;
import org.pvhconf.xen.XenProfile;
import org.pvhconf.xen.abi.BootState;
import org.pvhconf.xen.abi.Elf;
import org.pvhconf.xen.abi.Features;
import org.pvhconf.xen.abi.GrantTable;
import org.pvhconf.xen.abi.Memory;
import org.pvhconf.xen.abi.SharedInfo;
import org.pvhconf.xen.abi.StartInfo;
import org.pvhconf.xen.abi.Xen;
import org.pvhconf.xen.event.EventChannels;
import org.pvhconf.xen.hypercall.HypercallPageInit;
import org.pvhconf.xen.mm.FrameAllocator;
import org.pvhconf.xen.mm.LittleEndian;
import org.pvhconf.xen.mm.P2m;

/**
 * The PVHv1 domain builder: what xl, libxl and libxc 4.4 do for a {@code pvh=1} domain, in their order
 * (§5–§7): the configuration checks, the ELF and its Xen notes, the feature check, memory population,
 * the virtual layout (kernel, phys2mach, start_info, xenstore, console, shared_info, page tables, boot
 * stack), start_info, shared_info, grant seeding, the memory map, the hypercall page and vCPU0.
 */
public final class DomainBuilder {
    private static final int MIB_PAGES = (1 << 20) / PAGE_SIZE;

    private final FrameAllocator machine;
    private final Supplier<Cpu.Engine> engines;
    private final XenProfile profile;

    public DomainBuilder(FrameAllocator machine, Supplier<Cpu.Engine> engines, XenProfile profile) {
        this.machine = machine;
        this.engines = engines;
        this.profile = profile;
    }

    /** The parsed and checked image: everything decided before a single frame is allocated. */
    private static final class Plan {
        ElfImage elf;
        ElfNotes notes;
        long virtBase, virtOffset, kstart, kend, entry, hypercallPage = -1;
        long nrPages;
        long kernelPfn, p2mPfn, p2mPages, startInfoPfn, storePfn, consolePfn, sharedInfoPfn;
        long pgtablesPfn, bootStackPfn, virtPgtabEnd;
        int pgL4, pgL3, pgL2, pgL1;
    }

    public Domain build(int domid, DomainConfig cfg, byte[] kernel) throws BuildRefusedException {
        checkConfig(cfg);
        Plan plan = new Plan();
        plan.elf = ElfImage.parse(kernel);
        plan.notes = ElfNotes.read(plan.elf);
        checkNotes(plan.notes);
        computeAddresses(plan);
        checkFeatures(plan.notes);
        checkHypercallPage(plan);
        layout(plan, cfg);
        return construct(domid, cfg, plan);
    }

    // ---- §5.3: the toolstack's decisions, before the kernel is looked at ----

    private static void checkConfig(DomainConfig cfg) throws BuildRefusedException {
        if (!cfg.pvh()) {
            throw new BuildRefusedException("config-pvh", "pvh=0 asks for a PV guest; this reference runs only"
                    + " PVH guests: set pvh=1 (an xl config without pvh= is a PV guest)");
        }
        if (Boolean.FALSE.equals(cfg.hap())) {
            throw new BuildRefusedException("config-hap", "HAP must be on for PVH (hap=0 with pvh=1)");
        }
        if (cfg.memoryMiB() < 1) {
            throw new BuildRefusedException("config-memory", "memory=" + cfg.memoryMiB() + " MiB");
        }
        if (cfg.maxmemMiB() < cfg.memoryMiB()) {
            throw new BuildRefusedException("config-maxmem", "maxmem=" + cfg.maxmemMiB()
                    + " MiB is below memory=" + cfg.memoryMiB() + " MiB");
        }
        if (cfg.vcpus() < 1 || cfg.vcpus() > Xen.XEN_LEGACY_MAX_VCPUS) {
            throw new BuildRefusedException("config-vcpus", "vcpus=" + cfg.vcpus()
                    + ": this reference supports 1.." + Xen.XEN_LEGACY_MAX_VCPUS + " (vcpu_info in shared_info)");
        }
    }

    // ---- §5.1/§5.2: elf_xen_note_check ----

    private static void checkNotes(ElfNotes n) throws BuildRefusedException {
        if (n.notesSeen == 0) {
            if (n.legacyGuestSection) {
                throw new BuildRefusedException("notes-legacy", "only a legacy " + Elf.XEN_GUEST_SECTION
                        + " section, no Xen ELF notes; this reference reads notes only (§5.4)");
            }
            throw new BuildRefusedException("notes-missing",
                    "not a Xen-ELF image: no Xen notes in PT_NOTE or SHT_NOTE and no __xen_guest section");
        }
        if (!n.loader.startsWith("generic") && !n.guestOs.startsWith("linux")) {
            throw new BuildRefusedException("notes-loader", "LOADER \"" + n.loader
                    + "\" does not start with \"generic\" and GUEST_OS \"" + n.guestOs
                    + "\" does not start with \"linux\"");
        }
        if (!n.xenVersion.startsWith("xen-3.0")) {
            throw new BuildRefusedException("notes-xen-version", "XEN_VERSION \"" + n.xenVersion
                    + "\" does not start with \"xen-3.0\"");
        }
    }

    // ---- §5.2: elf_xen_addr_calc_check ----

    private static void computeAddresses(Plan p) throws BuildRefusedException {
        ElfNotes n = p.notes;
        if (n.paddrOffset != null && n.virtBase == null) {
            throw new BuildRefusedException("notes-paddr-offset", String.format(
                    "PADDR_OFFSET 0x%x is set but VIRT_BASE is not", n.paddrOffset));
        }
        p.virtBase = n.virtBase != null ? n.virtBase : 0;
        long paddrOffset = n.paddrOffset != null ? n.paddrOffset : 0;
        p.virtOffset = p.virtBase - paddrOffset;
        p.kstart = p.elf.pstart + p.virtOffset;
        p.kend = p.elf.pend + p.virtOffset;
        p.entry = n.entry != null ? n.entry : p.elf.entry;
        if (Long.compareUnsigned(p.kstart, p.kend) > 0 || Long.compareUnsigned(p.entry, p.kstart) < 0
                || Long.compareUnsigned(p.entry, p.kend) > 0 || Long.compareUnsigned(p.virtBase, p.kstart) > 0) {
            throw new BuildRefusedException("notes-addresses", String.format(
                    "need virt_base <= virt_kstart <= entry <= virt_kend, found virt_base 0x%x virt_kstart 0x%x"
                            + " entry 0x%x virt_kend 0x%x", p.virtBase, p.kstart, p.entry, p.kend));
        }
        if (n.initP2m != null && Long.compareUnsigned(n.initP2m, p.kstart) >= 0
                && Long.compareUnsigned(n.initP2m, p.kend) < 0) {
            throw new BuildRefusedException("notes-init-p2m", String.format(
                    "INIT_P2M 0x%x lies inside the kernel [0x%x, 0x%x)", n.initP2m, p.kstart, p.kend));
        }
    }

    // ---- §5.3: xc_dom_parse_image's feature check ----

    private static void checkFeatures(ElfNotes n) throws BuildRefusedException {
        ElfNotes requested = new ElfNotes();
        requested.parseFeatures(Features.PVH_REQUESTED);
        int active = requested.featuresSupported | n.featuresRequired;
        int missing = active & ~n.featuresSupported;
        if (missing != 0) {
            StringBuilder names = new StringBuilder();
            for (int bit = 0; bit < 32; bit++) {
                if ((missing & (1 << bit)) != 0) {
                    names.append(names.length() == 0 ? "" : ", ").append(Features.name(bit));
                }
            }
            throw new BuildRefusedException("features", "unsupported feature requested: " + names
                    + " (a PVH kernel must support " + Features.PVH_REQUESTED + "; FEATURES was \""
                    + (n.features == null ? "" : n.features) + "\")");
        }
    }

    /** §1.4: the note holds the VA of a page-aligned page inside the kernel image. */
    private static void checkHypercallPage(Plan p) throws BuildRefusedException {
        Long hp = p.notes.hypercallPage;
        if (hp == null) {
            return;
        }
        if ((hp & (PAGE_SIZE - 1)) != 0) {
            throw new BuildRefusedException("notes-hypercall-page", String.format(
                    "HYPERCALL_PAGE 0x%x is not page-aligned", hp));
        }
        long imageEnd = roundUp(p.kend);
        if (Long.compareUnsigned(hp, p.kstart) < 0 || Long.compareUnsigned(hp + PAGE_SIZE, imageEnd) > 0) {
            throw new BuildRefusedException("notes-hypercall-page", String.format(
                    "HYPERCALL_PAGE 0x%x is outside the kernel image [0x%x, 0x%x)", hp, p.kstart, imageEnd));
        }
        p.hypercallPage = hp;
    }

    // ---- §7.1: xc_dom_build_image's segment order and count_pgtables ----

    private static void layout(Plan p, DomainConfig cfg) throws BuildRefusedException {
        p.nrPages = (long) cfg.memoryMiB() * MIB_PAGES;
        if ((p.kstart & (PAGE_SIZE - 1)) != 0) {
            throw new BuildRefusedException("kernel-alignment", String.format(
                    "the kernel segment start 0x%x is not page-aligned", p.kstart));
        }
        long[] allocEnd = {p.kstart};
        p.kernelPfn = pfn(p, p.kstart);
        long kernelPages = (p.kend - p.kstart + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        alloc(p, allocEnd, kernelPages, "kernel");
        p.p2mPages = (p.nrPages * 8 + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        p.p2mPfn = alloc(p, allocEnd, p.p2mPages, "phys2mach");
        p.startInfoPfn = alloc(p, allocEnd, 1, "start info");
        p.storePfn = alloc(p, allocEnd, 1, "xenstore");
        p.consolePfn = alloc(p, allocEnd, 1, "console");
        p.sharedInfoPfn = alloc(p, allocEnd, 1, "shared info");
        countPgtables(p, allocEnd[0]);
        p.pgtablesPfn = alloc(p, allocEnd, p.pgL4 + p.pgL3 + p.pgL2 + p.pgL1, "page tables");
        p.bootStackPfn = alloc(p, allocEnd, 1, "boot stack");
    }

    private static long alloc(Plan p, long[] allocEnd, long pages, String what) throws BuildRefusedException {
        long start = allocEnd[0];
        long pfn = pfn(p, start);
        if (pfn + pages > p.nrPages) {
            throw new BuildRefusedException("memory-too-small", String.format(
                    "the %s segment needs pfns 0x%x-0x%x but memory gives %d pages (0x%x)",
                    what, pfn, pfn + pages - 1, p.nrPages, p.nrPages));
        }
        allocEnd[0] = start + pages * PAGE_SIZE;
        return pfn;
    }

    private static void countPgtables(Plan p, long virtAllocEnd) throws BuildRefusedException {
        int extra = 1 /* boot stack */ + BootState.PGTAB_PADDING_PAGES; // + extra_pages, always 0 in 4.4
        long pages = extra;
        long mask = (1L << BootState.PGTAB_END_ALIGN_BITS) - 1;
        while (true) {
            long tryVirtEnd = (virtAllocEnd + pages * PAGE_SIZE) | mask; // inclusive, 4 MiB - 1 aligned
            long tryPfnEnd = (tryVirtEnd - p.virtBase) >>> PAGE_SHIFT;
            if (tryPfnEnd > p.nrPages) {
                throw new BuildRefusedException("memory-initial-mapping", String.format(
                        "not enough memory for initial mapping (0x%x > 0x%x)", tryPfnEnd, p.nrPages));
            }
            p.pgL4 = nrPageTables(p.virtBase, tryVirtEnd, BootState.L4_SPAN_BITS);
            p.pgL3 = nrPageTables(p.virtBase, tryVirtEnd, BootState.L3_SPAN_BITS);
            p.pgL2 = nrPageTables(p.virtBase, tryVirtEnd, BootState.L2_SPAN_BITS);
            p.pgL1 = nrPageTables(p.virtBase, tryVirtEnd, BootState.L1_SPAN_BITS);
            pages = p.pgL4 + p.pgL3 + p.pgL2 + p.pgL1 + extra;
            if (Long.compareUnsigned(virtAllocEnd + pages * PAGE_SIZE, tryVirtEnd + 1) <= 0) {
                p.virtPgtabEnd = tryVirtEnd + 1;
                return;
            }
        }
    }

    /** Tables of one level needed to cover [start, end] when one table spans 2^bits bytes. */
    private static int nrPageTables(long start, long end, int bits) {
        long mask = (1L << bits) - 1;
        return (int) (((end | mask) - (start & ~mask)) >>> bits) + 1;
    }

    // ---- construction: nothing below refuses except for host memory ----

    private Domain construct(int domid, DomainConfig cfg, Plan p) throws BuildRefusedException {
        Domain d = new Domain(domid, cfg, machine);
        d.setMaxPages((long) cfg.maxmemMiB() * MIB_PAGES);
        P2m p2m = d.p2m();
        for (long gfn = 0; gfn < p.nrPages; gfn++) {      // populate_physmap (§6.2)
            long mfn = machine.allocate(domid);
            if (mfn < 0) {
                throw new BuildRefusedException("memory-host", "the machine has no free frame for gfn 0x"
                        + Long.toHexString(gfn) + " of " + p.nrPages + " pages");
            }
            p2m.set(gfn, mfn, P2m.Type.RAM_RW);
        }
        loadSegments(d, p);
        for (long i = 0; i < p.nrPages; i++) {             // phys2mach: the identity for PVH (§6.1)
            d.writeGuestPhysU64((p.p2mPfn << PAGE_SHIFT) + i * 8, i);
        }
        setupPgtables(d, p);
        EventChannels ev = d.evtchn();                    // libxl: store port, then console port, to dom0
        int storePort = ev.allocate(EventChannels.State.UNBOUND);
        int consolePort = ev.allocate(EventChannels.State.UNBOUND);
        writeStartInfo(d, p, cfg, storePort, consolePort);
        mapSharedInfo(d, p);
        seedGrantTable(d, p);
        // §6.2: libxl's one E820_RAM entry from 0, (maxmem + slack 0) KiB.
        d.e820().add(new long[] {0, (long) cfg.maxmemMiB() << 20, Memory.E820_RAM});
        if (p.hypercallPage != -1) {
            HypercallPageInit.initialise(machine.frame(p2m.lookup(pfn(p, p.hypercallPage))));
        }
        for (int i = 0; i < cfg.vcpus(); i++) {
            d.addVcpu(new Cpu(p2m, engines.get()));
        }
        Vcpu v0 = d.vcpu(0);
        setEntryState(v0.cpu(), va(p, p.startInfoPfn), va(p, p.bootStackPfn + 1), p.entry,
                p.pgtablesPfn << PAGE_SHIFT);
        v0.setInitialised(true);
        v0.setDown(false);
        d.setBuildInfo(new BuildInfo(p.virtBase, p.kstart, p.kend, p.entry, va(p, p.startInfoPfn),
                p.startInfoPfn << PAGE_SHIFT, p.sharedInfoPfn << PAGE_SHIFT, va(p, p.pgtablesPfn),
                p.pgL4 + p.pgL3 + p.pgL2 + p.pgL1, va(p, p.p2mPfn), va(p, p.bootStackPfn + 1), p.hypercallPage,
                p.nrPages, p.virtPgtabEnd, p.storePfn, storePort, p.consolePfn, consolePort,
                p.notes.featuresSupported, p.notes.featuresRequired));
        return d;
    }

    /** Each loadable segment at gpfn = (va − virt_base) >> 12, va = p_paddr + virt_offset (§5.2, §7.1). */
    private static void loadSegments(Domain d, Plan p) {
        for (ElfImage.Phdr ph : p.elf.phdrs) {
            if (!ph.loadable() || ph.filesz() == 0) {
                continue;
            }
            long gpa = ph.paddr() + p.virtOffset - p.virtBase;
            byte[] data = new byte[(int) ph.filesz()];
            System.arraycopy(p.elf.bytes, (int) ph.offset(), data, 0, data.length);
            d.writeGuestPhys(gpa, data);
        }
    }

    /** setup_pgtables_x86_64: a linear 4 KiB map of [virt_base, virt_pgtab_end), L4 first (§7.1). */
    private static void setupPgtables(Domain d, Plan p) {
        long l4 = p.pgtablesPfn;
        long nextL3 = l4 + p.pgL4, nextL2 = nextL3 + p.pgL3, nextL1 = nextL2 + p.pgL2;
        long l3 = -1, l2 = -1, l1 = -1;
        for (long addr = p.virtBase; Long.compareUnsigned(addr, p.virtPgtabEnd) < 0; addr += PAGE_SIZE) {
            if (l3 < 0) {
                l3 = nextL3++;
                d.writeGuestPhysU64((l4 << PAGE_SHIFT) + index(addr, 39) * 8, (l3 << PAGE_SHIFT) | BootState.UPPER_PROT);
            }
            if (l2 < 0) {
                l2 = nextL2++;
                d.writeGuestPhysU64((l3 << PAGE_SHIFT) + index(addr, 30) * 8, (l2 << PAGE_SHIFT) | BootState.UPPER_PROT);
            }
            if (l1 < 0) {
                l1 = nextL1++;
                d.writeGuestPhysU64((l2 << PAGE_SHIFT) + index(addr, 21) * 8, (l1 << PAGE_SHIFT) | BootState.UPPER_PROT);
            }
            long gpfn = pfn(p, addr);
            d.writeGuestPhysU64((l1 << PAGE_SHIFT) + index(addr, 12) * 8, (gpfn << PAGE_SHIFT) | BootState.L1_PROT);
            // PVH: the page-table pages stay writable.
            if (index(addr, 12) == BootState.PTES_PER_TABLE - 1) {
                l1 = -1;
                if (index(addr, 21) == BootState.PTES_PER_TABLE - 1) {
                    l2 = -1;
                    if (index(addr, 30) == BootState.PTES_PER_TABLE - 1) {
                        l3 = -1;
                    }
                }
            }
        }
    }

    /** start_info_x86_64 (§6.1). */
    private static void writeStartInfo(Domain d, Plan p, DomainConfig cfg, int storePort, int consolePort) {
        byte[] si = new byte[StartInfo.SIZE];
        LittleEndian.putCString(si, StartInfo.magic, StartInfo.MAGIC_X86_64, StartInfo.MAGIC_LEN);
        LittleEndian.put64(si, StartInfo.nr_pages, p.nrPages);
        LittleEndian.put64(si, StartInfo.shared_info, p.sharedInfoPfn << PAGE_SHIFT);
        LittleEndian.put32(si, StartInfo.flags, 0);
        LittleEndian.put64(si, StartInfo.store_mfn, p.storePfn);
        LittleEndian.put32(si, StartInfo.store_evtchn, storePort);
        LittleEndian.put64(si, StartInfo.console_domU_mfn, p.consolePfn);
        LittleEndian.put32(si, StartInfo.console_domU_evtchn, consolePort);
        LittleEndian.put64(si, StartInfo.pt_base, va(p, p.pgtablesPfn));
        LittleEndian.put64(si, StartInfo.nr_pt_frames, p.pgL4 + p.pgL3 + p.pgL2 + p.pgL1);
        LittleEndian.put64(si, StartInfo.mfn_list, va(p, p.p2mPfn));
        LittleEndian.putCString(si, StartInfo.cmd_line, cfg.cmdline(), Xen.MAX_GUEST_CMDLINE);
        d.writeGuestPhys(p.startInfoPfn << PAGE_SHIFT, si);
    }

    /**
     * XENMEM_add_to_physmap(XENMAPSPACE_shared_info) at shared_info_pfn: the RAM page there is freed
     * first (so tot_pages drops by one, as in 4.4), then the Xen-heap frame is mapped; every vCPU's
     * evtchn_upcall_mask starts at 1 (§6.2).
     */
    private void mapSharedInfo(Domain d, Plan p) throws BuildRefusedException {
        long mfn = machine.allocate(Xen.DOMID_XEN);
        if (mfn < 0) {
            throw new BuildRefusedException("memory-host", "no free frame for shared_info");
        }
        d.setSharedInfo(mfn);
        byte[] si = d.sharedInfo();
        for (int i = 0; i < Xen.XEN_LEGACY_MAX_VCPUS; i++) {
            si[SharedInfo.vcpuInfo(i) + SharedInfo.evtchn_upcall_mask] = 1;
        }
        long old = d.p2m().remove(p.sharedInfoPfn);
        if (old != P2m.INVALID_MFN) {
            machine.free(old);
        }
        d.p2m().set(p.sharedInfoPfn, mfn, P2m.Type.RAM_RW);
    }

    /** xc_dom_gnttab_hvm_seed: entries 0 and 1 grant the console and xenstore pages to dom0 (§6.2). */
    private void seedGrantTable(Domain d, Plan p) throws BuildRefusedException {
        for (int i = 0; i < GrantTable.INITIAL_NR_GRANT_FRAMES; i++) {
            long mfn = machine.allocate(Xen.DOMID_XEN);
            if (mfn < 0) {
                throw new BuildRefusedException("memory-host", "no free frame for the grant table");
            }
            d.grantFrameMfns().add(mfn);
        }
        byte[] f0 = machine.frame(d.grantFrameMfns().get(0));
        int[][] seeds = {{GrantTable.GNTTAB_RESERVED_CONSOLE, (int) p.consolePfn},
            {GrantTable.GNTTAB_RESERVED_XENSTORE, (int) p.storePfn}};
        for (int[] s : seeds) {
            int o = s[0] * GrantTable.GRANT_ENTRY_V1_SIZE;
            LittleEndian.put16(f0, o, GrantTable.GTF_permit_access);
            LittleEndian.put16(f0, o + 2, 0); // the backend domain: dom0
            LittleEndian.put32(f0, o + 4, s[1]);
        }
    }

    /** vCPU0 at entry (§7.1): the VMCS defaults plus what libxc passes (RIP, RSI, RSP, RFLAGS, CR3). */
    private static void setEntryState(Cpu c, long startInfoVa, long stackTop, long entry, long cr3) {
        java.util.Arrays.fill(c.gpr, 0);
        EntryState.vmcsDefaults(c);
        c.rip = entry;
        c.set(Reg.RSI, startInfoVa);
        c.set(Reg.RSP, stackTop);
        c.rflags = BootState.RFLAGS;
        c.cr3 = cr3;
    }

    private static long pfn(Plan p, long va) {
        return (va - p.virtBase) >>> PAGE_SHIFT;
    }

    private static long va(Plan p, long pfn) {
        return p.virtBase + (pfn << PAGE_SHIFT);
    }

    private static long index(long va, int shift) {
        return (va >>> shift) & (BootState.PTES_PER_TABLE - 1);
    }

    private static long roundUp(long va) {
        return (va + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1);
    }
}
