@boot
Feature: The toolstack builds a PVH domain only from a kernel whose Xen notes allow it
  The 4.4 builder reads "Xen" ELF notes from PT_NOTE program headers, then from SHT_NOTE
  sections (§5.1). It requests writable_descriptor_tables, auto_translated_physmap,
  supervisor_mode_kernel and hvm_callback_vector for a PVH guest, so the kernel must declare
  all four as supported, in FEATURES (with or without "!") or in SUPPORTED_FEATURES (§5.3).
  XEN_VERSION must start with "xen-3.0"; LOADER must start with "generic" unless GUEST_OS
  starts with "linux" (§5.2). The toolstack's config, not the kernel, asks for PVH (§5.3).

  @spec-5.3
  Scenario: A kernel that supports the four PVH features boots
    Given the agent stub with its usual Xen notes
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.3
  Scenario Outline: A kernel that lacks a PVH feature is refused
    Given the agent stub whose FEATURES note is "<features>"
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "unsupported feature requested"
    And the refusal names "<missing>"

    Examples:
      | missing                    | features                                                                        |
      | hvm_callback_vector        | writable_descriptor_tables\|auto_translated_physmap\|supervisor_mode_kernel     |
      | writable_descriptor_tables | auto_translated_physmap\|supervisor_mode_kernel\|hvm_callback_vector            |
      | auto_translated_physmap    | writable_descriptor_tables\|supervisor_mode_kernel\|hvm_callback_vector         |
      | supervisor_mode_kernel     | writable_descriptor_tables\|auto_translated_physmap\|hvm_callback_vector        |

  @spec-5.3
  Scenario: Features marked required with "!" count as supported
    Given the agent stub whose FEATURES note is "!writable_descriptor_tables|!auto_translated_physmap|!supervisor_mode_kernel|!hvm_callback_vector"
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.3
  Scenario: Features declared only in SUPPORTED_FEATURES count as supported
    Given the agent stub with no FEATURES note and a SUPPORTED_FEATURES note of 0x0000010E
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.3
  Scenario: An unknown feature marked required makes the FEATURES note unusable
    Given the agent stub whose FEATURES note is "writable_descriptor_tables|auto_translated_physmap|supervisor_mode_kernel|hvm_callback_vector|!no_such_feature"
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "no_such_feature"

  @spec-5.3
  Scenario: An unknown feature not marked required is ignored
    Given the agent stub whose FEATURES note is "writable_descriptor_tables|auto_translated_physmap|supervisor_mode_kernel|hvm_callback_vector|no_such_feature"
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.2
  Scenario: XEN_VERSION must start with "xen-3.0"
    Given the agent stub whose XEN_VERSION note is "xen-2.0"
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "XEN_VERSION"
    And the refusal names "xen-2.0"

  @spec-5.2
  Scenario: LOADER must start with "generic" when GUEST_OS is not Linux
    Given the agent stub whose LOADER note is "custom" and GUEST_OS note is "mini-os"
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "LOADER"

  @spec-5.2
  Scenario: A generic LOADER boots whatever the GUEST_OS
    Given the agent stub whose LOADER note is "generic" and GUEST_OS note is "mini-os"
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.2
  Scenario: A Linux GUEST_OS boots whatever the LOADER
    Given the agent stub whose LOADER note is "custom" and GUEST_OS note is "linux"
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.2
  Scenario: An x86 image with no Xen notes is refused
    Given the agent stub with no Xen notes
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "no Xen notes"

  @spec-5.1
  Scenario: Notes whose name is not "Xen" are not Xen notes
    Given the agent stub whose notes are named "Xem"
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "no Xen notes"

  @spec-5.1
  Scenario: Notes found only in a SHT_NOTE section are used
    Given the agent stub with its Xen notes only in a SHT_NOTE section
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.1
  Scenario: A PT_NOTE header at file offset 0 is skipped in favour of the sections
    Given the agent stub whose PT_NOTE header has p_offset 0
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.1
  Scenario: A 4-byte numeric note is read as a 4-byte number
    Given the agent stub whose ENTRY note is the entry address in a 4-byte descriptor
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "entry"

  @spec-5.2
  Scenario: The entry point must lie inside the kernel
    Given the agent stub whose ENTRY note points past the end of the kernel
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "entry"

  @spec-5.2
  Scenario: The kernel must not start below VIRT_BASE
    Given the agent stub whose PADDR_OFFSET note is 0x200000, above its lowest p_paddr
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "virt_base"

  @spec-5.2
  Scenario: XEN_ELFNOTE_ENTRY overrides the ELF header's entry point
    Given the agent stub whose ENTRY note names its alternate entry point
    When the toolstack builds the domain
    Then the domain is built and the guest starts
    And the guest reports that it entered through its alternate entry point
