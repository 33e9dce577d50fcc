@memory-op
Feature: memory_op reservation queries for an auto-translated guest
  memory_op (12) is unfiltered for PVH (§2.1). current_reservation (3), maximum_reservation (4)
  and maximum_gpfn (14) take a pointer to a domid_t and return tot_pages, max_pages or the
  highest gpfn; an unknown domain is -ESRCH and an unreadable pointer -EFAULT. The sub-op is the
  low 6 bits of cmd (§11.1, §11.3). The builder maps Xen's shared_info frame over one of the
  domain's RAM pages with add_to_physmap, which frees the RAM page that was there, so a fresh
  domain holds one page less than nr_pages (§6.2, §11.3; derived).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-11.3
  Scenario: current_reservation counts the domain's pages, less the one shared_info replaced
    When the guest calls memory_op (12) with XENMEM_current_reservation (3) and this domid:
      | domid | 0x7FF0 |
    Then the call returns 8191

  @spec-11.3
  Scenario: maximum_reservation is the configured maximum
    When the guest calls memory_op (12) with XENMEM_maximum_reservation (4) and this domid:
      | domid | 0x7FF0 |
    Then the call returns 8192

  @spec-11.3
  Scenario: maximum_gpfn is the highest populated guest frame
    When the guest calls memory_op (12) with XENMEM_maximum_gpfn (14) and this domid:
      | domid | 0x7FF0 |
    Then the call returns 8191

  @spec-11.3
  Scenario: The reservation of an unknown domain is -ESRCH
    When the guest calls memory_op (12) with XENMEM_current_reservation (3) and this domid:
      | domid | 0x1234 |
    Then the call returns -ESRCH (-3)

  @spec-11.3
  Scenario: An unreadable domid pointer is -EFAULT
    When the guest calls memory_op (12) with XENMEM_maximum_gpfn (14) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

  @spec-11.1
  Scenario: An unknown memory_op answers -ENOSYS
    When the guest calls memory_op (12) through its hypercall page with the arguments (0x3F, NULL)
    Then the call returns -ENOSYS (-38)
