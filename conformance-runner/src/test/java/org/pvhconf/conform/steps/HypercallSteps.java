package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_CALL_PAGE;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_HYPERCALL;
import static org.pvhconf.stubs.kernels.AgentProtocol.OP_VMCALL;

import io.cucumber.datatable.DataTable;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.Agent.Command;

/** The guest makes hypercalls; Then steps check what the guest got back. */
public final class HypercallSteps {

    private final GuestSession session;

    public HypercallSteps(GuestSession session) {
        this.session = session;
    }

    private Agent agent() {
        return session.agent();
    }

    private void call(ParameterTypes.Hypercall hc, long... args) {
        session.last = agent().hypercall(hc.number(), args);
    }

    // ---- When: calls ----

    @When("the guest calls {hypercall} with {subop} and a NULL argument")
    public void callWithNull(ParameterTypes.Hypercall hc, ParameterTypes.Named subop) {
        call(hc, subop.value(), 0);
    }

    @When("the guest calls {hypercall} with {subop} and an unmapped argument pointer")
    public void callWithUnmapped(ParameterTypes.Hypercall hc, ParameterTypes.Named subop) {
        call(hc, subop.value(), GuestSession.UNMAPPED_VA);
    }

    @When("the guest calls {hypercall} with {subop} and a non-NULL argument")
    public void callWithNonNull(ParameterTypes.Hypercall hc, ParameterTypes.Named subop) {
        agent().writeScratch(0, new byte[64]);
        call(hc, subop.value(), agent().scratchVa());
    }

    @When("the guest calls {hypercall} with {subop} and a zeroed {word}")
    public void callWithZeroed(ParameterTypes.Hypercall hc, ParameterTypes.Named subop, String struct) {
        callWithStruct(hc, subop, GuestStructs.named(struct), Map.of());
    }

    @When("the guest calls {hypercall} with {subop} and a {word} buffer filled with 0xFF")
    public void callWithFilled(ParameterTypes.Hypercall hc, ParameterTypes.Named subop, String struct) {
        GuestStructs.Layout layout = GuestStructs.named(struct);
        byte[] filled = new byte[layout.size()];
        java.util.Arrays.fill(filled, (byte) 0xFF); // so that a buffer Xen never wrote cannot pass for one it did
        agent().writeScratch(0, filled);
        session.lastAgent = agent();
        session.lastLayout = layout;
        session.lastBufferVa = agent().scratchVa();
        call(hc, subop.value(), agent().scratchVa());
    }

    @When("the guest calls {hypercall} with {subop} and this {word}:")
    public void callWithTable(ParameterTypes.Hypercall hc, ParameterTypes.Named subop, String struct, DataTable table) {
        Map<String, Long> values = new LinkedHashMap<>();
        table.asMap(String.class, String.class).forEach((k, v) -> values.put((String) k, argument((String) v)));
        callWithStruct(hc, subop, GuestStructs.named(struct), values);
    }

    private void callWithStruct(ParameterTypes.Hypercall hc, ParameterTypes.Named subop, GuestStructs.Layout layout,
                                Map<String, Long> values) {
        agent().writeScratch(0, layout.encode(values));
        session.lastAgent = agent();
        session.lastLayout = layout;
        session.lastBufferVa = agent().scratchVa();
        call(hc, subop.value(), agent().scratchVa());
    }

    @When("the guest calls {hypercall} through its hypercall page with the arguments {arguments}")
    public void callWithArguments(ParameterTypes.Hypercall hc, List<Long> arguments) {
        call(hc, arguments.stream().mapToLong(Long::longValue).toArray());
    }

    @When("the guest executes VMCALL directly with RAX = {value}")
    public void vmcall(Long rax) {
        session.last = agent().execute(new Command(OP_VMCALL, rax, 0, 0, 0, 0, 0, 0));
    }

    @When("the guest calls into its hypercall page at offset {value}")
    public void callPageOffset(Long offset) {
        session.last = agent().execute(new Command(OP_CALL_PAGE, offset, 0, 0, 0, 0, 0, 0, 0));
    }

    @When("the guest writes {string} with console_io \\(18) CONSOLEIO_write \\(0)")
    public void consoleWrite(String text) {
        byte[] bytes = Values.unescape(text).getBytes(StandardCharsets.ISO_8859_1);
        agent().writeScratch(0, bytes);
        session.last = agent().hypercall(18, 0, bytes.length, agent().scratchVa());
    }

    @When("the guest asks XENMEM_memory_map \\(9) for up to {int} entries")
    public void memoryMap(int capacity) {
        GuestStructs.Layout map = GuestStructs.named("xen_memory_map");
        long buffer = agent().scratchVa() + 64;
        agent().writeScratch(0, map.encode(Map.of("nr_entries", (long) capacity, "buffer", buffer)));
        agent().writeScratch(64, new byte[20 * capacity]);
        session.lastLayout = map;
        session.lastBufferVa = agent().scratchVa();
        session.last = agent().hypercall(12, 9, agent().scratchVa());
    }

    // ---- Then: results ----

    @Then("the call returns {result}")
    public void callReturns(ParameterTypes.Expected expected) {
        Agent.Result r = session.last;
        assertTrue(r != null, "no call was made");
        assertTrue(r.done(), () -> "the call did not complete in the guest: " + r);
        assertEquals(expected.rax(), r.result(), () -> String.format("expected RAX %s (%#x), the guest got %#x (%d)",
                expected.text(), expected.rax(), r.result(), r.result()));
    }

