package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_HYPERCALL_REGS;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_MAP_GFN;
import static org.pvhconf.stubs.kernels.AgentProtocol.STATUS_FAULTED;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_READ64;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_READ8;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_WRITE64;
import static org.pvhconf.stubs.kernels.AgentProtocol.STATUS_DONE;

import io.cucumber.datatable.DataTable;
import io.cucumber.java.ParameterType;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.Agent.Command;
import org.pvhconf.stubs.kernels.AgentStub;
import org.pvhconf.stubs.kernels.PvhKernel;

/**
 * Memory, grant tables, mmuext_op and two guests: argument structs in the calling guest's scratch page,
 * pointers named {@code &buffer}, {@code &extents}, {@code &gpfns}, kept values named {@code $name}, and
 * guest code that maps any gfn into its own {@code map_window} (OP_MAP_GFN) to look at it.
 */
public final class MemorySteps {

    /** PTE flags the agent writes: P|RW|A, and P|A (read-only). */
    private static final long PTE_RW = 0x23, PTE_RO = 0x21;
    /** start_info offsets the guest reads (§6.1). */
    private static final int START_INFO_SHARED_INFO = 40, START_INFO_CONSOLE_MFN = 72, START_INFO_STORE_MFN = 56;
    /** shared_info.evtchn_pending (§9.2). */
    private static final int EVTCHN_PENDING = 2048;
    /** RSI at entry is start_info's VA: ENTRY_GPRS slot 6 (§7.1). */
    private static final int ENTRY_RSI = 0x020 + 6 * 8;

    private final GuestSession session;
    /** The last guest memory access through the window, and by whom. */
    private Agent.Result lastAccess;

    public MemorySteps(GuestSession session) {
        this.session = session;
    }

    @ParameterType("the guest|guest A|guest B")
    public String who(String s) {
        return s;
    }

    @ParameterType("guest A|guest B")
    public String peer(String s) {
        return s;
    }

    private Agent agent(String who) {
        return session.agent(who);
    }

    private long window(String who, int page) {
        assertTrue(page >= 0 && page < AgentStub.MAP_WINDOW_PAGES, "the map window has " + AgentStub.MAP_WINDOW_PAGES + " pages");
        return session.kernel().symbol("map_window") + (long) page * 4096;
    }

    // ---- Given: guests and buffers ----

    @Given("a PVH guest with {int} MiB of memory and maxmem {int} MiB running the agent stub")
    public void guestWithMaxmem(int mib, int maxmem) {
        session.config(session.config().withMemoryMiB(mib).withMaxmemMiB(maxmem));
        session.agent();
    }

    @Given("two PVH guests A and B running the agent stub")
    public void twoGuests() {
        session.startTwoGuests();
    }

    @Given("the guest's extent list holds the gfns {arguments}")
    public void extentList(List<Long> gfns) {
        writeList(session.agent(), MemoryAbi.EXTENTS, gfns.stream().mapToLong(Long::longValue).toArray());
    }

    @Given("the guest's extent list holds the {int} gfns from {value}")
    public void extentRange(int n, Long first) {
        long[] gfns = new long[n];
        for (int i = 0; i < n; i++) {
            gfns[i] = first + i;
        }
        writeList(session.agent(), MemoryAbi.EXTENTS, gfns);
    }

    @Given("the guest's gpfn list holds the gfns {arguments}")
    public void gpfnList(List<Long> gfns) {
        writeList(session.agent(), MemoryAbi.GPFNS, gfns.stream().mapToLong(Long::longValue).toArray());
    }

    @Given("the guest's buffer holds the e820 entries:")
    public void e820Entries(DataTable table) {
        List<Map<String, String>> rows = table.asMaps();
        ByteBuffer b = ByteBuffer.allocate(20 * rows.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Map<String, String> r : rows) {
            b.putLong(Values.parse(r.get("addr"))).putLong(Values.parse(r.get("size"))).putInt((int) Values.parse(r.get("type")));
        }
        session.agent().writeScratch(MemoryAbi.BUFFER, b.array());
    }

