package org.pvhconf.conform.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_MAP_GFN;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_READ64;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_WRITE64;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvhconf.stubs.kernels.AgentStub;
import org.pvhconf.stubs.kernels.PvhKernel;
import org.pvhconf.stubs.kernels.StubImage;

/** Two guests on one machine: a grant mapping and an event channel, run twice, give identical traces. */
class TwoDomainDeterminismTest {
    private static final StubImage AGENT = new AgentStub().build();

    /** Everything the toolstack can see of one run: both hypercall traces, instruction counts, what B read. */
    private static List<String> run() throws Exception {
        HypervisorUnderTest hv = Hypervisors.fromSystemProperties();
        GuestDomain da = hv.build(AGENT.elf(), GuestConfig.defaults().withName("A"));
        GuestDomain db = hv.build(AGENT.elf(), GuestConfig.defaults().withName("B"));
        Agent a = agent(da);
        Agent b = agent(db);
        long window = AGENT.symbol("map_window");
        // A: grant frame 0 at gfn 0x1F00, seen at its window; entry 8 grants gfn 0x1800 to B; a marker in 0x1800.
        a.writeScratch(0, le(24).putShort((short) 0x7FF0).putShort((short) 0).putInt(1).putLong(0).putLong(0x1F00).array());
        assertEquals(0, a.hypercall(12, 7, a.scratchVa()).result());
        a.execute(new Agent.Command(OP_MAP_GFN, window, 0x1F00, 0x23));
        a.execute(new Agent.Command(OP_WRITE64, window + 64, 1L | (long) db.domid() << 16 | 0x1800L << 32));
        a.execute(new Agent.Command(OP_MAP_GFN, window + 4096, 0x1800, 0x23));
        a.execute(new Agent.Command(OP_WRITE64, window + 4096, 0x5EED));
        // B maps ref 8 at gfn 0x2400 and reads the marker through its own window.
        b.writeScratch(0, le(32).putLong(0x2400L << 12).putInt(2).putInt(8).putShort((short) da.domid()).array());
        assertEquals(0, b.hypercall(20, 0, b.scratchVa(), 1).result());
        b.execute(new Agent.Command(OP_MAP_GFN, window, 0x2400, 0x23));
        long seen = b.execute(new Agent.Command(OP_READ64, window)).result();
        // An event channel A -> B.
        a.writeScratch(0, le(8).putShort((short) 0x7FF0).putShort((short) db.domid()).array());
        a.hypercall(32, 6, a.scratchVa());
        long portA = a.read64(a.scratchVa() + 4) & 0xFFFFFFFFL;
        b.writeScratch(0, le(12).putShort((short) da.domid()).putShort((short) 0).putInt((int) portA).array());
        b.hypercall(32, 0, b.scratchVa());
        a.writeScratch(0, le(4).putInt((int) portA).array());
        a.hypercall(32, 4, a.scratchVa());
        List<String> out = new ArrayList<>();
        out.add("B read " + Long.toHexString(seen));
        out.addAll(da.hypercallTrace());
        out.add("--- B");
        out.addAll(db.hypercallTrace());
        out.add(da.instructionsRetired() + " / " + db.instructionsRetired());
        return out;
    }

    private static Agent agent(GuestDomain d) {
        Agent a = new Agent(d, PvhKernel.VIRT_BASE, AGENT.symbol("mailbox"), AGENT.symbol("scratch"));
        assertEquals(true, a.awaitReady());
        return a;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void run_twice_identicalTracesAndCounts() throws Exception {
        List<String> first = run();
        assertEquals("B read 5eed", first.get(0));
        assertNotEquals(0, first.size());
        assertEquals(first, run());
    }
}