    @Then("the {word} the guest got back has {word} = {value}")
    public void fieldIs(String struct, String field, Long expected) {
        long actual = readField(struct, field);
        assertEquals((long) expected, actual, () -> String.format("%s.%s: expected %#x, the guest read %#x",
                struct, field, expected, actual));
    }

    @Then("the {word} the guest got back has {word} > {value}")
    public void fieldGreater(String struct, String field, Long bound) {
        long actual = remember(struct, field);
        assertTrue(Long.compareUnsigned(actual, bound) > 0, () -> String.format("%s.%s = %#x is not above %#x",
                struct, field, actual, bound));
    }

    @Then("the {word} the guest got back has a later {word} than the previous call gave")
    public void fieldLater(String struct, String field) {
        Long before = previous.get(struct + "." + field);
        assertTrue(before != null, "no previous call read " + struct + "." + field);
        long actual = remember(struct, field);
        assertTrue(Long.compareUnsigned(actual, before) > 0, () -> String.format("%s.%s went from %#x to %#x",
                struct, field, before, actual));
    }

    /** Field values read by the steps above, for comparisons with a later call's. */
    private final Map<String, Long> previous = new java.util.HashMap<>();

    private long remember(String struct, String field) {
        long v = readField(struct, field);
        previous.put(struct + "." + field, v);
        return v;
    }

    @Then("the guest got back {int} bytes that Xen wrote over the 0xFF filling")
    public void bytesWritten(int n) {
        byte[] b = agent().readBytes(session.lastBufferVa, n);
        boolean written = false;
        for (byte x : b) {
            written |= x != (byte) 0xFF;
        }
        assertTrue(written, () -> "the " + n + " bytes are all still 0xFF");
    }

    @Then("the {word} the guest got back has bit {int} of {word} clear")
    public void fieldBitClear(String struct, int bit, String field) {
        long actual = readField(struct, field);
        assertEquals(0, actual & (1L << bit), () -> String.format("%s.%s = %#x has bit %d set", struct, field, actual, bit));
    }

    private long readField(String struct, String field) {
        GuestStructs.Layout layout = GuestStructs.named(struct);
        assertEquals(layout, session.lastLayout, "the last call did not use a " + struct);
        GuestStructs.Field f = layout.field(field);
        long word = session.resultAgent().read64(session.lastBufferVa + f.offset());
        return f.size() == 8 ? word : word & ((1L << (8 * f.size())) - 1);
    }

    @Then("the guest got back the string {string}")
    public void gotString(String expected) {
        String actual = agent().readCString(session.lastBufferVa, session.lastLayout.size());
        assertEquals(Values.unescape(expected), actual);
    }

    @Then("the guest got back a NUL-terminated string of at most {int} bytes")
    public void gotBoundedString(int max) {
        byte[] b = agent().readBytes(session.lastBufferVa, max);
        int nul = indexOfNul(b);
        assertTrue(nul >= 0, () -> "no NUL in the first " + max + " bytes the guest got back");
    }

    @Then("the xen_compile_info the guest got back has NUL-terminated strings in compiler, compile_by, compile_domain and compile_date")
    public void compileInfoStrings() {
        GuestStructs.Layout l = GuestStructs.named("xen_compile_info");
        byte[] b = agent().readBytes(session.lastBufferVa, l.size());
        for (String f : List.of("compiler", "compile_by", "compile_domain", "compile_date")) {
            GuestStructs.Field field = l.field(f);
            byte[] part = java.util.Arrays.copyOfRange(b, field.offset(), field.offset() + field.size());
            assertTrue(indexOfNul(part) >= 0, () -> f + " is not NUL-terminated within " + field.size() + " bytes");
        }
    }

    @Then("the guest got back {int} memory map entry/entries")
    public void memoryMapEntries(int n) {
        assertEquals(n, readField("xen_memory_map", "nr_entries"));
    }

    @Then("the guest got back the e820 entry {int}: addr {value}, size {value}, type {int}")
    public void e820Entry(int index, Long addr, Long size, int type) {
        long entry = session.lastBufferVa + 64 + 20L * index; // packed 20-byte records (§11.2)
        assertEquals((long) addr, agent().read64(entry), "addr");
        assertEquals((long) size, agent().read64(entry + 8), "size");
        assertEquals(type, (int) agent().read64(entry + 16), "type");
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Parses an argument list such as {@code (XENVER_version (0), NULL, &scratch, unmapped)}. */
    @io.cucumber.java.ParameterType("\\(.*\\)")
    public List<Long> arguments(String text) {
        List<Long> out = new ArrayList<>();
        for (String token : Values.tokens(text)) {
            out.add(argument(token));
        }
        return out;
    }

    private long argument(String token) {
        java.util.regex.Matcher named = java.util.regex.Pattern
                .compile("([A-Z][A-Za-z0-9_]*) \\((0x[0-9A-Fa-f]+|\\d+)\\)").matcher(token);
        if (named.matches()) {
            return AbiNames.check(AbiNames.CONSTANTS, "constant", named.group(1), Values.parse(named.group(2)));
        }
        return switch (token) {
            case "NULL" -> 0;
            case "unmapped" -> GuestSession.UNMAPPED_VA;
            case "&scratch" -> agent().scratchVa();
            default -> MemoryAbi.pointerOrValue(session, agent(), token);
        };
    }
}
