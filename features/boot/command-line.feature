@boot
Feature: The toolstack's command line reaches the guest in start_info
  xl's extra= (or cmdline=) is copied, NUL-terminated, into start_info.cmd_line, which holds at
  most 1024 bytes (§6.1).

  @spec-6.1
  Scenario: The command line is in start_info
    Given a PVH guest running the agent stub with the command line "console=hvc0 earlyprintk=xen"
    Then the guest reads start_info.cmd_line as "console=hvc0 earlyprintk=xen"

  @spec-6.1
  Scenario: An empty command line is an empty string
    Given a PVH guest running the agent stub with the command line ""
    Then the guest reads start_info.cmd_line as ""
