@time
Feature: System time, the virtual TSC and the wallclock agree
  vcpu_info.time (vcpu_time_info) lets a guest compute Xen system time from its TSC: retry while the
  version is odd, take tsc − tsc_timestamp, shift it by tsc_shift (left if positive, right if
  negative), multiply by tsc_to_system_mul and keep the upper 64 bits of the 96-bit product, add
  system_time, and retry if the version changed (§9.1). HVMOP_get_time returns the same system time in ns
  (§2.2). shared_info carries the wallclock at system time 0 with an even wc_version (§9.2).

  Background:
    Given a PVH guest running the agent stub

  @spec-9.1
  Scenario: Time computed from RDTSC and vcpu_time_info brackets HVMOP_get_time
    When the guest reads the time from its vcpu_time_info and RDTSC, then with HVMOP_get_time, then again from vcpu_time_info
    Then the three readings are in order and less than 5000 ns apart

  @spec-9.1
  Scenario: vcpu_time_info is published with an even version and a multiplier
    Then the guest sees the version of its vcpu_time_info even and tsc_to_system_mul not 0

  @spec-9.2
  Scenario: The wallclock is published with an even wc_version
    Then the guest sees wc_version even and wc_sec not 0
