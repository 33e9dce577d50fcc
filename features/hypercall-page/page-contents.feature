@hypercall-page
Feature: The hypercall page written for a PVH guest
  The kernel names a page of its image with XEN_ELFNOTE_HYPERCALL_PAGE and the builder has Xen
  fill it (§1.4). Xen fills the page with 0xCC (int3), then writes a 32-byte stub into each of
  the 128 slots except slot 23: "mov $i, %eax; vmcall; ret" (B8 imm32 0F 01 C1 C3). Slot 23,
  iret, holds ud2 (0F 0B) and nothing else. Slots of absent hypercalls and slots 64-127 still
  get a normal stub, which answers -ENOSYS (§1.3).

  Background:
    Given a PVH guest running the agent stub

  @spec-1.3
  Scenario: Every slot but 23 holds mov $i,%eax; vmcall; ret followed by int3 fill
    Then the guest reads, in every slot i of its hypercall page except 23, the bytes B8 <i as u32> 0F 01 C1 C3 and then 23 bytes of CC

  @spec-1.3
  Scenario: Slot 23 holds ud2 followed by int3 fill
    Then the guest reads at offset 0x2E0 of its hypercall page the bytes 0F 0B and then 30 bytes of CC

  @spec-1.3
  Scenario: The memory_op stub is at offset 0x180
    Then the guest reads at offset 0x180 of its hypercall page the bytes B8 0C 00 00 00 0F 01 C1 C3 CC

  @spec-1.3
  Scenario: Calling slot 23 raises #UD in the guest
    When the guest calls into its hypercall page at offset 0x2E0
    Then the guest takes exception 6 (#UD) at offset 0x2E0 of its hypercall page
    And the guest is still running

  @spec-1.3
  Scenario Outline: Calling a slot above 63 answers -ENOSYS
    When the guest calls into its hypercall page at offset <offset>
    Then the call returns -ENOSYS (-38)

    Examples:
      | offset |
      | 0x800  |
      | 0xFE0  |
