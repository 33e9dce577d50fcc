@hypercall-table
Feature: PV-only hypercalls are absent for a PVH guest
  Xen owns the p2m and the guest owns its page tables, so the 4.4 PVH table has no slot for the
  PV page-table calls; the guest's IDT is native, so there is no slot for set_trap_table
  either. An empty slot answers -ENOSYS, even for a well-formed request (§2.1, and the seed:
  "mmu_update hypercall not available", "set_trap_table hcall is also N/A").

  @spec-2.1
  Scenario: mmu_update is not available to a PVH guest
    Given a PVH guest running the agent stub
    When the guest calls mmu_update (1) through its hypercall page with a well-formed request
    Then the call returns -ENOSYS (-38)
    And the guest's page tables are unchanged
    And the guest is still running

  @spec-2.1
  Scenario: set_trap_table is not available to a PVH guest
    Given a PVH guest running the agent stub
    When the guest calls set_trap_table (0) through its hypercall page with a well-formed request
    Then the call returns -ENOSYS (-38)
    And the guest is still running

  @spec-2.1
  Scenario: set_timer_op is not available to a PVH guest, although HVM guests have it
    Given a PVH guest running the agent stub
    When the guest calls set_timer_op (15) through its hypercall page with the arguments (0x1000000000)
    Then the call returns -ENOSYS (-38)
