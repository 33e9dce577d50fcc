package org.pvhconf.xen.hypercall;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.pvhconf.xen.domain.ShutdownReason;
import org.pvhconf.xen.testutil.Guest;

/** Each family's results for a PVHv1 domU, driven by registers and guest memory directly. */
class HandlersTest extends HypercallTestBase {
    private static final int XEN_VERSION = 17, CONSOLE_IO = 18, MEMORY_OP = 12, SCHED_OP = 29, HVM_OP = 34,
            VCPU_OP = 24, MMUEXT_OP = 26, PLATFORM_OP = 7, SYSCTL = 35, DOMCTL = 36, XSM_OP = 27, PHYSDEV_OP = 33,
            GRANT_TABLE_OP = 20, EVENT_CHANNEL_OP = 32;

    // ---- xen_version (§4) ----

    @Test
    void xenVersion_version_0x40004() {
        assertEquals(0x00040004, g.call(XEN_VERSION, 0, 0));
    }

    @Test
    void xenVersion_getFeatures_0x30D() {
        g.write(g.scratch, le(8).putInt(0).putInt(0xFFFF).array());
        assertEquals(0, g.call(XEN_VERSION, 6, g.scratch));
        assertEquals(0x30D, readLe(g.scratch, 8).getInt(4));
    }

    @Test
    void xenVersion_getFeaturesSubmapOne_einval() {
        g.write(g.scratch, le(8).putInt(1).putInt(0).array());
        assertEquals(EINVAL, g.call(XEN_VERSION, 6, g.scratch));
    }

    @Test
    void xenVersion_badPointers_efault() {
        for (int op : new int[] {1, 2, 3, 4, 5, 6, 8, 9}) {
            assertEquals(EFAULT, g.call(XEN_VERSION, op, Guest.UNMAPPED), "XENVER " + op);
        }
    }

    @Test
    void xenVersion_pagesize_nullArg4096OtherwiseEinval() {
        assertEquals(4096, g.call(XEN_VERSION, 7, 0));
        assertEquals(EINVAL, g.call(XEN_VERSION, 7, g.scratch));
    }

    @Test
    void xenVersion_capabilitiesAndPlatformParameters() {
        assertEquals(0, g.call(XEN_VERSION, 3, g.scratch));
        String caps = new String(g.read(g.scratch, 80));
        assertTrue(caps.startsWith("xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 \0"));
        assertEquals(0, g.call(XEN_VERSION, 5, g.scratch));
        assertEquals(0xFFFF800000000000L, readLe(g.scratch, 8).getLong(0));
        assertEquals(ENOSYS, g.call(XEN_VERSION, 10, g.scratch));
    }

    // ---- console_io (§12.2, §2.2) ----

    @Test
    void consoleIo_write_printableKeptOthersStripped() {
        g.write(g.scratch, "hi\u0007 there\r\n\tx".getBytes());
        assertEquals(0, g.call(CONSOLE_IO, 0, 15, g.scratch));
        assertEquals("hi there\n\tx", g.d.consoleOutput());
    }

    @Test
    void consoleIo_writeAcrossPageBoundaryThenFault_efault() {
        long va = g.scratch + 4096 - 3;
        g.write(va, "abc".getBytes());
        assertEquals(0, g.call(CONSOLE_IO, 0, 3, va));
        assertEquals(EFAULT, g.call(CONSOLE_IO, 0, 3, Guest.UNMAPPED));
    }

    @Test
    void consoleIo_hugeCount_preemptsAndContinuesWithTheRest() {
        byte[] text = new byte[4096];
        java.util.Arrays.fill(text, (byte) 'x');
        g.write(g.scratch, text);
        long rip = g.cpu().rip;
        g.call(CONSOLE_IO, 0, 0x7FFFFFFF, g.scratch);
        int printed = ConsoleIo.PREEMPT_CHUNKS * 128;
        assertEquals(rip, g.cpu().rip, "preempted: RIP stays at the VMCALL (§1.2)");
        assertEquals(CONSOLE_IO, g.cpu().get(org.pvhconf.x86.cpu.Reg.RAX));
        assertEquals(0x7FFFFFFF - printed, g.cpu().get(org.pvhconf.x86.cpu.Reg.RSI), "the remaining count");
        assertEquals(g.scratch + printed, g.cpu().get(org.pvhconf.x86.cpu.Reg.RDX), "the advanced buffer");
        assertEquals(printed, g.d.consoleOutput().length(), "what was copied so far is printed");
    }

