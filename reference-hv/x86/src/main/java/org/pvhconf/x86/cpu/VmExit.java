package org.pvhconf.x86.cpu;

/**
 * Why the CPU stopped and handed control to the hypervisor, named as Intel VMX names its exit reasons.
 *
 * <p>On an instruction exit (VMCALL, CPUID, RDMSR, WRMSR, IO, HLT) RIP still points at the
 * instruction, as on VMX: the hypervisor advances it by {@link #instructionLength()} once it has
 * emulated the instruction, or leaves it to re-execute (a hypercall continuation).
 *
 * @param reason            the exit reason
 * @param qualification     reason-specific detail: for IO the port, for RDMSR/WRMSR the MSR index (ECX),
 *                          for EPT_VIOLATION the access kind (bit 0 read, bit 1 write, bit 2 fetch)
 * @param guestPhysical     for EPT_VIOLATION the guest-physical address that the p2m does not map; else 0
 * @param instructionLength the length in bytes of the exiting instruction; 0 for exits that are not
 *                          caused by an instruction (BUDGET, TRIPLE_FAULT, INTERRUPT_WINDOW, EPT_VIOLATION)
 * @param ioSize            for IO the access size in bytes (1, 2, 4); else 0
 * @param ioIn              for IO true for IN, false for OUT
 */
public record VmExit(Reason reason, long qualification, long guestPhysical, int instructionLength,
                     int ioSize, boolean ioIn) {

    /** VMX basic exit reasons that this CPU produces. */
    public enum Reason {
        /** VMCALL (0F 01 C1) or VMMCALL (0F 01 D9) at any CPL; the hypervisor checks the privilege. */
        VMCALL,
        /** HLT at CPL 0. */
        HLT,
        /** CPUID: the hypervisor supplies EAX..EDX for the leaf in EAX/ECX. */
        CPUID,
        /** RDMSR of an MSR the CPU does not implement itself. */
        RDMSR,
        /** WRMSR of an MSR the CPU does not implement itself. */
        WRMSR,
        /** IN/OUT (and the string forms) at a privilege that allows port I/O. */
        IO,
        /** A guest-physical access that the second-stage translation (the p2m) does not permit. */
        EPT_VIOLATION,
        /** An exception while delivering a double fault. */
        TRIPLE_FAULT,
        /** The interrupt window opened (RFLAGS.IF = 1, no STI/MOV SS shadow) while exiting on it was requested. */
        INTERRUPT_WINDOW,
        /** The instruction budget given to {@link Cpu#run} ran out at an instruction boundary. */
        BUDGET
    }

    public static VmExit of(Reason reason) {
        return new VmExit(reason, 0, 0, 0, 0, false);
    }

    public static VmExit instruction(Reason reason, int length, long qualification) {
        return new VmExit(reason, qualification, 0, length, 0, false);
    }

    public static VmExit eptViolation(long gpa, int accessBits) {
        return new VmExit(Reason.EPT_VIOLATION, accessBits, gpa, 0, 0, false);
    }

    public static VmExit io(int length, int port, int size, boolean in) {
        return new VmExit(Reason.IO, port, 0, length, size, in);
    }
}
