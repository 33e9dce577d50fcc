@hypercall-table
Feature: The Xen 4.4 PVH hypercall table
  A PVH guest calls through the 64-bit PVH table of Xen 4.4 (pvh_hypercall64_table). It has
  exactly 14 entries: platform_op, memory_op, xen_version, console_io, grant_table_op, vcpu_op,
  mmuext_op, xsm_op, sched_op, event_channel_op, physdev_op, hvm_op, sysctl and domctl. Every
  other number below 64 has an empty slot, and an empty slot answers -ENOSYS before any
  handler sees the call; so does any number of 64 or more (§2.1). Each present entry is probed
  with arguments whose answer is documented and is not -ENOSYS, except xsm_op, whose dummy
  XSM answers -ENOSYS itself (§2.2).

  @spec-2.1
  Scenario Outline: Hypercall <nr> (<name>) is <presence> for a PVH guest
    Given a PVH guest running the agent stub
    When the guest calls <name> (<nr>) through its hypercall page with the arguments <arguments>
    Then the call returns <result>
    And the guest is still running

    Examples:
      | nr | name | presence | arguments | result |
      | 0 | set_trap_table | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 1 | mmu_update | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 2 | set_gdt | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 3 | stack_switch | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 4 | set_callbacks | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 5 | fpu_taskswitch | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 6 | sched_op_compat | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 7 | platform_op | present | (NULL) | -EFAULT (-14) |
      | 8 | set_debugreg | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 9 | get_debugreg | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 10 | update_descriptor | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 11 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 12 | memory_op | present | (XENMEM_current_reservation (3), NULL) | -EFAULT (-14) |
      | 13 | multicall | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 14 | update_va_mapping | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 15 | set_timer_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 16 | event_channel_op_compat | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 17 | xen_version | present | (XENVER_version (0), NULL) | 0x00040004 |
      | 18 | console_io | present | (CONSOLEIO_write (0), 0, NULL) | 0 |
      | 19 | physdev_op_compat | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 20 | grant_table_op | present | (GNTTABOP_query_size (6), NULL, 1) | -EFAULT (-14) |
      | 21 | vm_assist | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 22 | update_va_mapping_otherdomain | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 24 | vcpu_op | present | (VCPUOP_is_up (3), 0, NULL) | 1 |
      | 25 | set_segment_base | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 26 | mmuext_op | present | (NULL, 0, NULL, DOMID_SELF (0x7FF0)) | 0 |
      | 27 | xsm_op | present | (NULL) | -ENOSYS (-38) |
      | 28 | nmi_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 29 | sched_op | present | (SCHEDOP_yield (0), NULL) | 0 |
      | 30 | callback_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 31 | xenoprof_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 32 | event_channel_op | present | (EVTCHNOP_send (4), NULL) | -EFAULT (-14) |
      | 33 | physdev_op | present | (PHYSDEVOP_eoi (12), NULL) | -EFAULT (-14) |
      | 34 | hvm_op | present | (HVMOP_get_param (1), NULL) | -EFAULT (-14) |
      | 35 | sysctl | present | (NULL) | -EFAULT (-14) |
      | 36 | domctl | present | (NULL) | -EFAULT (-14) |
      | 37 | kexec_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 38 | tmem_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 39 | xc_reserved_op | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 40 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 41 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 42 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 43 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 44 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 45 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 46 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 47 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 48 | arch_0 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 49 | arch_1 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 50 | arch_2 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 51 | arch_3 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 52 | arch_4 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 53 | arch_5 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 54 | arch_6 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 55 | arch_7 | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 56 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 57 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 58 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 59 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 60 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 61 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 62 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |
      | 63 | undefined | absent | (NULL, NULL, NULL) | -ENOSYS (-38) |

  @spec-2.1
  Scenario: Hypercall 23 (iret) is absent for a PVH guest
    Its hypercall-page slot holds ud2 rather than a stub (§1.3), so the guest reaches the
    dispatcher with VMCALL itself.
    Given a PVH guest running the agent stub
    When the guest executes VMCALL directly with RAX = 23
    Then the call returns -ENOSYS (-38)
    And the guest is still running

  @spec-2.1
  Scenario Outline: Hypercall numbers of 64 and above answer -ENOSYS
    Given a PVH guest running the agent stub
    When the guest executes VMCALL directly with RAX = <rax>
    Then the call returns -ENOSYS (-38)

    Examples:
      | rax        |
      | 64         |
      | 127        |
      | 0x7FFFFFFF |

  @spec-1.2
  Scenario: The dispatcher reads only the low 32 bits of RAX
    Given a PVH guest running the agent stub
    When the guest executes VMCALL directly with RAX = 0xFFFFFFFF00000011
    Then the call returns 0x00040004