    @Test
    void consoleIo_readAndOthers_epermForDomU() {
        assertEquals(EPERM, g.call(CONSOLE_IO, 1, 16, g.scratch));
        assertEquals(EPERM, g.call(CONSOLE_IO, 7, 16, g.scratch));
    }

    // ---- sched_op (§12.1) ----

    @Test
    void schedOp_shutdownReasonTruncatedToU8() {
        g.write(g.scratch, le(4).putInt(0x103).array());
        assertEquals(0, g.call(SCHED_OP, 2, g.scratch));
        assertEquals(ShutdownReason.CRASH, g.d.shutdownReason());
    }

    @Test
    void schedOp_shutdownCodeTakesPrecedence() {
        g.write(g.scratch, le(4).putInt(1).array());
        assertEquals(0, g.call(SCHED_OP, 5, g.scratch));
        assertFalse(g.d.isShutdown());
        g.write(g.scratch, le(4).putInt(0).array());
        assertEquals(0, g.call(SCHED_OP, 2, g.scratch));
        assertEquals(ShutdownReason.REBOOT, g.d.shutdownReason());
    }

    @Test
    void schedOp_unnamedReason_other() {
        g.write(g.scratch, le(4).putInt(9).array());
        g.call(SCHED_OP, 2, g.scratch);
        assertEquals(ShutdownReason.OTHER, g.d.shutdownReason());
        assertEquals(9, g.d.shutdownCode());
    }

    @Test
    void schedOp_badPointers_efaultAndUnknownEnosys() {
        for (int op : new int[] {2, 3, 4, 5, 6}) {
            assertEquals(EFAULT, g.call(SCHED_OP, op, Guest.UNMAPPED), "SCHEDOP " + op);
        }
        assertEquals(ENOSYS, g.call(SCHED_OP, 7, 0));
        assertFalse(g.d.isShutdown());
    }

    @Test
    void schedOp_pollTooManyPorts_einvalBadPort_einval() {
        g.write(g.scratch, le(24).putLong(g.scratch + 64).putInt(129).putInt(0).putLong(0).array());
        assertEquals(EINVAL, g.call(SCHED_OP, 3, g.scratch));
        g.write(g.scratch + 64, le(4).putInt(4096).array());
        g.write(g.scratch, le(24).putLong(g.scratch + 64).putInt(1).putInt(0).putLong(0).array());
        assertEquals(EINVAL, g.call(SCHED_OP, 3, g.scratch));
    }

    @Test
    void schedOp_remoteShutdown_esrchThenEperm() {
        g.write(g.scratch, le(8).putShort((short) 42).putShort((short) 0).putInt(0).array());
        assertEquals(ESRCH, g.call(SCHED_OP, 4, g.scratch));
        g.write(g.scratch, le(8).putShort((short) g.d.domid()).putShort((short) 0).putInt(0).array());
        assertEquals(EPERM, g.call(SCHED_OP, 4, g.scratch));
    }

    @Test
    void schedOp_watchdog_allocatesTwoThenEnospcBadIdEinval() {
        g.write(g.scratch, le(8).putInt(0).putInt(30).array());
        assertEquals(1, g.call(SCHED_OP, 6, g.scratch));
        assertEquals(2, g.call(SCHED_OP, 6, g.scratch));
        assertEquals(ENOSPC, g.call(SCHED_OP, 6, g.scratch));
        g.write(g.scratch, le(8).putInt(3).putInt(30).array());
        assertEquals(EINVAL, g.call(SCHED_OP, 6, g.scratch));
    }

    @Test
    void schedOp_block_clearsUpcallMaskAndBlocks() {
        assertEquals(0, g.call(SCHED_OP, 1, 0));
        assertEquals(0, g.d.sharedInfo()[1]);
        assertTrue(g.d.vcpu(0).isBlocked());
    }

    // ---- hvm_op (§2.2, §3) ----