    @Given("the guest's buffer holds {int} e820 RAM entries")
    public void manyE820(int n) {
        ByteBuffer b = ByteBuffer.allocate(20 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putLong((long) i << 20).putLong(1 << 20).putInt(1);
        }
        session.agent().writeScratch(MemoryAbi.BUFFER, b.array());
    }

    @Given("the guest's buffer is filled with {value}")
    public void fillBuffer(Long v) {
        writeList(session.agent(), MemoryAbi.BUFFER, new long[] {v, v, v, v});
    }

    private static void writeList(Agent a, int offset, long[] values) {
        assertTrue(values.length <= MemoryAbi.MAX_EXTENTS, "at most " + MemoryAbi.MAX_EXTENTS + " entries fit");
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        a.writeScratch(offset, b.array());
    }

    // ---- When: calls with a struct, by any guest, with a count or a start_extent ----

    @When("{peer} calls {hypercall} with {subop} and this {word}:")
    public void peerCalls(String who, ParameterTypes.Hypercall hc, ParameterTypes.Named subop, String struct,
                          DataTable table) {
        callWithStruct(agent(who), hc, struct, table, subop.value(), null);
    }

    @When("the guest calls {hypercall} with {subop}, count {int}, and this {word}:")
    public void callsWithCount(ParameterTypes.Hypercall hc, ParameterTypes.Named subop, int count, String struct,
                               DataTable table) {
        callWithStruct(session.agent(), hc, struct, table, subop.value(), count);
    }

    @When("{peer} calls {hypercall} with {subop}, count {int}, and this {word}:")
    public void peerCallsWithCount(String who, ParameterTypes.Hypercall hc, ParameterTypes.Named subop, int count,
                                   String struct, DataTable table) {
        callWithStruct(agent(who), hc, struct, table, subop.value(), count);
    }

    @When("the guest calls memory_op \\(12) with {subop} and start_extent {int} and this {word}:")
    public void callsWithStartExtent(ParameterTypes.Named subop, int startExtent, String struct, DataTable table) {
        callWithStruct(session.agent(), new ParameterTypes.Hypercall("memory_op", 12), struct, table,
                subop.value() | ((long) startExtent << 6), null);
    }

    @When("the guest calls {hypercall} with {subop} and an unmapped argument pointer, count {int}")
    public void unmappedWithCount(ParameterTypes.Hypercall hc, ParameterTypes.Named subop, int count) {
        session.lastAgent = session.agent();
        session.last = session.agent().hypercall(hc.number(), subop.value(), GuestSession.UNMAPPED_VA, count);
    }

    /** Calls {@code hc(first, &struct)} or, with a count, {@code hc(first, &struct, count)}. */
    private void callWithStruct(Agent a, ParameterTypes.Hypercall hc, String struct, DataTable table, long first,
                                Integer count) {
        GuestStructs.Layout layout = GuestStructs.named(struct);
        Map<String, Long> values = new LinkedHashMap<>();
        table.asMap(String.class, String.class).forEach((k, v) ->
                values.put((String) k, MemoryAbi.pointerOrValue(session, a, (String) v)));
        a.writeScratch(0, layout.encode(values));
        session.lastAgent = a;
        session.lastLayout = layout;
        session.lastBufferVa = a.scratchVa();
        session.last = count == null ? a.hypercall(hc.number(), first, a.scratchVa())
                : a.hypercall(hc.number(), first, a.scratchVa(), count);
    }

    @When("the guest populates the {int} gfns from {value} with one populate_physmap call")
    public void bigPopulate(int n, Long first) {
        extentRange(n, first);
        Agent a = session.agent();
        GuestStructs.Layout layout = GuestStructs.named("xen_memory_reservation");
        a.writeScratch(0, layout.encode(Map.of("extent_start", a.scratchVa() + MemoryAbi.EXTENTS,
                "nr_extents", (long) n, "domid", 0x7FF0L)));
        session.lastAgent = a;
        session.lastLayout = layout;
        session.lastBufferVa = a.scratchVa();
        session.last = a.execute(new Command(OP_HYPERCALL_REGS, 12, 6, a.scratchVa()));
    }

