package org.pvhconf.conform.steps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The argument structs the features name, with sizes and offsets taken from pvh-abi.md (x86_64,
 * little-endian, LP64). Declared on the test side on purpose; see {@link AbiNames}.
 */
final class GuestStructs {
    private GuestStructs() {
    }

    record Field(int offset, int size) {
    }

    record Layout(String name, int size, Map<String, Field> fields) {
        Field field(String f) {
            Field field = fields.get(f);
            if (field == null) {
                throw new IllegalArgumentException(name + " has no field '" + f + "'; it has " + fields.keySet());
            }
            return field;
        }

        /** The struct's bytes with the given fields set (little-endian), everything else zero. */
        byte[] encode(Map<String, Long> values) {
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            values.forEach((f, v) -> {
                Field field = field(f);
                switch (field.size()) {
                    case 1 -> b.put(field.offset(), (byte) (long) v);
                    case 2 -> b.putShort(field.offset(), (short) (long) v);
                    case 4 -> b.putInt(field.offset(), (int) (long) v);
                    case 8 -> b.putLong(field.offset(), v);
                    default -> throw new IllegalArgumentException("cannot set " + name + "." + f + " from a number");
                }
            });
            return b.array();
        }
    }

    private static final Map<String, Layout> LAYOUTS = new LinkedHashMap<>();

    static void layout(String name, int size, Object... fieldTriples) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldTriples.length; i += 3) {
            fields.put((String) fieldTriples[i], new Field((Integer) fieldTriples[i + 1], (Integer) fieldTriples[i + 2]));
        }
        LAYOUTS.put(name, new Layout(name, size, fields));
    }

    static {
        // §3.1
        layout("xen_hvm_param", 16, "domid", 0, 2, "index", 4, 4, "value", 8, 8);
        // §2.2: hvm_op argument structs (domid first)
        layout("xen_hvm_get_time", 8, "now", 0, 8);
        layout("xen_hvm_pagetable_dying", 16, "domid", 0, 2, "gpa", 8, 8);
        layout("xen_hvm_get_mem_type", 16, "domid", 0, 2, "mem_type", 2, 2, "pfn", 8, 8);
        // §4.3
        layout("xen_feature_info", 8, "submap_idx", 0, 4, "submap", 4, 4);
        layout("xen_extraversion", 16);
        layout("xen_compile_info", 144, "compiler", 0, 64, "compile_by", 64, 16, "compile_domain", 80, 32,
                "compile_date", 112, 32);
        layout("xen_capabilities_info", 1024);
        layout("xen_changeset_info", 64);
        layout("xen_platform_parameters", 8, "virt_start", 0, 8);
        layout("xen_domain_handle", 16);
        layout("xen_commandline", 1024);
        // §12.1
        layout("sched_shutdown", 4, "reason", 0, 4);
        layout("sched_poll", 24, "ports", 0, 8, "nr_ports", 8, 4, "timeout", 16, 8);
        // §11.3: a pointer to a domid_t
        layout("domid", 2, "domid", 0, 2);
        // §11.2
        layout("xen_memory_map", 16, "nr_entries", 0, 4, "buffer", 8, 8);
        // §12.4
        layout("mmu_update", 16, "ptr", 0, 8, "val", 8, 8);
        // §8.2: trap_info entries of set_trap_table
        layout("trap_info", 16, "vector", 0, 1, "flags", 1, 1, "cs", 2, 2, "address", 8, 8);
        MemoryAbi.layouts(); // §10, §11, §12.3, §12.4, §2.2 (memory, grants, mmuext, physdev, evtchn)
    }

    static Layout named(String name) {
        Layout l = LAYOUTS.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no struct layout '" + name + "' is declared for the features; known: "
                    + LAYOUTS.keySet());
        }
        return l;
    }
}
