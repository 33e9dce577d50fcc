package org.pvhconf.xen.hypercall;

import java.util.EnumMap;
import java.util.Map;

import org.pvhconf.xen.abi.Xen;

/**
 * The 4.4 hypercall tables as one matrix, a row per hypercall and a column per guest type, as Xen's
 * hypercall-defs.c lays them out (§1.1, §2.1). A cell says what sits in the slot:
 * <ul>
 * <li>{@code -} nothing: the slot is NULL and the call returns -ENOSYS;</li>
 * <li>{@code do} the common {@code do_<name>} handler, unfiltered;</li>
 * <li>{@code hvm} the {@code hvm_<name>} filter in front of {@code do_<name>} (hvm/hypercall.c);</li>
 * <li>{@code pv} a PV-only handler. The PV column is informational (never dispatched here).</li>
 * </ul>
 * {@code args} is the arity, used for the trace only.
 */
public final class HypercallTable {
    private HypercallTable() {
    }

    public enum GuestType { PV64, HVM64, PVH64 }

    public enum Slot { ABSENT, DO, HVM_FILTERED, PV }

    /*   nr  name                          args  pv64  hvm64  pvh64                                    */
    private static final String MATRIX = """
          0  set_trap_table                1     pv    -      -
          1  mmu_update                    4     pv    -      -
          2  set_gdt                       2     pv    -      -
          3  stack_switch                  2     pv    -      -
          4  set_callbacks                 3     pv    -      -
          5  fpu_taskswitch                1     pv    -      -
          6  sched_op_compat               2     pv    -      -
          7  platform_op                   1     do    -      do
          8  set_debugreg                  2     pv    -      -
          9  get_debugreg                  1     pv    -      -
         10  update_descriptor             2     pv    -      -
         12  memory_op                     2     do    hvm    do
         13  multicall                     2     do    -      -
         14  update_va_mapping             3     pv    -      -
         15  set_timer_op                  1     do    do     -
         16  event_channel_op_compat       1     pv    -      -
         17  xen_version                   2     do    do     do
         18  console_io                    3     do    do     do
         19  physdev_op_compat             1     pv    -      -
         20  grant_table_op                3     do    hvm    hvm
         21  vm_assist                     2     pv    -      -
         22  update_va_mapping_otherdomain 4     pv    -      -
         23  iret                          0     pv    -      -
         24  vcpu_op                       3     do    hvm    do
         25  set_segment_base              2     pv    -      -
         26  mmuext_op                     4     do    -      do
         27  xsm_op                        1     do    do     do
         28  nmi_op                        2     pv    -      -
         29  sched_op                      2     do    do     do
         30  callback_op                   2     pv    -      -
         31  xenoprof_op                   2     do    -      -
         32  event_channel_op              2     do    do     do
         33  physdev_op                    2     do    hvm    hvm
         34  hvm_op                        2     do    do     do
         35  sysctl                        1     do    do     do
         36  domctl                        1     do    do     do
         37  kexec_op                      2     do    -      -
         38  tmem_op                       1     do    do     -
         48  arch_0                        2     pv    -      -
        """;

    private static final Map<GuestType, Slot[]> SLOTS = new EnumMap<>(GuestType.class);
    private static final int[] ARITY = new int[Xen.NR_hypercalls];

    static {
        for (GuestType t : GuestType.values()) {
            Slot[] s = new Slot[Xen.NR_hypercalls];
            java.util.Arrays.fill(s, Slot.ABSENT);
            SLOTS.put(t, s);
        }
        java.util.Arrays.fill(ARITY, 6);
        for (String line : MATRIX.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            int nr = Integer.parseInt(f[0]);
            if (!Xen.hypercallName(nr).equals(f[1])) {
                throw new ExceptionInInitializerError("matrix row " + nr + " names " + f[1]);
            }
            ARITY[nr] = Integer.parseInt(f[2]);
            for (GuestType t : GuestType.values()) {
                SLOTS.get(t)[nr] = parse(f[3 + t.ordinal()]);
            }
        }
    }

    private static Slot parse(String cell) {
        switch (cell) {
            case "-": return Slot.ABSENT;
            case "do": return Slot.DO;
            case "hvm": return Slot.HVM_FILTERED;
            case "pv": return Slot.PV;
            default: throw new ExceptionInInitializerError("bad cell " + cell);
        }
    }

    /** The slot for hypercall {@code nr} (0..63) of {@code type}. */
    public static Slot slot(GuestType type, int nr) {
        return SLOTS.get(type)[nr];
    }

    public static int arity(long nr) {
        return nr >= 0 && nr < Xen.NR_hypercalls ? ARITY[(int) nr] : 6;
    }
}
