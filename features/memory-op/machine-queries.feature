@memory-op
Feature: memory_op queries about the machine
  maximum_ram_page returns the host's max_page; machphys_mapping writes the 4.4 x86_64 M2P range
  {0xFFFF800000000000, 0xFFFF804000000000, 0x7FFFFFFFF}; machphys_mfn_list works, but means
  nothing to PVH. Reservation queries on another domain are -EPERM (XSM_TARGET) (§2.3, §11.3).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-11.3
  Scenario: maximum_ram_page is the host's max_page, at least the guest's own pages
    When the guest calls memory_op (12) through its hypercall page with the arguments (XENMEM_maximum_ram_page (2), NULL)
    Then the call returns a value of at least 8192

  @spec-11.3
  Scenario: machphys_mapping gives the 4.4 M2P range
    When the guest calls memory_op (12) with XENMEM_machphys_mapping (12) and a zeroed xen_machphys_mapping
    Then the call returns 0
    And the xen_machphys_mapping the guest got back has v_start = 0xFFFF800000000000
    And the xen_machphys_mapping the guest got back has v_end = 0xFFFF804000000000
    And the xen_machphys_mapping the guest got back has max_mfn = 0x7FFFFFFFF

  @spec-11.3
  Scenario: machphys_mapping to an unwritable buffer is -EFAULT
    When the guest calls memory_op (12) with XENMEM_machphys_mapping (12) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.3
  Scenario: machphys_mfn_list works
    When the guest calls memory_op (12) with XENMEM_machphys_mfn_list (5) and this xen_machphys_mfn_list:
      | max_extents  | 4       |
      | extent_start | &buffer |
    Then the call returns 0

  @spec-11.3
  Scenario: An unreadable xen_machphys_mfn_list is -EFAULT
    When the guest calls memory_op (12) with XENMEM_machphys_mfn_list (5) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.3 @two-domains
  Scenario: Another domain's reservation is -EPERM
    Given two PVH guests A and B running the agent stub
    When guest A calls memory_op (12) with XENMEM_current_reservation (3) and this domid:
      | domid | $domB |
    Then the call returns -EPERM (-1)