    @Then("RDI after the call is {subop} with a start_extent below {int} in bits 6 and up")
    public void rdiAfterCall(ParameterTypes.Named subop, int bound) {
        long rdi = session.last.out()[0];
        assertEquals(subop.value(), rdi & 0x3F, () -> String.format("RDI = %#x: the low 6 bits are not the op", rdi));
        assertTrue(Long.compareUnsigned(rdi >>> 6, bound) < 0, () -> String.format("RDI = %#x: start_extent %d", rdi, rdi >>> 6));
    }

    @When("the guest calls mmuext_op \\(26) with foreigndom {value} and these ops:")
    public void mmuext(Long foreigndom, DataTable table) {
        Agent a = session.agent();
        List<Map<String, String>> rows = table.asMaps();
        ByteBuffer b = ByteBuffer.allocate(24 * rows.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Map<String, String> r : rows) {
            b.putInt((int) MemoryAbi.pointerOrValue(session, a, r.get("cmd"))).putInt(0)
                    .putLong(MemoryAbi.pointerOrValue(session, a, r.get("arg1")))
                    .putLong(MemoryAbi.pointerOrValue(session, a, r.get("arg2")));
        }
        a.writeScratch(0, b.array());
        a.writeScratch(MemoryAbi.HELPER, new byte[8]);
        session.lastAgent = a;
        session.last = a.hypercall(26, a.scratchVa(), rows.size(), a.scratchVa() + MemoryAbi.HELPER, foreigndom);
    }

    @When("the guest calls mmuext_op \\(26) with foreigndom {value} and {int} {subop} ops")
    public void mmuextBatch(Long foreigndom, int n, ParameterTypes.Named cmd) {
        Agent a = session.agent();
        assertTrue(24 * n <= MemoryAbi.HELPER, "too many ops for the scratch page");
        ByteBuffer b = ByteBuffer.allocate(24 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt((int) cmd.value()).putInt(0).putLong(0).putLong(0);
        }
        a.writeScratch(0, b.array());
        a.writeScratch(MemoryAbi.HELPER, new byte[8]);
        session.lastAgent = a;
        session.last = a.execute(new Command(OP_HYPERCALL_REGS, 26, a.scratchVa(), n, a.scratchVa() + MemoryAbi.HELPER,
                foreigndom));
    }

    @Then("RSI after the call is {int}, or a smaller count with MMU_UPDATE_PREEMPTED \\(0x80000000) set")
    public void rsiAfterMmuext(int count) {
        long rsi = session.last.out()[1] & 0xFFFFFFFFL;
        boolean untouched = rsi == count;
        boolean continued = (rsi & 0x80000000L) != 0 && (rsi & 0x7FFFFFFFL) > 0 && (rsi & 0x7FFFFFFFL) < count;
        assertTrue(untouched || continued, () -> String.format("RSI = %#x after the call", rsi));
    }

    @When("the guest calls mmuext_op \\(26) with an unmapped op array")
    public void mmuextUnmapped() {
        session.last = session.agent().hypercall(26, GuestSession.UNMAPPED_VA, 1, 0, 0x7FF0);
    }

    @Then("the guest's pdone is {int}")
    public void pdone(int n) {
        assertEquals(n, session.agent().read64(session.agent().scratchVa() + MemoryAbi.HELPER) & 0xFFFFFFFFL);
    }

    // ---- Then: what the guest got back in its buffers ----

    @Then("the call returns a value of at least {value}")
    public void atLeast(Long min) {
        assertTrue(session.last.done(), () -> "the call did not complete: " + session.last);
        assertTrue(session.last.result() >= min, () -> String.format("RAX = %d", session.last.result()));
    }