    private ByteBuffer param(int domid, int index, long value) {
        return le(16).putShort((short) domid).putShort((short) 0).putInt(index).putLong(value);
    }

    @Test
    void hvmOp_callbackIrqRoundTrip() {
        long via = (2L << 56) | 0xF3;
        g.write(g.scratch, param(DOMID_SELF, 0, via).array());
        assertEquals(0, g.call(HVM_OP, 0, g.scratch));
        g.write(g.scratch, param(DOMID_SELF, 0, 0).array());
        assertEquals(0, g.call(HVM_OP, 1, g.scratch));
        assertEquals(via, readLe(g.scratch, 16).getLong(8));
        assertEquals(0xF3, g.d.callbackVector());
    }

    @Test
    void hvmOp_everyOtherIndex_einvalEvenStorePfn() {
        for (int idx : new int[] {1, 2, 17, 18, 31}) {
            g.write(g.scratch, param(DOMID_SELF, idx, 0).array());
            assertEquals(EINVAL, g.call(HVM_OP, 1, g.scratch), "get index " + idx);
            assertEquals(EINVAL, g.call(HVM_OP, 0, g.scratch), "set index " + idx);
        }
    }

    @Test
    void hvmOp_checkOrder_efaultThenIndexThenDomid() {
        assertEquals(EFAULT, g.call(HVM_OP, 0, Guest.UNMAPPED));
        g.write(g.scratch, param(42, 32, 0).array());
        assertEquals(EINVAL, g.call(HVM_OP, 0, g.scratch), "index >= 32 comes before the domain lookup");
        g.write(g.scratch, param(42, 0, 0).array());
        assertEquals(ESRCH, g.call(HVM_OP, 0, g.scratch));
    }

    @Test
    void hvmOp_getTimeAndOthers() {
        assertEquals(0, g.call(HVM_OP, 10, g.scratch));
        assertEquals(EFAULT, g.call(HVM_OP, 10, Guest.UNMAPPED));
        assertEquals(ENOSYS, g.call(HVM_OP, 5, g.scratch));
        assertEquals(EINVAL, g.call(HVM_OP, 5, 0));
        g.write(g.scratch, le(2).putShort((short) g.d.domid()).array());
        assertEquals(EPERM, g.call(HVM_OP, 2, g.scratch));
        g.write(g.scratch, le(2).putShort((short) DOMID_SELF).array());
        assertEquals(ESRCH, g.call(HVM_OP, 2, g.scratch));
        assertEquals(ENOSYS, g.call(HVM_OP, 99, g.scratch));
    }

    // ---- memory_op (§11) ----

    @Test
    void memoryOp_reservations() {
        g.write(g.scratch, le(2).putShort((short) DOMID_SELF).array());
        assertEquals(8191, g.call(MEMORY_OP, 3, g.scratch));
        assertEquals(8192, g.call(MEMORY_OP, 4, g.scratch));
        assertEquals(8191, g.call(MEMORY_OP, 14, g.scratch));
        assertEquals(8191, g.call(MEMORY_OP, 3 | (5 << 6), g.scratch), "start_extent bits are masked off");
        assertEquals(EFAULT, g.call(MEMORY_OP, 3, Guest.UNMAPPED));
        g.write(g.scratch, le(2).putShort((short) 99).array());
        assertEquals(ESRCH, g.call(MEMORY_OP, 3, g.scratch));
    }

    @Test
    void memoryOp_memoryMap_oneRamEntry() {
        g.write(g.scratch, le(16).putInt(8).putInt(0).putLong(g.scratch + 256).array());
        assertEquals(0, g.call(MEMORY_OP, 9, g.scratch));
        assertEquals(1, readLe(g.scratch, 4).getInt(0));
        ByteBuffer e = readLe(g.scratch + 256, 20);
        assertEquals(0, e.getLong(0));
        assertEquals(32L << 20, e.getLong(8));
        assertEquals(1, e.getInt(16));
        g.write(g.scratch, le(16).putInt(8).putInt(0).putLong(Guest.UNMAPPED).array());
        assertEquals(EFAULT, g.call(MEMORY_OP, 9, g.scratch));
    }

    // ---- vcpu_op (§8) ----

