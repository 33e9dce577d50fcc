@boot
Feature: The toolstack config asks for PVH, and PVH needs HAP and a 64-bit x86 kernel
  xl's pvh=1 makes a PV-type domain PVH; libxl defaults hap to pvh and refuses pvh=1 with
  an explicit hap=0 ("HAP must be on for PVH"). PVHv1 in 4.4 runs only 64-bit x86 kernels
  (§5.3). The initial mapping must fit in the domain's memory (§7.1).

  @spec-5.3
  Scenario: pvh=1 with hap left to its default boots
    Given the agent stub with its usual Xen notes
    And the toolstack config says pvh=1
    When the toolstack builds the domain
    Then the domain is built and the guest starts

  @spec-5.3
  Scenario: pvh=1 with hap=0 is refused
    Given the agent stub with its usual Xen notes
    And the toolstack config says pvh=1 and hap=0
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "HAP must be on for PVH"

  @spec-5.3
  Scenario: A 32-bit ELF image is refused
    Given a 32-bit ELF image
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "PVH not supported for 32bit guests"

  @spec-5.3
  Scenario: An ELF image for another machine is refused
    Given an ELF image for machine 183 (AArch64)
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "EM_X86_64"

  @spec-5.1
  Scenario: A file that is not an ELF image is refused
    Given a file that is not an ELF image
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "not an ELF binary"

  @spec-5.1
  Scenario: A truncated ELF image is refused
    Given the agent stub cut short after 200 bytes
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "outside the 200-byte file"

  @spec-7.1
  Scenario: The initial mapping must fit in the domain's memory
    Given the agent stub with its usual Xen notes
    And the toolstack config gives the domain 2 MiB of memory
    When the toolstack builds the domain
    Then the builder refuses the kernel, naming "not enough memory for initial mapping"