    @Then("the guest reads entry {int} of its {word} list as {value}")
    public void listEntry(int i, String list, Long expected) {
        assertEquals((long) expected, session.resultAgent().read64(listVa(session.resultAgent(), list) + 8L * i));
    }

    @Then("the guest reads entry {int} of its {word} list as something other than {value}")
    public void listEntryChanged(int i, String list, Long old) {
        assertNotEquals((long) old, session.resultAgent().read64(listVa(session.resultAgent(), list) + 8L * i));
    }

    @Then("the guest reads errs[{int}] as {result}")
    public void errs(int i, ParameterTypes.Expected expected) {
        long v = session.resultAgent().read64(session.resultAgent().scratchVa() + MemoryAbi.BUFFER + 4L * i);
        assertEquals(expected.rax(), (long) (int) v, () -> "errs[" + i + "] = " + (int) v);
    }

    private static long listVa(Agent a, String list) {
        return a.scratchVa() + switch (list) {
            case "extent" -> MemoryAbi.EXTENTS;
            case "gpfn" -> MemoryAbi.GPFNS;
            case "buffer", "frame" -> MemoryAbi.BUFFER;
            default -> throw new IllegalArgumentException("no list named " + list);
        };
    }

    /** A GNTST status as {@code GNTST_name (-n)}, checked against §12.3. */
    @ParameterType("(GNTST_[a-z_]+) \\((-?\\d+)\\)")
    public ParameterTypes.Expected gntst(String name, String value) {
        long v = AbiNames.check(AbiNames.CONSTANTS, "grant status", name, Long.parseLong(value));
        return new ParameterTypes.Expected(v, name + " (" + value + ")");
    }

    @Then("the {word} the guest got back has {word} = {gntst}")
    public void fieldIsStatus(String struct, String field, ParameterTypes.Expected expected) {
        GuestStructs.Layout layout = GuestStructs.named(struct);
        assertEquals(layout, session.lastLayout, "the last call did not use a " + struct);
        GuestStructs.Field f = layout.field(field);
        long word = session.resultAgent().read64(session.lastBufferVa + f.offset());
        long v = switch (f.size()) {
            case 1 -> (byte) word;
            case 2 -> (short) word;
            case 4 -> (int) word;
            default -> word;
        };
        assertEquals(expected.rax(), v, () -> String.format("%s.%s: expected %s, the guest read %d", struct, field,
                expected.text(), v));
    }

    @Then("the {word} the guest got back has {word} = ${word}")
    public void fieldIsKept(String struct, String field, String name) {
        GuestStructs.Layout layout = GuestStructs.named(struct);
        assertEquals(layout, session.lastLayout, "the last call did not use a " + struct);
        GuestStructs.Field f = layout.field(field);
        long word = session.resultAgent().read64(session.lastBufferVa + f.offset());
        long v = f.size() == 8 ? word : word & ((1L << (8 * f.size())) - 1);
        Long expected = session.vars.get(name);
        assertTrue(expected != null, "no value kept as $" + name);
        assertEquals((long) expected, v, () -> String.format("%s.%s = %d, $%s = %d", struct, field, v, name, expected));
    }

    @Then("{who} keeps {word} of the {word} as ${word}")
    public void keep(String who, String field, String struct, String name) {
        GuestStructs.Layout layout = GuestStructs.named(struct);
        GuestStructs.Field f = layout.field(field);
        long word = agent(who).read64(agent(who).scratchVa() + f.offset());
        session.vars.put(name, f.size() == 8 ? word : word & ((1L << (8 * f.size())) - 1));
    }

    // ---- the guest's own view of its memory ----

    @Then("the guest's current_reservation is {int}")
    public void currentReservation(int expected) {
        assertEquals(expected, reservationQuery(session.agent(), 3));
    }

    @Then("the guest's maximum_gpfn is {value}")
    public void maximumGpfn(Long expected) {
        assertEquals((long) expected, reservationQuery(session.agent(), 14));
    }

