@xen-version
Feature: xen_version sub-operations
  xen_version (17) is unfiltered for PVH (§2.1). Sub-ops 0 and 7 return their answer in RAX;
  the others fill the caller's buffer and return 0. A buffer Xen cannot write gives -EFAULT, and
  an unknown sub-op -ENOSYS (§4.3).

  Background:
    Given a PVH guest running the agent stub

  @spec-4.3
  Scenario: XENVER_version returns (major << 16) | minor, ignoring its argument
    When the guest calls xen_version (17) with XENVER_version (0) and an unmapped argument pointer
    Then the call returns 0x00040004

  @spec-4.3
  Scenario: XENVER_extraversion fills a NUL-terminated string of at most 16 bytes
    When the guest calls xen_version (17) with XENVER_extraversion (1) and a xen_extraversion buffer filled with 0xFF
    Then the call returns 0
    And the guest got back a NUL-terminated string of at most 16 bytes

  @spec-4.3
  Scenario: XENVER_compile_info fills the 144-byte compile information
    When the guest calls xen_version (17) with XENVER_compile_info (2) and a xen_compile_info buffer filled with 0xFF
    Then the call returns 0
    And the xen_compile_info the guest got back has NUL-terminated strings in compiler, compile_by, compile_domain and compile_date

  @spec-4.3
  Scenario: XENVER_capabilities lists what a 4.4 hypervisor with HVM can run
    When the guest calls xen_version (17) with XENVER_capabilities (3) and a zeroed xen_capabilities_info
    Then the call returns 0
    And the guest got back the string "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 "

  @spec-4.3
  Scenario: XENVER_changeset fills a NUL-terminated string
    When the guest calls xen_version (17) with XENVER_changeset (4) and a xen_changeset_info buffer filled with 0xFF
    Then the call returns 0
    And the guest got back a NUL-terminated string of at most 64 bytes

  @spec-4.3
  Scenario: XENVER_platform_parameters gives HYPERVISOR_VIRT_START even for PVH
    When the guest calls xen_version (17) with XENVER_platform_parameters (5) and a zeroed xen_platform_parameters
    Then the call returns 0
    And the xen_platform_parameters the guest got back has virt_start = 0xFFFF800000000000

  @spec-4.2
  Scenario: XENVER_get_features reports exactly {0, 2, 3, 8, 9} to a PVHv1 domU
    When the guest calls xen_version (17) with XENVER_get_features (6) and this xen_feature_info:
      | submap_idx | 0 |
    Then the call returns 0
    And the xen_feature_info the guest got back has submap = 0x0000030D

  @spec-4.2
  Scenario: writable_descriptor_tables is required by the toolstack but not reported
    When the guest calls xen_version (17) with XENVER_get_features (6) and this xen_feature_info:
      | submap_idx | 0 |
    Then the xen_feature_info the guest got back has bit 1 of submap clear

  @spec-4.2
  Scenario: Only feature submap 0 exists
    When the guest calls xen_version (17) with XENVER_get_features (6) and this xen_feature_info:
      | submap_idx | 1 |
    Then the call returns -EINVAL (-22)

  @spec-4.3
  Scenario: XENVER_pagesize with a NULL argument returns 4096
    When the guest calls xen_version (17) with XENVER_pagesize (7) and a NULL argument
    Then the call returns 4096

  @spec-4.3
  Scenario: XENVER_pagesize with an argument is refused
    When the guest calls xen_version (17) with XENVER_pagesize (7) and a zeroed xen_feature_info
    Then the call returns -EINVAL (-22)

  @spec-4.3
  Scenario: XENVER_guest_handle fills the 16-byte domain handle
    When the guest calls xen_version (17) with XENVER_guest_handle (8) and a xen_domain_handle buffer filled with 0xFF
    Then the call returns 0
    And the guest got back 16 bytes that Xen wrote over the 0xFF filling

  @spec-4.3
  Scenario: XENVER_commandline fills Xen's NUL-terminated command line
    When the guest calls xen_version (17) with XENVER_commandline (9) and a xen_commandline buffer filled with 0xFF
    Then the call returns 0
    And the guest got back a NUL-terminated string of at most 1024 bytes

  @spec-4.3
  Scenario: An unknown xen_version sub-op answers -ENOSYS
    When the guest calls xen_version (17) through its hypercall page with the arguments (10, NULL)
    Then the call returns -ENOSYS (-38)

  @spec-4.3
  Scenario Outline: A buffer Xen cannot write gives -EFAULT
    When the guest calls xen_version (17) with <subop> and an unmapped argument pointer
    Then the call returns -EFAULT (-14)

    Examples:
      | subop                           |
      | XENVER_extraversion (1)         |
      | XENVER_get_features (6)         |
      | XENVER_platform_parameters (5)  |
