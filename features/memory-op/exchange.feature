@memory-op
Feature: XENMEM_exchange trades gfns for freshly allocated ones
  §11.3 lists exchange as present and leaves its PVH behaviour unverified. This reference follows
  memory_exchange for a translated domain: the input gfns are released and fresh frames are mapped
  at the output gfns, chunk by chunk; nr_exchanged reports progress. Mismatched sizes or domids are
  -EINVAL, orders above 9 -EPERM, an unknown domain -ESRCH, an unreadable struct -EFAULT, and an
  input gfn with no page of the domain's -EINVAL (derived).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-11.3
  Scenario: exchange releases the input gfns and populates the output gfns
    Given the guest's extent list holds the gfns (0x1800, 0x1801)
    And the guest's gpfn list holds the gfns (0x2400, 0x2401)
    When the guest maps gfn 0x1800 at its mapping window page 0
    And the guest writes 0x99 at offset 0 of its mapping window page 0
    And the guest calls memory_op (12) with XENMEM_exchange (11) and this xen_memory_exchange:
      | in.extent_start  | &extents |
      | in.nr_extents    | 2        |
      | in.domid         | 0x7FF0   |
      | out.extent_start | &gpfns   |
      | out.nr_extents   | 2        |
      | out.domid        | 0x7FF0   |
    Then the call returns 0
    And the xen_memory_exchange the guest got back has nr_exchanged = 2
    And the guest's current_reservation is 8191
    And the guest's maximum_gpfn is 0x2401
    When the guest maps gfn 0x2400 at its mapping window page 1
    Then the guest reads 0 at offset 0 of its mapping window page 1

  @spec-11.3
  Scenario: Input and output sizes that differ are -EINVAL
    When the guest calls memory_op (12) with XENMEM_exchange (11) and this xen_memory_exchange:
      | in.extent_start  | &extents |
      | in.nr_extents    | 2        |
      | in.domid         | 0x7FF0   |
      | out.extent_start | &gpfns   |
      | out.nr_extents   | 1        |
      | out.domid        | 0x7FF0   |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario: An output order above 9 is -EPERM
    When the guest calls memory_op (12) with XENMEM_exchange (11) and this xen_memory_exchange:
      | in.extent_start   | &extents |
      | in.nr_extents     | 1024     |
      | in.domid          | 0x7FF0   |
      | out.extent_start  | &gpfns   |
      | out.nr_extents    | 1        |
      | out.extent_order  | 10       |
      | out.domid         | 0x7FF0   |
    Then the call returns -EPERM (-1)

  @spec-11.3
  Scenario: An unknown domain is -ESRCH
    When the guest calls memory_op (12) with XENMEM_exchange (11) and this xen_memory_exchange:
      | in.extent_start  | &extents |
      | in.nr_extents    | 1        |
      | in.domid         | 0x1234   |
      | out.extent_start | &gpfns   |
      | out.nr_extents   | 1        |
      | out.domid        | 0x1234   |
    Then the call returns -ESRCH (-3)

  @spec-11.3
  Scenario: An input gfn with no page is -EINVAL and nothing is exchanged
    Given the guest's extent list holds the gfns (0x2800)
    And the guest's gpfn list holds the gfns (0x2400)
    When the guest calls memory_op (12) with XENMEM_exchange (11) and this xen_memory_exchange:
      | in.extent_start  | &extents |
      | in.nr_extents    | 1        |
      | in.domid         | 0x7FF0   |
      | out.extent_start | &gpfns   |
      | out.nr_extents   | 1        |
      | out.domid        | 0x7FF0   |
    Then the call returns -EINVAL (-22)
    And the xen_memory_exchange the guest got back has nr_exchanged = 0
    And the guest's current_reservation is 8191

  @spec-11.3
  Scenario: An unreadable xen_memory_exchange is -EFAULT
    When the guest calls memory_op (12) with XENMEM_exchange (11) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)
