package org.pvhconf.conform.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pvhconf.stubs.kernels.AgentProtocol.*;

import io.cucumber.java.en.Then;
import org.pvhconf.conform.harness.Agent;

/**
 * What the guest finds at entry: its registers (saved by the agent before it changed any), start_info
 * (read by guest code through RSI) and its initial page tables (walked by guest code). §6.1, §7.1.
 */
public final class BootStateSteps {

    /** §6.1 start_info offsets, declared on the test side. */
    private static final int SI_MAGIC = 0, SI_NR_PAGES = 32, SI_SHARED_INFO = 40, SI_FLAGS = 48, SI_STORE_MFN = 56,
            SI_CONSOLE_MFN = 72, SI_PT_BASE = 88, SI_NR_PT_FRAMES = 96, SI_MFN_LIST = 104, SI_CMD_LINE = 128;
    private static final String[] GPR_NAMES = {"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
        "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"};
    private static final long ADDR_MASK = 0x000FFFFFFFFFF000L;

    private final GuestSession session;

    public BootStateSteps(GuestSession session) {
        this.session = session;
    }

    private Agent agent() {
        return session.agent();
    }

    private long startInfo() {
        return agent().entryValue(ENTRY_GPRS + 8 * 6); // RSI at entry
    }

    private long si(int offset) {
        return agent().read64(startInfo() + offset);
    }

    private long virtBase() {
        return session.kernel().virtBase();
    }

    // ---- entry registers ----

    @Then("the guest saw RSI at entry pointing at the start_info magic {string}")
    public void rsiAtMagic(String magic) {
        assertEquals(magic, agent().readCString(startInfo(), 32));
    }

    @Then("the guest saw {word} = {value} at entry")
    public void entryRegister(String reg, Long expected) {
        int offset = switch (reg) {
            case "RFLAGS" -> ENTRY_RFLAGS;
            case "CR0" -> ENTRY_CR0;
            case "CR3" -> ENTRY_CR3;
            case "CR4" -> ENTRY_CR4;
            case "EFER" -> ENTRY_EFER;
            default -> ENTRY_GPRS + 8 * gprIndex(reg);
        };
        long actual = agent().entryValue(offset);
        assertEquals((long) expected, actual, () -> String.format("%s at entry: expected %#x, the guest saw %#x",
                reg, expected, actual));
    }

    @Then("the guest saw 0 at entry in {gprList}")
    public void zeroAtEntry(java.util.List<String> regs) {
        StringBuilder wrong = new StringBuilder();
        for (String r : regs) {
            long v = agent().entryValue(ENTRY_GPRS + 8 * gprIndex(r));
            if (v != 0) {
                wrong.append(String.format(" %s=%#x", r, v));
            }
        }
        assertTrue(wrong.isEmpty(), () -> "not zero at entry:" + wrong);
    }

    @io.cucumber.java.ParameterType("(?:R[A-Z0-9]+)(?:, R[A-Z0-9]+)*")
    public java.util.List<String> gprList(String text) {
        return java.util.List.of(text.split(", "));
    }

