@hvm-op
Feature: hvm_op sub-ops that act on a remote domain
  set_pci_intx_level, set_isa_irq_level, set_pci_link_route, inject_msi, track_dirty_vram,
  modified_memory, set_mem_type, set_mem_access, get_mem_access and inject_trap look up a remote
  domain: the caller's own domid is -EPERM, DOMID_SELF (and an unknown domain) -ESRCH, and a PVH
  target -EINVAL (§2.2).

  @spec-2.2
  Scenario Outline: <op> naming the caller's own domid is -EPERM
    Given two PVH guests A and B running the agent stub
    When guest A calls hvm_op (34) with <op> and this xen_hvm_modified_memory:
      | domid | $domA |
    Then the call returns -EPERM (-1)

    Examples:
      | op                           |
      | HVMOP_set_pci_intx_level (2) |
      | HVMOP_modified_memory (7)    |

  @spec-2.2
  Scenario Outline: <op> naming DOMID_SELF is -ESRCH
    Given a PVH guest running the agent stub
    When the guest calls hvm_op (34) with <op> and this xen_hvm_modified_memory:
      | domid | 0x7FF0 |
    Then the call returns -ESRCH (-3)

    Examples:
      | op                           |
      | HVMOP_set_pci_intx_level (2) |
      | HVMOP_modified_memory (7)    |

  @spec-2.2
  Scenario: A remote-domain op naming an unknown domain is -ESRCH
    Given a PVH guest running the agent stub
    When the guest calls hvm_op (34) with HVMOP_modified_memory (7) and this xen_hvm_modified_memory:
      | domid | 0x1234 |
    Then the call returns -ESRCH (-3)

  @spec-2.2 @two-domains
  Scenario Outline: <op> naming another PVH domain is -EINVAL
    Given two PVH guests A and B running the agent stub
    When guest A calls hvm_op (34) with <op> and this xen_hvm_set_pci_intx_level:
      | domid | $domB |
    Then the call returns -EINVAL (-22)

    Examples:
      | op                           |
      | HVMOP_set_pci_intx_level (2) |
      | HVMOP_modified_memory (7)    |

  @spec-2.2
  Scenario: An unreadable argument is -EFAULT
    Given a PVH guest running the agent stub
    When the guest calls hvm_op (34) with HVMOP_modified_memory (7) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)
