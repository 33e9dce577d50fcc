package org.pvhconf.xen;

/** How {@link Hypervisor#run} ended. */
public enum RunOutcome {
    /** Every domain has shut down. */
    ALL_SHUT_DOWN,
    /** The stop condition became true after a VM exit. */
    STOPPED,
    /** The instruction budget was used up. */
    BUDGET_EXHAUSTED,
    /** Every vCPU is blocked or offline and no timer is armed that could wake one. */
    DEADLOCK
}