    @Test
    void vcpuOp_isUpAndRangeErrors() {
        assertEquals(1, g.call(VCPU_OP, 3, 0, 0));
        assertEquals(EINVAL, g.call(VCPU_OP, 3, -1, 0));
        assertEquals(EINVAL, g.call(VCPU_OP, 3, 8192, 0));
        assertEquals(ENOENT, g.call(VCPU_OP, 3, 1, 0));
        assertEquals(ENOSYS, g.call(VCPU_OP, 99, 0, 0));
    }

    @Test
    void vcpuOp_initialiseAndUpSecondVcpu() {
        Guest two = new Guest(new org.pvhconf.xen.domain.DomainConfig().vcpus(2));
        assertEquals(0, two.call(VCPU_OP, 3, 1, 0));
        assertEquals(EINVAL, two.call(VCPU_OP, 1, 1, 0), "up before initialise");
        ByteBuffer ctx = le(5168);
        ctx.putLong(5008, 22L * 4096);        // ctrlreg[3]
        ctx.putLong(520 + 128, 0x1234);         // user_regs.rip
        two.write(two.scratch, ctx.array());
        assertEquals(0, two.call(VCPU_OP, 0, 1, two.scratch));
        assertEquals(0x1234, two.d.vcpu(1).cpu().rip);
        assertEquals(EEXIST, two.call(VCPU_OP, 0, 1, two.scratch));
        assertEquals(0, two.call(VCPU_OP, 1, 1, 0));
        assertEquals(1, two.call(VCPU_OP, 3, 1, 0));
    }

    @Test
    void vcpuOp_initialiseNonZeroGsBase_einval() {
        Guest two = new Guest(new org.pvhconf.xen.domain.DomainConfig().vcpus(2));
        ByteBuffer ctx = le(5168);
        ctx.putLong(5008, 22L * 4096);
        ctx.putLong(5152, 1);                   // gs_base_kernel
        two.write(two.scratch, ctx.array());
        assertEquals(EINVAL, two.call(VCPU_OP, 0, 1, two.scratch));
        assertEquals(EFAULT, two.call(VCPU_OP, 0, 1, Guest.UNMAPPED));
    }

    // ---- mmuext_op (§2.2, §12.4) ----

    private void ops(long va, long[][] ops) {
        ByteBuffer b = le(24 * ops.length);
        for (long[] o : ops) {
            b.putInt((int) o[0]).putInt(0).putLong(o[1]).putLong(o[2]);
        }
        g.write(va, b.array());
    }

    @Test
    void mmuextOp_pinsAreNoOpsNewBaseptrEinvalPdoneCounts() {
        ops(g.scratch, new long[][] {{3, 22, 0}, {4, 22, 0}, {5, 22, 0}, {3, 22, 0}});
        long pdone = g.scratch + 512;
        assertEquals(EINVAL, g.call(MMUEXT_OP, g.scratch, 4, pdone, DOMID_SELF));
        assertEquals(2, readLe(pdone, 4).getInt(0));
        ops(g.scratch, new long[][] {{13, 0, 0}});
        assertEquals(EINVAL, g.call(MMUEXT_OP, g.scratch, 1, 0, DOMID_SELF));
        ops(g.scratch, new long[][] {{14, 0, 0}});
        assertEquals(ENOSYS, g.call(MMUEXT_OP, g.scratch, 1, 0, DOMID_SELF));
    }

    @Test
    void mmuextOp_foreigndom_esrchBadOps_efault() {
        assertEquals(ESRCH, g.call(MMUEXT_OP, g.scratch, 1, 0, 0));
        assertEquals(EFAULT, g.call(MMUEXT_OP, Guest.UNMAPPED, 1, 0, DOMID_SELF));
    }

    // ---- privileged and filtered calls (§2.2) ----

    @Test
    void platformOp_efaultThenEaccesThenEperm() {
        assertEquals(EFAULT, g.call(PLATFORM_OP, Guest.UNMAPPED));
        g.write(g.scratch, le(8).putInt(1).putInt(0x03000000).array());
        assertEquals(EACCES, g.call(PLATFORM_OP, g.scratch));
        g.write(g.scratch, le(8).putInt(1).putInt(0x03000001).array());
        assertEquals(EPERM, g.call(PLATFORM_OP, g.scratch));
    }

