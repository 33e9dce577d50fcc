@memory-op
Feature: XENMEM_populate_physmap adds RAM to an auto-translated guest
  For a PVHv1 guest Xen owns the p2m, so populate_physmap is the way to add RAM: extent_start
  lists gpfns, and Xen allocates 2^extent_order frames for each and maps them there. Nothing is
  written back. The call returns the number of extents done, never an errno: a fault on the
  struct, an unknown domain or nr_extents above 2^26-1 return start_extent, and a short count
  means failure. Orders up to 9 are allowed without I/O capabilities. The bits of cmd above the
  low six carry start_extent, which is how a preempted call continues (§1.2, §11.1, §11.3).

  Background:
    Given a PVH guest with 32 MiB of memory and maxmem 64 MiB running the agent stub

  @spec-11.3
  Scenario: populate_physmap maps a fresh frame at the gfn the guest names
    Given the guest's extent list holds the gfns (0x2400)
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | extent_order | 0        |
      | domid        | 0x7FF0   |
    Then the call returns 1
    And the guest's current_reservation is 8192
    When the guest maps gfn 0x2400 at its mapping window page 0
    And the guest writes 0x1122334455667788 at offset 0x18 of its mapping window page 0
    Then the guest reads 0x1122334455667788 at offset 0x18 of its mapping window page 0
    And the guest reads 0 at offset 0x20 of its mapping window page 0

  @spec-11.3
  Scenario: populate_physmap of an order-9 extent maps 512 frames
    Given the guest's extent list holds the gfns (0x2600)
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | extent_order | 9        |
      | domid        | 0x7FF0   |
    Then the call returns 1
    And the guest's current_reservation is 8703
    And the guest's maximum_gpfn is 0x27FF

  @spec-11.3
  Scenario: An extent order above 9 does nothing without I/O capabilities
    Given the guest's extent list holds the gfns (0x2400)
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | extent_order | 10       |
      | domid        | 0x7FF0   |
    Then the call returns 0
    And the guest's current_reservation is 8191

  @spec-11.3
  Scenario: Going over the maximum reservation stops the count short, with no errno
    Given the guest's extent list holds the gfns (0x2400, 0x2401, 0x2402)
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 3        |
      | extent_order | 12       |
      | domid        | 0x7FF0   |
    Then the call returns 0

  @spec-11.3
  Scenario: An unreadable reservation struct returns start_extent, not -EFAULT
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and an unmapped argument pointer
    Then the call returns 0

  @spec-11.3
  Scenario: An unknown domain returns start_extent, not -ESRCH
    Given the guest's extent list holds the gfns (0x2400)
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | domid        | 0x1234   |
    Then the call returns 0

  @spec-11.3
  Scenario: nr_extents above 2^26-1 returns start_extent
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents  |
      | nr_extents   | 0x4000000 |
      | domid        | 0x7FF0    |
    Then the call returns 0
    And the guest's current_reservation is 8191

  @spec-11.3
  Scenario: An unreadable extent list stops at the first extent
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | unmapped |
      | nr_extents   | 2        |
      | domid        | 0x7FF0   |
    Then the call returns 0

  @spec-11.1
  Scenario: start_extent in cmd skips the extents before it and counts them as done
    Given the guest's extent list holds the gfns (0x2400, 0x2401, 0x2402)
    When the guest calls memory_op (12) with XENMEM_populate_physmap (6) and start_extent 2 and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 3        |
      | domid        | 0x7FF0   |
    Then the call returns 3
    And the guest's current_reservation is 8192
    And the guest's maximum_gpfn is 0x2402

  @spec-11.1 @spec-1.2
  Scenario: A large populate_physmap completes as one call from the guest's point of view
    When the guest populates the 300 gfns from 0x2400 with one populate_physmap call
    Then the call returns 300
    And RDI after the call is XENMEM_populate_physmap (6) with a start_extent below 300 in bits 6 and up
    And the guest's current_reservation is 8491
    And the guest's maximum_gpfn is 0x252B

  @spec-11.3 @two-domains
  Scenario: Populating another domain's memory is -EPERM
    Given two PVH guests A and B running the agent stub
    And the guest's extent list holds the gfns (0x1800)
    When guest A calls memory_op (12) with XENMEM_populate_physmap (6) and this xen_memory_reservation:
      | extent_start | &extents |
      | nr_extents   | 1        |
      | domid        | $domB    |
    Then the call returns -EPERM (-1)
