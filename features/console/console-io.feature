@console
Feature: console_io for a PVH domU
  CONSOLEIO_write (0) writes count bytes to Xen's console; for a domU, non-printable characters
  are stripped (§12.2). XSM gates console_io before it looks at the command: an unprivileged
  domain gets -EPERM for everything, except that a debug ("verbose") build lets every domain
  write. This reference hypervisor behaves as a debug build, so a domU can print but not read
  (§2.2).

  Background:
    Given a PVH guest running the agent stub

  @spec-12.2
  Scenario: What the guest writes reaches the toolstack's console
    When the guest writes "hello, toolstack\n" with console_io (18) CONSOLEIO_write (0)
    Then the call returns 0
    And the toolstack console shows "hello, toolstack"

  @spec-12.2
  Scenario: Non-printable characters are stripped from a domU's output
    When the guest writes "be\u0007ll\u001b!\n" with console_io (18) CONSOLEIO_write (0)
    Then the call returns 0
    And the toolstack console shows "bell!"

  @spec-2.2
  Scenario: A domU may not read the console
    When the guest calls console_io (18) through its hypercall page with the arguments (CONSOLEIO_read (1), 16, &scratch)
    Then the call returns -EPERM (-1)

  @spec-2.2
  Scenario: XSM refuses an unknown console_io command before the command is looked at
    When the guest calls console_io (18) through its hypercall page with the arguments (7, 0, NULL)
    Then the call returns -EPERM (-1)

  @spec-12.2
  Scenario: A buffer Xen cannot read gives -EFAULT
    When the guest calls console_io (18) through its hypercall page with the arguments (CONSOLEIO_write (0), 16, unmapped)
    Then the call returns -EFAULT (-14)
