package org.pvhconf.conform.steps;

import static org.pvhconf.conform.steps.AbiNames.c;
import static org.pvhconf.conform.steps.GuestStructs.layout;

import org.pvhconf.conform.harness.Agent;

/**
 * The test side's declarations for memory_op, grant tables, mmuext_op, physdev_op and the event-channel
 * structs the two-domain scenarios use, from pvh-abi.md (§10.1, §11, §12.3, §12.4, §2.2), and where a
 * struct is not in pvh-abi.md, from the 4.4 public headers (marked). Independent of the hypervisor's
 * {@code xen.abi} on purpose (STYLE §2).
 *
 * <p>The scratch page the agent owns is laid out as: the argument struct at 0 (as every feature uses it),
 * {@code &buffer} at 0x800 (frame lists, e820 records, errs[]), {@code &extents} at 0x1000 (up to 512
 * gfns), {@code &gpfns} at 0x2000 (a second list), and 0x3000.. for the steps' own helper structs.
 */
final class MemoryAbi {
    private MemoryAbi() {
    }

    static final int BUFFER = 0x800;
    static final int EXTENTS = 0x1000;
    static final int GPFNS = 0x2000;
    static final int MAX_EXTENTS = 512;
    static final int HELPER = 0x3000;

    static void layouts() {
        // §11.2
        layout("xen_memory_reservation", 32, "extent_start", 0, 8, "nr_extents", 8, 8, "extent_order", 16, 4,
                "mem_flags", 20, 4, "domid", 24, 2);
        layout("xen_add_to_physmap", 24, "domid", 0, 2, "size", 2, 2, "space", 4, 4, "idx", 8, 8, "gpfn", 16, 8);
        layout("xen_remove_from_physmap", 16, "domid", 0, 2, "gpfn", 8, 8);
        layout("xen_foreign_memory_map", 24, "domid", 0, 2, "nr_entries", 8, 4, "buffer", 16, 8);
        layout("xen_machphys_mfn_list", 24, "max_extents", 0, 4, "extent_start", 8, 8, "nr_extents", 16, 4);
        layout("xen_machphys_mapping", 24, "v_start", 0, 8, "v_end", 8, 8, "max_mfn", 16, 8);
        layout("xen_memory_exchange", 72, "in.extent_start", 0, 8, "in.nr_extents", 8, 8, "in.extent_order", 16, 4,
                "in.domid", 24, 2, "out.extent_start", 32, 8, "out.nr_extents", 40, 8, "out.extent_order", 48, 4,
                "out.domid", 56, 2, "nr_exchanged", 64, 8);
        // Not in pvh-abi.md: public/memory.h @ RELEASE-4.4.0.
        layout("xen_pod_target", 40, "target_pages", 0, 8, "tot_pages", 8, 8, "pod_cache_pages", 16, 8,
                "pod_entries", 24, 8, "domid", 32, 2);
        layout("xen_add_to_physmap_batch", 32, "domid", 0, 2, "space", 2, 2, "size", 4, 2, "idxs", 8, 8,
                "gpfns", 16, 8, "errs", 24, 8);
        // §12.3
        layout("gnttab_setup_table", 24, "dom", 0, 2, "nr_frames", 4, 4, "status", 8, 2, "frame_list", 16, 8);
        layout("gnttab_query_size", 16, "dom", 0, 2, "nr_frames", 4, 4, "max_nr_frames", 8, 4, "status", 12, 2);
        layout("gnttab_map_grant_ref", 32, "host_addr", 0, 8, "flags", 8, 4, "ref", 12, 4, "dom", 16, 2,
                "status", 18, 2, "handle", 20, 4, "dev_bus_addr", 24, 8);
        layout("gnttab_unmap_grant_ref", 24, "host_addr", 0, 8, "dev_bus_addr", 8, 8, "handle", 16, 4, "status", 20, 2);
        layout("gnttab_copy", 40, "source.ref", 0, 8, "source.domid", 8, 2, "source.offset", 10, 2, "dest.ref", 16, 8,
                "dest.domid", 24, 2, "dest.offset", 26, 2, "len", 32, 2, "flags", 34, 2, "status", 36, 2);
        layout("gnttab_set_version", 4, "version", 0, 4);
        layout("gnttab_get_version", 8, "dom", 0, 2, "version", 4, 4);
        layout("gnttab_swap_grant_ref", 12, "ref_a", 0, 4, "ref_b", 4, 4, "status", 8, 2);
        // §12.4
        layout("mmuext_op", 24, "cmd", 0, 4, "arg1", 8, 8, "arg2", 16, 8);
        // §2.2 physdev; map/unmap/get_free_pirq not in pvh-abi.md: public/physdev.h @ RELEASE-4.4.0.
        layout("physdev_eoi", 4, "irq", 0, 4);
        layout("physdev_irq_status_query", 8, "irq", 0, 4, "flags", 4, 4);
        layout("physdev_map_pirq", 40, "domid", 0, 2, "type", 4, 4, "index", 8, 4, "pirq", 12, 4);
        layout("physdev_unmap_pirq", 8, "domid", 0, 2, "pirq", 4, 4);
        layout("physdev_get_free_pirq", 8, "type", 0, 4, "pirq", 4, 4);
        // §2.2 hvm_op sub-ops that name a remote domain (domid first)
        layout("xen_hvm_set_pci_intx_level", 8, "domid", 0, 2, "domain", 2, 2, "bus", 4, 1, "device", 5, 1,
                "intx", 6, 1, "level", 7, 1);
        layout("xen_hvm_modified_memory", 24, "domid", 0, 2, "first_pfn", 8, 8, "nr", 16, 8);
        // §10.1
        layout("evtchn_alloc_unbound", 8, "dom", 0, 2, "remote_dom", 2, 2, "port", 4, 4);
        layout("evtchn_bind_interdomain", 12, "remote_dom", 0, 2, "remote_port", 4, 4, "local_port", 8, 4);
        layout("evtchn_send", 4, "port", 0, 4);
        layout("evtchn_close", 4, "port", 0, 4);
        layout("evtchn_status", 24, "dom", 0, 2, "port", 4, 4, "status", 8, 4, "vcpu", 12, 4, "remote_dom", 16, 2,
                "remote_port", 20, 4);
    }

