package org.pvhconf.conform.harness;

import java.util.List;
import java.util.function.BooleanSupplier;

/** One built domain, seen from the toolstack. */
public interface GuestDomain {

    /** How a run ended. */
    enum Stop { SHUT_DOWN, CONDITION_MET, BUDGET_EXHAUSTED, DEADLOCK }

    /**
     * Runs the machine (this domain and every other on the same hypervisor) until {@code stop} holds (checked
     * after every VM exit), this domain shuts down, or the budget is used.
     */
    Stop runUntil(BooleanSupplier stop, long maxInstructions);

    /** The SHUTDOWN_* code the domain shut down with, or -1 while it runs. */
    int shutdownCode();

    /** Why the hypervisor itself stopped the domain (triple fault, crash), or empty. */
    String shutdownCause();

    /** Reads guest-physical memory, as a foreign mapping by the toolstack would. */
    byte[] readPhys(long gpa, int length);

    void writePhys(long gpa, byte[] data);

    long readPhysU64(long gpa);

    void writePhysU64(long gpa, long value);

    /** Everything the guest wrote with console_io. */
    String console();

    /** One line per hypercall the guest made, in order. */
    List<String> hypercallTrace();

    long instructionsRetired();

    /** The domain's id, as the toolstack (and xenstore) would tell a peer. */
    int domid();
}
