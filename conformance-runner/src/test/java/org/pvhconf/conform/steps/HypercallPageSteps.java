package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.HexFormat;
import java.util.Map;
import org.pvhconf.conform.harness.Agent;
import org.pvhconf.conform.harness.Agent.Command;

/** The hypercall page's bytes and behaviour (§1.3), CPUID leaves and MSR (§1.4), and the PV-only calls (§2.1). */
public final class HypercallPageSteps {

    private final GuestSession session;

    public HypercallPageSteps(GuestSession session) {
        this.session = session;
    }

    private Agent agent() {
        return session.agent();
    }

    private long page() {
        return session.kernel().symbol("hypercall_page");
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    @Then("the guest reads, in every slot i of its hypercall page except 23, the bytes B8 <i as u32> 0F 01 C1 C3 and then 23 bytes of CC")
    public void everySlot() {
        byte[] page = agent().readBytes(page(), 4096);
        for (int i = 0; i < 128; i++) {
            if (i == 23) {
                continue;
            }
            byte[] expected = new byte[32];
            expected[0] = (byte) 0xB8;
            expected[1] = (byte) i;
            expected[5] = 0x0F;
            expected[6] = 0x01;
            expected[7] = (byte) 0xC1;
            expected[8] = (byte) 0xC3;
            java.util.Arrays.fill(expected, 9, 32, (byte) 0xCC);
            byte[] actual = java.util.Arrays.copyOfRange(page, i * 32, i * 32 + 32);
            int slot = i;
            assertArrayEquals(expected, actual, () -> "slot " + slot + ": " + HexFormat.ofDelimiter(" ").formatHex(actual));
        }
    }

    @Then("the guest reads at offset {value} of its hypercall page the bytes {hexBytes} and then {int} bytes of CC")
    public void bytesThenFill(Long offset, byte[] bytes, int fill) {
        byte[] expected = new byte[bytes.length + fill];
        System.arraycopy(bytes, 0, expected, 0, bytes.length);
        java.util.Arrays.fill(expected, bytes.length, expected.length, (byte) 0xCC);
        assertArrayEquals(expected, agent().readBytes(page() + offset, expected.length));
    }

    @Then("the guest reads at offset {value} of its hypercall page the bytes {hexBytes}")
    public void bytesAt(Long offset, byte[] bytes) {
        assertArrayEquals(bytes, agent().readBytes(page() + offset, bytes.length));
    }

    @io.cucumber.java.ParameterType("[0-9A-F]{2}(?: [0-9A-F]{2})*")
    public byte[] hexBytes(String text) {
        return hex(text);
    }

    @Then("the guest takes exception {int} \\({word}) at offset {value} of its hypercall page")
    public void exceptionAt(int vector, String mnemonic, Long offset) {
        Agent.Result r = session.last;
        assertTrue(r.faulted(), () -> "the guest took no exception: " + r);
        assertEquals(vector, r.vector(), () -> "vector of " + r);
        assertEquals(page() + offset, r.out()[2], () -> "faulting RIP of " + r);
    }

    // ---- CPUID and the hypercall MSR (§1.4) ----

    @When("the guest executes CPUID with EAX = {value}")
    public void cpuid(Long leaf) {
        session.last = agent().execute(new Command(OP_CPUID, leaf, 0));
    }

    @Then("the guest sees EAX = {value}, EBX = {value}, ECX = {value}, EDX = {value}")
    public void cpuidResult(Long eax, Long ebx, Long ecx, Long edx) {
        Agent.Result r = session.last;
        assertTrue(r.done(), () -> "CPUID did not complete: " + r);
        long[] o = r.out();
        assertEquals(String.format("%08x %08x %08x %08x", eax, ebx, ecx, edx),
                String.format("%08x %08x %08x %08x", o[0], o[1], o[2], o[3]));
    }

    @When("the guest reads MSR {value}")
    public void rdmsr(Long msr) {
        session.last = agent().execute(new Command(OP_RDMSR, msr));
    }

    @Then("the guest reads the value {value}")
    public void readValue(Long expected) {
        assertTrue(session.last.done(), () -> "did not complete: " + session.last);
        assertEquals((long) expected, session.last.result());
    }

    // ---- the PV-only calls with well-formed requests (§2.1, §12.4) ----

    private long entryPteVa;
    private long entryPteBefore;

    @When("the guest calls mmu_update \\(1) through its hypercall page with a well-formed request")
    public void mmuUpdate() {
        // A well-formed request as a PV guest would make it: rewrite the L1 PTE that maps the scratch page,
        // addressed by its guest-physical address, with MMU_NORMAL_PT_UPDATE (0), count 1, DOMID_SELF.
        long scratch = agent().scratchVa();
        long l1Gpa = l1EntryGpa(scratch);
        entryPteVa = session.kernel().virtBase() + l1Gpa;
        entryPteBefore = agent().read64(entryPteVa);
        byte[] req = GuestStructs.named("mmu_update").encode(Map.of("ptr", l1Gpa, "val", entryPteBefore | 0x40));
        agent().writeScratch(256, req);
        session.last = agent().hypercall(1, scratch + 256, 1, 0, 0x7FF0);
    }

    @Then("the guest's page tables are unchanged")
    public void pageTablesUnchanged() {
        assertEquals(entryPteBefore, agent().read64(entryPteVa));
    }

    @When("the guest calls set_trap_table \\(0) through its hypercall page with a well-formed request")
    public void setTrapTable() {
        // One trap_info for #UD, then the all-zero terminator, as a PV kernel passes its trap table.
        GuestStructs.Layout ti = GuestStructs.named("trap_info");
        byte[] table = new byte[2 * ti.size()];
        byte[] ud = ti.encode(Map.of("vector", 6L, "cs", 0xE033L, "address", session.kernel().symbol("entry")));
        System.arraycopy(ud, 0, table, 0, ud.length);
        agent().writeScratch(256, table);
        session.last = agent().hypercall(0, agent().scratchVa() + 256);
    }

    /** The guest-physical address of the L1 entry mapping {@code va}, found by a page walk done by guest code. */
    private long l1EntryGpa(long va) {
        long cr3 = agent().entryValue(ENTRY_CR3);
        long tableGpa = cr3 & 0x000FFFFFFFFFF000L;
        for (int level = 0; level < 3; level++) {
            int index = (int) ((va >>> (39 - 9 * level)) & 0x1FF);
            long entry = agent().read64(session.kernel().virtBase() + tableGpa + 8L * index);
            tableGpa = entry & 0x000FFFFFFFFFF000L;
        }
        return tableGpa + 8L * ((va >>> 12) & 0x1FF);
    }
}