    static void constants() {
        String[] xenmem = {"XENMEM_increase_reservation", "XENMEM_decrease_reservation", "XENMEM_maximum_ram_page",
            "XENMEM_current_reservation", "XENMEM_maximum_reservation", "XENMEM_machphys_mfn_list",
            "XENMEM_populate_physmap", "XENMEM_add_to_physmap", null, "XENMEM_memory_map",
            "XENMEM_machine_memory_map", "XENMEM_exchange", "XENMEM_machphys_mapping", "XENMEM_set_memory_map",
            "XENMEM_maximum_gpfn", "XENMEM_remove_from_physmap", "XENMEM_set_pod_target", "XENMEM_get_pod_target",
            null, null, null, null, null, "XENMEM_add_to_physmap_batch", "XENMEM_claim_pages"};
        for (int i = 0; i < xenmem.length; i++) {
            if (xenmem[i] != null) {
                c(xenmem[i], i);
            }
        }
        String[] spaces = {"XENMAPSPACE_shared_info", "XENMAPSPACE_grant_table", "XENMAPSPACE_gmfn",
            "XENMAPSPACE_gmfn_range", "XENMAPSPACE_gmfn_foreign"};
        for (int i = 0; i < spaces.length; i++) {
            c(spaces[i], i);
        }
        c("XENMEMF_populate_on_demand", 1 << 16);
        String[] gnttab = {"GNTTABOP_map_grant_ref", "GNTTABOP_unmap_grant_ref", "GNTTABOP_setup_table",
            "GNTTABOP_dump_table", "GNTTABOP_transfer", "GNTTABOP_copy", "GNTTABOP_query_size",
            "GNTTABOP_unmap_and_replace", "GNTTABOP_set_version", "GNTTABOP_get_status_frames",
            "GNTTABOP_get_version", "GNTTABOP_swap_grant_ref"};
        for (int i = 0; i < gnttab.length; i++) {
            c(gnttab[i], i);
        }
        c("GTF_permit_access", 1);
        c("GTF_readonly", 1 << 2);
        c("GTF_reading", 1 << 3);
        c("GTF_writing", 1 << 4);
        c("GTF_PCD", 1 << 6);
        c("GNTMAP_device_map", 1);
        c("GNTMAP_host_map", 1 << 1);
        c("GNTMAP_readonly", 1 << 2);
        c("GNTMAP_application_map", 1 << 3);
        c("GNTMAP_can_fail", 1 << 5);
        c("GNTCOPY_source_gref", 1);
        c("GNTCOPY_dest_gref", 2);
        String[] gntst = {"GNTST_okay", "GNTST_general_error", "GNTST_bad_domain", "GNTST_bad_gntref",
            "GNTST_bad_handle", "GNTST_bad_virt_addr", "GNTST_bad_dev_addr", "GNTST_no_device_space",
            "GNTST_permission_denied", "GNTST_bad_page", "GNTST_bad_copy_arg", "GNTST_address_too_big", "GNTST_eagain"};
        for (int i = 0; i < gntst.length; i++) {
            c(gntst[i], -i);
        }
        String[] mmuext = {"MMUEXT_PIN_L1_TABLE", "MMUEXT_PIN_L2_TABLE", "MMUEXT_PIN_L3_TABLE", "MMUEXT_PIN_L4_TABLE",
            "MMUEXT_UNPIN_TABLE", "MMUEXT_NEW_BASEPTR", "MMUEXT_TLB_FLUSH_LOCAL", "MMUEXT_INVLPG_LOCAL",
            "MMUEXT_TLB_FLUSH_MULTI", "MMUEXT_INVLPG_MULTI", "MMUEXT_TLB_FLUSH_ALL", "MMUEXT_INVLPG_ALL",
            "MMUEXT_FLUSH_CACHE", "MMUEXT_SET_LDT", null, "MMUEXT_NEW_USER_BASEPTR", "MMUEXT_CLEAR_PAGE",
            "MMUEXT_COPY_PAGE", "MMUEXT_FLUSH_CACHE_GLOBAL", "MMUEXT_MARK_SUPER", "MMUEXT_UNMARK_SUPER"};
        for (int i = 0; i < mmuext.length; i++) {
            if (mmuext[i] != null) {
                c(mmuext[i], i);
            }
        }
        c("PHYSDEVOP_irq_status_query", 5);
        c("PHYSDEVOP_set_iopl", 6);
        c("PHYSDEVOP_set_iobitmap", 7);
        c("PHYSDEVOP_map_pirq", 13);
        c("PHYSDEVOP_unmap_pirq", 14);
        c("PHYSDEVOP_get_free_pirq", 23);
        c("PHYSDEVOP_manage_pci_add", 15);
        c("MAP_PIRQ_TYPE_GSI", 1);
        c("HVMOP_set_pci_intx_level", 2);
        c("HVMOP_modified_memory", 7);
        c("EVTCHNOP_bind_interdomain", 0);
        c("EVTCHNOP_close", 3);
        c("EVTCHNOP_status", 5);
        c("EVTCHNOP_alloc_unbound", 6);
        c("EVTCHNSTAT_unbound", 1);
        c("EVTCHNSTAT_interdomain", 2);
        long[] errno = {11, 12, 16, 28, 95};
        String[] names = {"EAGAIN", "ENOMEM", "EBUSY", "ENOSPC", "EOPNOTSUPP"};
        for (int i = 0; i < errno.length; i++) {
            AbiNames.ERRNO.put(names[i], errno[i]);
        }
    }

