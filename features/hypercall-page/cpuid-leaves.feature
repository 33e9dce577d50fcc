@hypercall-page
Feature: The Xen CPUID leaves seen by a PVHv1 guest
  Xen's leaves start at 0x40000000 (no Viridian for PVH). PVHv1 forces tsc_mode NEVER_EMULATE,
  so the leaf limit is 2; leaf 1 gives the version and leaf 2 the hypercall-page count and MSR.
  The feature bit for PT update preserving A/D is for PV guests only (§1.4).

  Background:
    Given a PVH guest running the agent stub

  @spec-1.4
  Scenario: Leaf 0x40000000 gives the signature "XenVMMXenVMM" and the leaf limit
    When the guest executes CPUID with EAX = 0x40000000
    Then the guest sees EAX = 0x40000002, EBX = 0x566E6558, ECX = 0x65584D4D, EDX = 0x4D4D566E

  @spec-1.4
  Scenario: Leaf 0x40000001 gives the Xen version
    When the guest executes CPUID with EAX = 0x40000001
    Then the guest sees EAX = 0x00040004, EBX = 0, ECX = 0, EDX = 0

  @spec-1.4
  Scenario: Leaf 0x40000002 gives one hypercall page at MSR 0x40000000
    When the guest executes CPUID with EAX = 0x40000002
    Then the guest sees EAX = 1, EBX = 0x40000000, ECX = 0, EDX = 0

  @spec-1.4
  Scenario: Reading the hypercall-page MSR returns 0
    When the guest reads MSR 0x40000000
    Then the guest reads the value 0
