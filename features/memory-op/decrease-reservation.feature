@memory-op
Feature: XENMEM_decrease_reservation gives gfns back
  extent_start lists gpfns to release; the call returns the number of extents done. A gfn with no
  page behind it stops the count. A fault on the struct or an unknown domain return start_extent.
  The frames released come off the domain's reservation, and populating them again puts it back:
  the accounting never leaks (§11.3).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-11.3
  Scenario: decrease_reservation releases the gfns it is given
    Given the guest's extent list holds the gfns (0x1800, 0x1801)
    When the guest calls memory_op (12) with XENMEM_decrease_reservation (1) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 2        |
      | domid        | 0x7FF0   |
    Then the call returns 2
    And the guest's current_reservation is 8189

  @spec-11.3
  Scenario: A gfn with no page stops the count short
    Given the guest's extent list holds the gfns (0x1800, 0x2400, 0x1801)
    When the guest calls memory_op (12) with XENMEM_decrease_reservation (1) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 3        |
      | domid        | 0x7FF0   |
    Then the call returns 1
    And the guest's current_reservation is 8190

  @spec-11.3
  Scenario: An unreadable reservation struct returns start_extent
    When the guest calls memory_op (12) with XENMEM_decrease_reservation (1) and an unmapped argument pointer
    Then the call returns 0

  @spec-11.3
  Scenario: An unknown domain returns start_extent
    Given the guest's extent list holds the gfns (0x1800)
    When the guest calls memory_op (12) with XENMEM_decrease_reservation (1) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | domid        | 0x1234   |
    Then the call returns 0
    And the guest's current_reservation is 8191

  @spec-11.3
  Scenario: Releasing and repopulating the same gfns leaves the reservation where it started
    Given the guest's extent list holds the 200 gfns from 0x1800
    When the guest calls memory_op (12) with XENMEM_decrease_reservation (1) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 200      |
      | domid        | 0x7FF0   |
    Then the call returns 200
    And the guest's current_reservation is 7991
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 200      |
      | domid        | 0x7FF0   |
    Then the call returns 200
    And the guest's current_reservation is 8191
    When the guest calls memory_op (12) with XENMEM_decrease_reservation (1) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 200      |
      | domid        | 0x7FF0   |
    Then the call returns 200
    And the guest's current_reservation is 7991
