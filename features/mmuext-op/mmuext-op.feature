@mmuext-op
Feature: mmuext_op as 4.4 treats a PVH guest
  mmuext_op(ops, count, pdone, foreigndom). A PVH domain runs in paging mode refcounts|translate|
  external: pinning and unpinning are accepted as no-ops; NEW_BASEPTR, NEW_USER_BASEPTR and SET_LDT
  are -EINVAL; the TLB flushes are executed (a MULTI flush with an unreadable vCPU bitmap is
  -EINVAL); FLUSH_CACHE and FLUSH_CACHE_GLOBAL are -EINVAL without I/O capabilities; CLEAR_PAGE and
  COPY_PAGE take gfns (an invalid gfn is -EINVAL); MARK_SUPER and UNMARK_SUPER are -ENOSYS without
  allowsuperpage, but a misaligned mfn is -EINVAL; anything else is -ENOSYS. A foreigndom other than
  DOMID_SELF is -ESRCH. Processing stops at the first failing op, and *pdone gets the ops done
  (§2.2, §12.4).

  Background:
    Given a PVH guest running the agent stub

  @spec-2.2 @spec-12.4
  Scenario Outline: <cmd> is accepted as a no-op
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd   | arg1  | arg2 |
      | <cmd> | 0x400 | 0    |
    Then the call returns 0
    And the guest's pdone is 1

    Examples:
      | cmd                     |
      | MMUEXT_PIN_L1_TABLE (0) |
      | MMUEXT_PIN_L2_TABLE (1) |
      | MMUEXT_PIN_L3_TABLE (2) |
      | MMUEXT_PIN_L4_TABLE (3) |
      | MMUEXT_UNPIN_TABLE (4)  |

  @spec-2.2 @spec-12.4
  Scenario Outline: <cmd> is -EINVAL for a translated, external-paging domain
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd   | arg1  | arg2 |
      | <cmd> | 0x400 | 0    |
    Then the call returns -EINVAL (-22)
    And the guest's pdone is 0

    Examples:
      | cmd                          |
      | MMUEXT_NEW_BASEPTR (5)       |
      | MMUEXT_NEW_USER_BASEPTR (15) |
      | MMUEXT_SET_LDT (13)          |
      | MMUEXT_FLUSH_CACHE (12)      |
      | MMUEXT_FLUSH_CACHE_GLOBAL (18) |

  @spec-2.2 @spec-12.4
  Scenario Outline: <cmd> is executed
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd   | arg1               | arg2 |
      | <cmd> | 0xFFFFFFFF80100000 | 0    |
    Then the call returns 0

    Examples:
      | cmd                       |
      | MMUEXT_TLB_FLUSH_LOCAL (6) |
      | MMUEXT_INVLPG_LOCAL (7)    |
      | MMUEXT_TLB_FLUSH_ALL (10)  |
      | MMUEXT_INVLPG_ALL (11)     |

  @spec-2.2
  Scenario: A MULTI flush with the guest's vCPU bitmap is executed
    Given the guest's buffer is filled with 1
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                         | arg1 | arg2    |
      | MMUEXT_TLB_FLUSH_MULTI (8)  | 0    | &buffer |
    Then the call returns 0

  @spec-2.2
  Scenario: A MULTI flush with an unreadable vCPU bitmap is -EINVAL
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                        | arg1 | arg2     |
      | MMUEXT_INVLPG_MULTI (9)    | 0    | unmapped |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: CLEAR_PAGE zeroes the page at a gfn
    When the guest maps gfn 0x1800 at its mapping window page 0
    And the guest writes 0x1234 at offset 0x300 of its mapping window page 0
    And the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                    | arg1   | arg2 |
      | MMUEXT_CLEAR_PAGE (16) | 0x1800 | 0    |
    Then the call returns 0
    And the guest reads 0 at offset 0x300 of its mapping window page 0

  @spec-2.2
  Scenario: COPY_PAGE copies the page at gfn arg2 to the page at gfn arg1
    When the guest maps gfn 0x1800 at its mapping window page 0
    And the guest maps gfn 0x1801 at its mapping window page 1
    And the guest writes 0xFACE at offset 0x308 of its mapping window page 0
    And the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                   | arg1   | arg2   |
      | MMUEXT_COPY_PAGE (17) | 0x1801 | 0x1800 |
    Then the call returns 0
    And the guest reads 0xFACE at offset 0x308 of its mapping window page 1

  @spec-2.2
  Scenario: CLEAR_PAGE of a gfn with no page is -EINVAL
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                    | arg1   | arg2 |
      | MMUEXT_CLEAR_PAGE (16) | 0x9000 | 0    |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: MARK_SUPER of an aligned mfn is -ENOSYS without allowsuperpage
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                    | arg1  | arg2 |
      | MMUEXT_MARK_SUPER (19) | 0x200 | 0    |
    Then the call returns -ENOSYS (-38)

  @spec-2.2
  Scenario: UNMARK_SUPER of a misaligned mfn is -EINVAL
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                      | arg1  | arg2 |
      | MMUEXT_UNMARK_SUPER (20) | 0x201 | 0    |
    Then the call returns -EINVAL (-22)

  @spec-2.2
  Scenario: An unknown command is -ENOSYS
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd | arg1 | arg2 |
      | 14  | 0    | 0    |
    Then the call returns -ENOSYS (-38)

  @spec-2.2
  Scenario: A foreigndom other than DOMID_SELF is -ESRCH
    When the guest calls mmuext_op (26) with foreigndom 0 and these ops:
      | cmd                        | arg1 | arg2 |
      | MMUEXT_TLB_FLUSH_LOCAL (6) | 0    | 0    |
    Then the call returns -ESRCH (-3)

  @spec-2.2
  Scenario: Processing stops at the first failing op and pdone counts the ops before it
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and these ops:
      | cmd                        | arg1 | arg2 |
      | MMUEXT_TLB_FLUSH_LOCAL (6) | 0    | 0    |
      | MMUEXT_PIN_L4_TABLE (3)    | 0    | 0    |
      | MMUEXT_NEW_BASEPTR (5)     | 0    | 0    |
      | MMUEXT_TLB_FLUSH_LOCAL (6) | 0    | 0    |
    Then the call returns -EINVAL (-22)
    And the guest's pdone is 2

  @spec-12.4 @spec-1.2
  Scenario: A long batch completes as one call, and pdone counts every op
    When the guest calls mmuext_op (26) with foreigndom 0x7FF0 and 150 MMUEXT_TLB_FLUSH_LOCAL (6) ops
    Then the call returns 0
    And the guest's pdone is 150
    And RSI after the call is 150, or a smaller count with MMU_UPDATE_PREEMPTED (0x80000000) set

  @spec-2.2
  Scenario: An unreadable op array is -EFAULT
    When the guest calls mmuext_op (26) with an unmapped op array
    Then the call returns -EFAULT (-14)
