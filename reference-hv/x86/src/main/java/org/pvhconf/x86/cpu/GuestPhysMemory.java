package org.pvhconf.x86.cpu;

/**
 * Guest-physical memory as the CPU sees it: the second translation stage (on VMX, EPT), owned by
 * the hypervisor. The CPU asks for one 4 KiB frame at a time and caches the answer in its TLB,
 * so the owner must call {@link Cpu#flushTlb()} whenever a mapping it handed out changes.
 */
public interface GuestPhysMemory {

    /** Access kinds, as the bits of an EPT-violation qualification. */
    int READ = 1, WRITE = 2, FETCH = 4;

    /**
     * Returns the 4096-byte backing array of guest frame {@code gfn} if the mapping permits
     * {@code access} (one of {@link #READ}, {@link #WRITE}, {@link #FETCH}), or {@code null} when it
     * does not: the CPU then stops with an EPT_VIOLATION exit before the instruction has any effect.
     */
    byte[] frame(long gfn, int access);
}