    @Test
    void sysctlDomctl_efaultThenEperm_xsmOpEnosys() {
        assertEquals(EFAULT, g.call(SYSCTL, Guest.UNMAPPED));
        assertEquals(EPERM, g.call(SYSCTL, g.scratch));
        assertEquals(EFAULT, g.call(DOMCTL, Guest.UNMAPPED));
        assertEquals(EPERM, g.call(DOMCTL, g.scratch));
        assertEquals(ENOSYS, g.call(XSM_OP, g.scratch));
    }

    @Test
    void physdevOp_setIoplFiltered() {
        assertEquals(ENOSYS, g.call(PHYSDEV_OP, 6, g.scratch));
        assertEquals(ENOSYS, g.call(PHYSDEV_OP, 1, g.scratch));
    }

    @Test
    void grantTableOp_filterAndQuerySize() {
        assertEquals(ENOSYS, g.call(GRANT_TABLE_OP, 3, g.scratch, 1));
        assertEquals(ENOSYS, g.call(GRANT_TABLE_OP, 9, g.scratch, 1));
        g.write(g.scratch, le(16).putShort((short) DOMID_SELF).array());
        assertEquals(0, g.call(GRANT_TABLE_OP, 6, g.scratch, 1));
        ByteBuffer q = readLe(g.scratch, 16);
        assertEquals(4, q.getInt(4));
        assertEquals(32, q.getInt(8));
        assertEquals(0, q.getShort(12));
        g.write(g.scratch, le(16).putShort((short) 99).array());
        assertEquals(0, g.call(GRANT_TABLE_OP, 6, g.scratch, 1));
        assertEquals(-2, readLe(g.scratch, 16).getShort(12), "GNTST_bad_domain in the struct");
        assertEquals(EINVAL, g.call(GRANT_TABLE_OP, 6, g.scratch, 2));
        assertEquals(EFAULT, g.call(GRANT_TABLE_OP, 6, Guest.UNMAPPED, 1));
    }

    // ---- event_channel_op (§10) ----

    @Test
    void eventChannelOp_ipiSendSetsPendingAndUpcall() {
        g.write(g.scratch, le(8).putInt(0).putInt(0).array());
        assertEquals(0, g.call(EVENT_CHANNEL_OP, 7, g.scratch));
        int port = readLe(g.scratch, 8).getInt(4);
        assertEquals(3, port, "ports 1 and 2 are the xenstore and console ports");
        g.write(g.scratch, le(4).putInt(port).array());
        assertEquals(0, g.call(EVENT_CHANNEL_OP, 4, g.scratch));
        byte[] si = g.d.sharedInfo();
        assertEquals(1 << 3, si[2048] & 0xFF);
        assertEquals(1, si[0], "evtchn_upcall_pending");
        assertEquals(1, si[8], "evtchn_pending_sel bit 0");
    }

    @Test
    void eventChannelOp_errors() {
        assertEquals(EFAULT, g.call(EVENT_CHANNEL_OP, 4, Guest.UNMAPPED));
        assertEquals(ENOSYS, g.call(EVENT_CHANNEL_OP, 42, g.scratch));
        g.write(g.scratch, le(4).putInt(0).array());
        assertEquals(EINVAL, g.call(EVENT_CHANNEL_OP, 3, g.scratch), "port 0 is reserved");
        g.write(g.scratch, le(12).putInt(24).putInt(0).array());
        assertEquals(EINVAL, g.call(EVENT_CHANNEL_OP, 1, g.scratch), "virq >= NR_VIRQS");
        g.write(g.scratch, le(12).putInt(0).putInt(5).array());
        assertEquals(ENOENT, g.call(EVENT_CHANNEL_OP, 1, g.scratch), "VIRQ_TIMER on a vcpu that does not exist");
        g.write(g.scratch, le(12).putInt(0).putInt(0).array());
        assertEquals(0, g.call(EVENT_CHANNEL_OP, 1, g.scratch));
        assertEquals(EEXIST, g.call(EVENT_CHANNEL_OP, 1, g.scratch));
    }
}
