@memory-op
Feature: XENMEM_increase_reservation allocates frames it does not map
  increase_reservation allocates pages and writes their MFNs back into extent_start. Nothing is
  mapped into the p2m, so for a PVH guest the pages only count against its reservation. The call
  returns a count (§11.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub

  @spec-11.3
  Scenario: increase_reservation counts the extents and writes an MFN back for each
    Given the guest's extent list holds the gfns (0xFFFFFFFFFFFFFFFF)
    When the guest calls memory_op (12) with XENMEM_increase_reservation (0) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | domid        | 0x7FF0   |
    Then the call returns 1
    And the guest reads entry 0 of its extent list as something other than 0xFFFFFFFFFFFFFFFF
    And the guest's current_reservation is 8192
    And the guest's maximum_gpfn is 0x1FFF

  @spec-11.3
  Scenario: An unreadable reservation struct returns start_extent
    When the guest calls memory_op (12) with XENMEM_increase_reservation (0) and an unmapped argument pointer
    Then the call returns 0