    /**
     * An argument-table value: {@code &buffer}, {@code &extents}, {@code &scratch+N} (addresses in the calling
     * agent's scratch page), {@code $name} (a value the scenario kept), a named constant {@code NAME (n)},
     * {@code A | B} (constants or numbers OR-ed), or a number.
     */
    static long pointerOrValue(GuestSession session, Agent agent, String token) {
        String t = token.trim();
        if (t.contains("|")) {
            long v = 0;
            for (String part : t.split("\\|")) {
                v |= single(session, agent, part.trim());
            }
            return v;
        }
        return single(session, agent, t);
    }

    private static long single(GuestSession session, Agent agent, String t) {
        java.util.regex.Matcher named = java.util.regex.Pattern
                .compile("([A-Z][A-Za-z0-9_]*) \\((-?0x[0-9A-Fa-f]+|-?\\d+)\\)").matcher(t);
        if (named.matches()) {
            return AbiNames.check(AbiNames.CONSTANTS, "constant", named.group(1), Values.parse(named.group(2)));
        }
        if (t.startsWith("$")) {
            Long v = session.vars.get(t.substring(1));
            if (v == null) {
                throw new IllegalArgumentException("the scenario has kept no value named " + t + "; it has " + session.vars.keySet());
            }
            return v;
        }
        return switch (t) {
            case "NULL" -> 0;
            case "unmapped" -> GuestSession.UNMAPPED_VA;
            case "&buffer" -> agent.scratchVa() + BUFFER;
            case "&extents" -> agent.scratchVa() + EXTENTS;
            case "&gpfns" -> agent.scratchVa() + GPFNS;
            default -> t.startsWith("&scratch+") ? agent.scratchVa() + Values.parse(t.substring("&scratch+".length()))
                    : Values.parse(t);
        };
    }
}
