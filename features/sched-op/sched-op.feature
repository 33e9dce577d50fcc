@sched-op
Feature: The other sched_op sub-operations
  SCHEDOP_yield returns 0; SCHEDOP_poll checks its argument; an unknown sub-op answers -ENOSYS;
  sched_op_compat (6) is absent for PVH (§12.1).

  Background:
    Given a PVH guest running the agent stub

  @spec-12.1
  Scenario: SCHEDOP_yield returns 0
    When the guest calls sched_op (29) with SCHEDOP_yield (0) and a NULL argument
    Then the call returns 0

  @spec-12.1
  Scenario: SCHEDOP_poll with more than 128 ports is -EINVAL
    When the guest calls sched_op (29) with SCHEDOP_poll (3) and this sched_poll:
      | nr_ports | 129 |
    Then the call returns -EINVAL (-22)

  @spec-12.1
  Scenario: An unknown sched_op answers -ENOSYS
    When the guest calls sched_op (29) through its hypercall page with the arguments (0x40, NULL)
    Then the call returns -ENOSYS (-38)

  @spec-7.1
  Scenario: HLT with interrupts disabled takes the only vCPU offline and powers the domain off
    When the guest disables interrupts and executes HLT
    Then the toolstack sees the domain shut down with reason poweroff (0)

  @spec-7.1
  Scenario: A triple fault powers a PVHv1 domain off
    When the guest loads an empty IDT and executes UD2
    Then the toolstack sees the domain shut down with reason poweroff (0)
    And the hypervisor says the domain triple-faulted