    private static long reservationQuery(Agent a, int op) {
        a.writeScratch(MemoryAbi.HELPER, new byte[] {(byte) 0xF0, 0x7F}); // DOMID_SELF
        Agent.Result r = a.hypercall(12, op, a.scratchVa() + MemoryAbi.HELPER);
        assertEquals(STATUS_DONE, r.status(), () -> "the query did not complete: " + r);
        return r.result();
    }

    @When("{who} maps gfn {value} at its mapping window page {int}")
    public void mapGfn(String who, Long gfn, int page) {
        map(who, gfn, page, PTE_RW);
    }

    @When("{who} maps gfn {value} read-only at its mapping window page {int}")
    public void mapGfnRo(String who, Long gfn, int page) {
        map(who, gfn, page, PTE_RO);
    }

    private void map(String who, long gfn, int page, long flags) {
        Agent.Result r = agent(who).execute(new Command(OP_MAP_GFN, window(who, page), gfn, flags));
        assertEquals(STATUS_DONE, r.status(), () -> who + " could not edit its page tables: " + r);
        assertNotEquals(-1L, r.result(), "the map window's upper page-table levels are not present");
    }

    @When("{who} writes {value} at offset {value} of its mapping window page {int}")
    public void writeWindow(String who, Long value, Long offset, int page) {
        lastAccess = agent(who).execute(new Command(OP_WRITE64, window(who, page) + offset, value));
    }

    @Then("{who} reads {value} at offset {value} of its mapping window page {int}")
    public void readWindow(String who, Long expected, Long offset, int page) {
        Agent.Result r = agent(who).execute(new Command(OP_READ64, window(who, page) + offset));
        assertEquals(STATUS_DONE, r.status(), () -> "the read did not complete: " + r);
        assertEquals((long) expected, r.result(), () -> String.format("%s read %#x", who, r.result()));
    }

    @Then("{who} reads the byte {value} at offset {value} of its mapping window page {int}")
    public void readByteWindow(String who, Long expected, Long offset, int page) {
        Agent.Result r = agent(who).execute(new Command(OP_READ8, window(who, page) + offset));
        assertEquals(STATUS_DONE, r.status(), () -> "the read did not complete: " + r);
        assertEquals((long) expected, r.result());
    }

    @Then("the write does not complete")
    public void writeDidNotComplete() {
        assertTrue(lastAccess != null, "no write was made");
        assertNotEquals(STATUS_DONE, lastAccess.status(), () -> "the write completed: " + lastAccess);
    }

    @Then("the write faults in the guest with exception {int} \\({word}) and error code {int}")
    public void writeFaulted(int vector, String mnemonic, int errorCode) {
        assertTrue(lastAccess != null, "no write was made");
        assertEquals(STATUS_FAULTED, lastAccess.status(), () -> "the write did not fault: " + lastAccess);
        assertEquals(vector, lastAccess.vector(), () -> "vector of " + lastAccess);
        assertEquals(errorCode, lastAccess.out()[1], () -> "error code of " + lastAccess);
    }

    @Then("the toolstack sees {peer} crashed")
    public void peerCrashed(String who) {
        var d = who.endsWith("B") ? session.domainB() : session.domain();
        assertEquals(3, d.shutdownCode(), () -> who + " is not crashed: code " + d.shutdownCode() + " " + d.shutdownCause());
    }

    @Then("{peer} is still running")
    public void peerRunning(String who) {
        var d = who.endsWith("B") ? session.domainB() : session.domain();
        assertEquals(-1, d.shutdownCode(), () -> who + " stopped: " + d.shutdownCause());
    }

    // ---- grant entries, written and read by guest code through the window ----

