@memory-op
Feature: XENMEM_set_memory_map replaces the map XENMEM_memory_map returns
  set_memory_map is allowed on the caller itself (XSM_TARGET): more than 128 entries is -EINVAL,
  an unknown domain -ESRCH, an unreadable struct or buffer -EFAULT. Afterwards memory_map returns
  the new map, clamped to the caller's capacity, and -ENOSYS once no map is set. machine_memory_map
  is for privileged domains only (§11.2, §11.3).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-11.3
  Scenario: memory_map returns what set_memory_map set
    Given the guest's buffer holds the e820 entries:
      | addr     | size     | type |
      | 0        | 0x9F000  | 1    |
      | 0x100000 | 0x1F00000 | 1   |
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | 0x7FF0  |
      | nr_entries | 2       |
      | buffer     | &buffer |
    Then the call returns 0
    When the guest asks XENMEM_memory_map (9) for up to 4 entries
    Then the call returns 0
    And the guest got back 2 memory map entries
    And the guest got back the e820 entry 1: addr 0x100000, size 0x1F00000, type 1

  @spec-11.3
  Scenario: memory_map clamps nr_entries to the caller's capacity
    Given the guest's buffer holds 3 e820 RAM entries
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | 0x7FF0  |
      | nr_entries | 3       |
      | buffer     | &buffer |
    And the guest asks XENMEM_memory_map (9) for up to 1 entries
    Then the call returns 0
    And the guest got back 1 memory map entry

  @spec-11.3
  Scenario: With an empty map set, memory_map is -ENOSYS
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | 0x7FF0  |
      | nr_entries | 0       |
      | buffer     | &buffer |
    Then the call returns 0
    When the guest asks XENMEM_memory_map (9) for up to 4 entries
    Then the call returns -ENOSYS (-38)

  @spec-11.3
  Scenario: More than 128 entries is -EINVAL
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | 0x7FF0  |
      | nr_entries | 129     |
      | buffer     | &buffer |
    Then the call returns -EINVAL (-22)

  @spec-11.3
  Scenario: An unknown domain is -ESRCH
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | 0x1234  |
      | nr_entries | 1       |
      | buffer     | &buffer |
    Then the call returns -ESRCH (-3)

  @spec-11.3
  Scenario: An unreadable entry buffer is -EFAULT
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | 0x7FF0   |
      | nr_entries | 1        |
      | buffer     | unmapped |
    Then the call returns -EFAULT (-14)

  @spec-11.3
  Scenario: An unreadable xen_foreign_memory_map is -EFAULT
    When the guest calls memory_op (12) with XENMEM_set_memory_map (13) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.3 @two-domains
  Scenario: Setting another domain's map is -EPERM
    Given two PVH guests A and B running the agent stub
    When guest A calls memory_op (12) with XENMEM_set_memory_map (13) and this xen_foreign_memory_map:
      | domid      | $domB   |
      | nr_entries | 1       |
      | buffer     | &buffer |
    Then the call returns -EPERM (-1)

  @spec-11.3
  Scenario: machine_memory_map is -EPERM for a domU
    When the guest calls memory_op (12) with XENMEM_machine_memory_map (10) and a zeroed xen_memory_map
    Then the call returns -EPERM (-1)
