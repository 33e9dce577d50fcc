@memory-op
Feature: XENMEM_memory_map gives a libxl-built PVHv1 domU one RAM entry
  libxl sets, for every PV-type domain, a memory map with a single E820 RAM entry from 0 whose
  size is the domain's maximum memory; PVH reaches XENMEM_memory_map because its memory_op is
  unfiltered. Entries are packed 20-byte e820 records (§6.2, §11.2, §11.3).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-11.3
  Scenario: The memory map has one RAM entry covering the domain's memory
    When the guest asks XENMEM_memory_map (9) for up to 4 entries
    Then the call returns 0
    And the guest got back 1 memory map entry
    And the guest got back the e820 entry 0: addr 0, size 0x2000000, type 1

  @spec-11.3
  Scenario: An unreadable xen_memory_map is -EFAULT
    When the guest calls memory_op (12) with XENMEM_memory_map (9) and an unmapped argument pointer
    Then the call returns -EFAULT (-14)
