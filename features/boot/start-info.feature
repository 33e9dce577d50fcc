@boot
Feature: start_info describes the domain to a PVHv1 guest
  vCPU0 enters with RSI holding the virtual address of start_info (§7.1). Its layout and the
  values the 4.4 builder writes are in §6.1: guest-physical addresses where a PV guest would
  see machine addresses, and an identity mfn_list, because Xen owns the p2m (auto-translate).
  The builder lays out memory from VIRT_BASE in a fixed order (§7.1).

  Background:
    Given a PVH guest with 32 MiB of memory running the agent stub

  @spec-6.1
  Scenario: start_info begins with the magic "xen-3.0-x86_64"
    Then the guest reads start_info.magic as "xen-3.0-x86_64"

  @spec-6.1
  Scenario: nr_pages counts the pages of the domain
    Then the guest reads start_info.nr_pages as 8192

  @spec-6.1
  Scenario: shared_info is a page-aligned guest-physical address inside the domain
    Then the guest reads start_info.shared_info as a page-aligned guest-physical address below 32 MiB

  @spec-6.2
  Scenario: The builder sets evtchn_upcall_mask in every vcpu_info
    Then the guest reads evtchn_upcall_mask = 1 in all 32 vcpu_info slots of its shared_info page

  @spec-6.1
  Scenario: A domU's start_info flags are 0
    Then the guest reads start_info.flags as 0

  @spec-6.1
  Scenario: The mfn_list is the identity map
    Then the guest reads mfn_list[i] = i for i in 0, 1, 2, 255, 4096, 8191

  @spec-7.1
  Scenario: start_info, xenstore and console pages follow the mfn_list in that order
    Then the guest finds start_info right after the page-rounded mfn_list
    And the guest reads start_info.store_mfn as the page after start_info
    And the guest reads start_info.console.domU.mfn as the page after the xenstore page

  @spec-7.1
  Scenario: The page tables start at pt_base, and the boot stack follows them
    Then the guest saw CR3 at entry equal to the guest-physical address of pt_base
    And the guest saw RSP at entry equal to pt_base + (nr_pt_frames + 1) * 4096

  @spec-7.1
  Scenario: The initial mapping is linear from VIRT_BASE with the builder's PTE flags
    Then the guest's own page-table walk of its entry point finds flags 0x067 at L4, L3 and L2
    And the guest's own page-table walk of its entry point finds flags 0x023 at L1
    And the guest's own page-table walk of its entry point finds the guest frame (entry - VIRT_BASE) >> 12

  @spec-7.1
  Scenario: The page-table pages stay writable for a PVH guest
    Then the guest can write to and read back an unused entry of its L4 page at pt_base