    private static int gprIndex(String reg) {
        for (int i = 0; i < GPR_NAMES.length; i++) {
            if (GPR_NAMES[i].equals(reg)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no register " + reg);
    }

    @Then("the guest reports that it entered through its ELF entry point")
    public void enteredAtElfEntry() {
        assertEquals(session.kernel().symbol("entry"), agent().entryValue(ENTRY_RIP));
    }

    @Then("the guest reports that it entered through its alternate entry point")
    public void enteredAtAltEntry() {
        assertEquals(session.kernel().symbol("entry_alt"), agent().entryValue(ENTRY_RIP));
    }

    // ---- start_info ----

    @Then("the guest reads start_info.magic as {string}")
    public void magic(String expected) {
        assertEquals(expected, agent().readCString(startInfo() + SI_MAGIC, 32));
    }

    @Then("the guest reads start_info.cmd_line as {string}")
    public void cmdLine(String expected) {
        assertEquals(expected, agent().readCString(startInfo() + SI_CMD_LINE, 1024));
    }

    @Then("the guest reads start_info.nr_pages as {value}")
    public void nrPages(Long expected) {
        assertEquals((long) expected, si(SI_NR_PAGES));
    }

    @Then("the guest reads start_info.flags as {value}")
    public void flags(Long expected) {
        assertEquals((long) expected, si(SI_FLAGS) & 0xFFFFFFFFL);
    }

    @Then("the guest reads start_info.shared_info as a page-aligned guest-physical address below {int} MiB")
    public void sharedInfo(int mib) {
        long gpa = si(SI_SHARED_INFO);
        assertEquals(0, gpa & 0xFFF, () -> String.format("shared_info %#x is not page-aligned", gpa));
        assertTrue(gpa >= 0 && gpa < (long) mib << 20, () -> String.format("shared_info %#x is not a guest-physical "
                + "address inside the domain (a PV guest would get a machine or virtual address)", gpa));
    }

    @Then("the guest reads evtchn_upcall_mask = {int} in all {int} vcpu_info slots of its shared_info page")
    public void upcallMasks(int expected, int slots) {
        long sharedInfoVa = virtBase() + si(SI_SHARED_INFO); // inside the initial linear mapping (§7.1)
        for (int i = 0; i < slots; i++) {
            int mask = agent().read8(sharedInfoVa + 64L * i + 1);
            int slot = i;
            assertEquals(expected, mask, () -> "vcpu_info[" + slot + "].evtchn_upcall_mask");
        }
    }

    @Then("the guest reads mfn_list[i] = i for i in {indexList}")
    public void mfnListIdentity(java.util.List<Long> indices) {
        long list = si(SI_MFN_LIST);
        for (long i : indices) {
            assertEquals(i, agent().read64(list + 8 * i), "mfn_list[" + i + "]");
        }
    }

    @io.cucumber.java.ParameterType("\\d+(?:, \\d+)*")
    public java.util.List<Long> indexList(String text) {
        return java.util.Arrays.stream(text.split(", ")).map(Long::parseLong).toList();
    }

    @Then("the guest finds start_info right after the page-rounded mfn_list")
    public void startInfoAfterMfnList() {
        long end = si(SI_MFN_LIST) + 8 * si(SI_NR_PAGES);
        assertEquals((end + 0xFFF) & ~0xFFFL, startInfo());
    }

    @Then("the guest reads start_info.store_mfn as the page after start_info")
    public void storeAfterStartInfo() {
        assertEquals(((startInfo() - virtBase()) >> 12) + 1, si(SI_STORE_MFN));
    }

    @Then("the guest reads start_info.console.domU.mfn as the page after the xenstore page")
    public void consoleAfterStore() {
        assertEquals(si(SI_STORE_MFN) + 1, si(SI_CONSOLE_MFN));
    }

    @Then("the guest saw CR3 at entry equal to the guest-physical address of pt_base")
    public void cr3IsPtBase() {
        assertEquals(si(SI_PT_BASE) - virtBase(), agent().entryValue(ENTRY_CR3));
    }

    @Then("the guest saw RSP at entry equal to pt_base + \\(nr_pt_frames + 1) * 4096")
    public void rspAfterPageTables() {
        assertEquals(si(SI_PT_BASE) + (si(SI_NR_PT_FRAMES) + 1) * 4096, agent().entryValue(ENTRY_GPRS + 8 * 4));
    }

    // ---- the initial page tables, walked by the guest ----

    /** The four entries (L4, L3, L2, L1) that map the guest's entry point, read by guest code. */
    private long[] walkEntry() {
        long va = agent().entryValue(ENTRY_RIP);
        long table = si(SI_PT_BASE);
        long[] entries = new long[4];
        for (int level = 0; level < 4; level++) {
            int index = (int) ((va >>> (39 - 9 * level)) & 0x1FF);
            entries[level] = agent().read64(table + 8L * index);
            table = virtBase() + (entries[level] & ADDR_MASK); // page-table pages sit in the linear map
        }
        return entries;
    }

    @Then("the guest's own page-table walk of its entry point finds flags {value} at L4, L3 and L2")
    public void upperFlags(Long flags) {
        long[] e = walkEntry();
        for (int level = 0; level < 3; level++) {
            int l = level;
            assertEquals((long) flags, e[level] & 0xFFF, () -> String.format("L%d entry %#x", 4 - l, e[l]));
            assertEquals(0, e[level] >>> 63, "NX");
        }
    }

    @Then("the guest's own page-table walk of its entry point finds flags {value} at L1")
    public void l1Flags(Long flags) {
        long[] e = walkEntry();
        assertEquals((long) flags, e[3] & 0xFFF, () -> String.format("L1 entry %#x", e[3]));
    }

    @Then("the guest's own page-table walk of its entry point finds the guest frame \\(entry - VIRT_BASE) >> 12")
    public void linearFrame() {
        long[] e = walkEntry();
        assertEquals((agent().entryValue(ENTRY_RIP) - virtBase()) >> 12, (e[3] & ADDR_MASK) >> 12);
    }

    @Then("the guest can write to and read back an unused entry of its L4 page at pt_base")
    public void l4Writable() {
        long slot = si(SI_PT_BASE) + 8 * 1; // L4[1] covers 0x0000008000000000, which nothing maps (§7.1)
        long marker = 0x5A5A5000L; // present bit clear: harmless to the walk
        assertEquals(0, agent().read64(slot), "L4[1] was expected unused");
        agent().write64(slot, marker);
        assertEquals(marker, agent().read64(slot));
        agent().write64(slot, 0);
    }
}