    @Given("{who} has mapped its grant frame 0 at gfn {value} and at its mapping window page {int}")
    public void mapGrantFrame(String who, Long gfn, int page) {
        Agent a = agent(who);
        GuestStructs.Layout layout = GuestStructs.named("xen_add_to_physmap");
        a.writeScratch(MemoryAbi.HELPER, layout.encode(Map.of("domid", 0x7FF0L, "space", 1L, "idx", 0L, "gpfn", gfn)));
        Agent.Result r = a.hypercall(12, 7, a.scratchVa() + MemoryAbi.HELPER);
        assertEquals(0, r.result(), () -> "add_to_physmap(XENMAPSPACE_grant_table) failed: " + r);
        map(who, gfn, page, PTE_RW);
    }

    @When("^(the guest|guest A|guest B) writes grant entry (\\d+) in window page (\\d+): flags (.+), domid (.+), frame (.+)$")
    public void writeGrantEntry(String who, int ref, int page, String flags, String domid, String frame) {
        Agent a = agent(who);
        long entry = (MemoryAbi.pointerOrValue(session, a, flags) & 0xFFFF)
                | (MemoryAbi.pointerOrValue(session, a, domid) & 0xFFFF) << 16
                | (MemoryAbi.pointerOrValue(session, a, frame) & 0xFFFFFFFFL) << 32;
        Agent.Result r = a.execute(new Command(OP_WRITE64, window(who, page) + ref * 8L, entry));
        assertEquals(STATUS_DONE, r.status(), () -> "the guest could not write its grant entry: " + r);
    }

    @Then("^(the guest|guest A|guest B) reads the flags of grant entry (\\d+) in window page (\\d+) as (.+)$")
    public void grantFlags(String who, int ref, int page, String flags) {
        Agent a = agent(who);
        long expected = MemoryAbi.pointerOrValue(session, a, flags);
        Agent.Result r = a.execute(new Command(OP_READ64, window(who, page) + ref * 8L));
        assertEquals(STATUS_DONE, r.status());
        assertEquals(expected, r.result() & 0xFFFF, () -> String.format("flags = %#x", r.result() & 0xFFFF));
    }

    @Then("^(the guest|guest A|guest B) reads grant entry (\\d+) in window page (\\d+) as domid (.+) and the frame of its start_info\\.(console\\.domU\\.mfn|store_mfn)$")
    public void seededEntry(String who, int ref, int page, String domid, String field) {
        Agent a = agent(who);
        long startInfo = a.entryValue(ENTRY_RSI);
        long pfn = a.read64(startInfo + (field.startsWith("console") ? START_INFO_CONSOLE_MFN : START_INFO_STORE_MFN));
        long entry = a.read64(window(who, page) + ref * 8L);
        assertEquals(MemoryAbi.pointerOrValue(session, a, domid), (entry >>> 16) & 0xFFFF, "domid");
        assertEquals(pfn, entry >>> 32, "frame");
    }

    // ---- event-channel pending bits, read and cleared by guest code in its shared_info ----

    private long pendingWordVa(Agent a, long port) {
        long startInfo = a.entryValue(ENTRY_RSI);
        long sharedInfoGpa = a.read64(startInfo + START_INFO_SHARED_INFO);
        return PvhKernel.VIRT_BASE + sharedInfoGpa + EVTCHN_PENDING + (port / 64) * 8;
    }

    @When("^(guest A|guest B) clears the pending bit of port \\$(\\w+)$")
    public void clearPending(String who, String name) {
        Agent a = agent(who);
        long port = session.vars.get(name);
        long va = pendingWordVa(a, port);
        a.write64(va, a.read64(va) & ~(1L << (port % 64)));
    }

    @Then("^(guest A|guest B) sees port \\$(\\w+) (pending|not pending) in its shared_info$")
    public void pending(String who, String name, String state) {
        Agent a = agent(who);
        long port = session.vars.get(name);
        boolean set = (a.read64(pendingWordVa(a, port)) & (1L << (port % 64))) != 0;
        assertEquals(state.equals("pending"), set, () -> who + ": port " + port + " is " + (set ? "" : "not ") + "pending");
    }

}
