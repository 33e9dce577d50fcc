@physdev-op
Feature: physdev_op through the hvm_physdev_op filter
  A PVHv1 domU may use PHYSDEVOP_eoi, irq_status_query, map_pirq, unmap_pirq and get_free_pirq;
  every other sub-op is -ENOSYS, and set_iopl and set_iobitmap are -ENOSYS for any PVH vCPU. A PVH
  domU is not an HVM domain, so map_pirq and unmap_pirq take the non-HVM path: an unknown domain is
  -ESRCH, and the XSM check for mapping a domain's PIRQs (a device-model privilege, §2.3) is -EPERM.
  An unreadable argument is -EFAULT (§2.2, §2.3).

  Background:
    Given a PVH guest running the agent stub

  @spec-2.2
  Scenario: irq_status_query of a PIRQ that is not bound reports no flags
    When the guest calls physdev_op (33) with PHYSDEVOP_irq_status_query (5) and this physdev_irq_status_query:
      | irq   | 3          |
      | flags | 0xFFFFFFFF |
    Then the call returns 0
    And the physdev_irq_status_query the guest got back has flags = 0

  @spec-2.2
  Scenario: An unreadable physdev_irq_status_query is -EFAULT
    When the guest calls physdev_op (33) with PHYSDEVOP_irq_status_query (5) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-2.2
  Scenario: EOI of a PIRQ that is not bound is -EINVAL
    When the guest calls physdev_op (33) with PHYSDEVOP_eoi (12) and this physdev_eoi:
      | irq | 3 |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: An unreadable physdev_eoi is -EFAULT
    When the guest calls physdev_op (33) with PHYSDEVOP_eoi (12) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-2.2 @spec-2.3
  Scenario: map_pirq on the guest itself is -EPERM
    When the guest calls physdev_op (33) with PHYSDEVOP_map_pirq (13) and this physdev_map_pirq:
      | domid | 0x7FF0                |
      | type  | MAP_PIRQ_TYPE_GSI (1) |
      | index | 5                     |
      | pirq  | 5                     |
    Then the call returns -EPERM (-1)

  @spec-2.2
  Scenario: map_pirq naming an unknown domain is -ESRCH
    When the guest calls physdev_op (33) with PHYSDEVOP_map_pirq (13) and this physdev_map_pirq:
      | domid | 0x1234                |
      | type  | MAP_PIRQ_TYPE_GSI (1) |
    Then the call returns -ESRCH (-3)

  @spec-2.2
  Scenario: An unreadable physdev_map_pirq is -EFAULT
    When the guest calls physdev_op (33) with PHYSDEVOP_map_pirq (13) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-2.2 @spec-2.3
  Scenario: unmap_pirq on the guest itself is -EPERM
    When the guest calls physdev_op (33) with PHYSDEVOP_unmap_pirq (14) and this physdev_unmap_pirq:
      | domid | 0x7FF0 |
      | pirq  | 5      |
    Then the call returns -EPERM (-1)

  @spec-2.2
  Scenario: unmap_pirq naming an unknown domain is -ESRCH
    When the guest calls physdev_op (33) with PHYSDEVOP_unmap_pirq (14) and this physdev_unmap_pirq:
      | domid | 0x1234 |
      | pirq  | 5      |
    Then the call returns -ESRCH (-3)

  @spec-2.2
  Scenario: get_free_pirq hands out a PIRQ
    When the guest calls physdev_op (33) with PHYSDEVOP_get_free_pirq (23) and this physdev_get_free_pirq:
      | type | MAP_PIRQ_TYPE_GSI (1) |
      | pirq | 0xFFFFFFFF            |
    Then the call returns 0
    And the physdev_get_free_pirq the guest got back has bit 31 of pirq clear

  @spec-2.2
  Scenario: An unreadable physdev_get_free_pirq is -EFAULT
    When the guest calls physdev_op (33) with PHYSDEVOP_get_free_pirq (23) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-2.2
  Scenario Outline: <op> is -ENOSYS for a PVH domU
    When the guest calls physdev_op (33) with <op> and a zeroed physdev_map_pirq
    Then the call returns -ENOSYS (-38)

    Examples:
      | op                            |
      | PHYSDEVOP_set_iopl (6)        |
      | PHYSDEVOP_set_iobitmap (7)    |
      | PHYSDEVOP_manage_pci_add (15) |
