@boot
Feature: vCPU0 enters a PVHv1 kernel in 64-bit mode with paging on
  The 4.4 builder and VMCS defaults give vCPU0 a fixed entry state (§7.1): RIP at the ELF
  entry, RSI at start_info, RFLAGS 0x202, CR0 = PE|ET|PG, CR4 = PAE, EFER = SCE|LME|LMA, CR3
  at the L4 page, and 0 in every other general-purpose register. The agent saves its registers
  before it changes any of them.

  Background:
    Given a PVH guest running the agent stub

  @spec-7.1
  Scenario: RSI holds the virtual address of start_info
    Then the guest saw RSI at entry pointing at the start_info magic "xen-3.0-x86_64"

  @spec-7.1
  Scenario: RFLAGS is 0x202 at entry (IF set by the 4.4 builder)
    Then the guest saw RFLAGS = 0x202 at entry

  @spec-7.1
  Scenario: CR0 is PE|ET|PG at entry, with WP and NE clear
    Then the guest saw CR0 = 0x80000011 at entry

  @spec-7.1
  Scenario: CR4 is PAE only at entry
    Then the guest saw CR4 = 0x20 at entry

  @spec-7.1
  Scenario: EFER is SCE|LME|LMA at entry in Xen 4.4, with NXE clear
    Then the guest saw EFER = 0x501 at entry

  @spec-7.1
  Scenario: Every other general-purpose register is 0 at entry
    Then the guest saw 0 at entry in RAX, RCX, RDX, RBX, RBP, RDI, R8, R9, R10, R11, R12, R13, R14, R15

  @spec-7.1
  Scenario: RIP is the kernel's entry point
    Then the guest reports that it entered through its ELF entry point
