package org.pvhconf.stubs.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvhconf.stubs.Binutils;
import org.pvhconf.stubs.elf.ElfFile;
import org.pvhconf.stubs.elf.XenNote;

/**
 * The agent's image: symbols, memory layout, descriptor tables and entry code. What it does at run
 * time needs the CPU; see {@link HelloStubCpuTest} for the state of that.
 */
class AgentStubTest {
    private static final StubImage AGENT = new AgentStub().build();

    @TempDir
    Path tmp;

    @Test
    void build_symbols_namedByTheContract() {
        for (String s : List.of("entry", "hypercall_page", "mailbox", "scratch")) {
            assertTrue(AGENT.symbols().containsKey(s), s);
        }
        Map<String, XenNote> n = Images.notes(AGENT.elf());
        assertEquals(AGENT.symbol("entry"), n.get("ENTRY").numeric());
        assertEquals(AGENT.symbol("hypercall_page"), n.get("HYPERCALL_PAGE").numeric());
    }

    /** mailbox (4 KiB) and scratch (16 KiB) are page-aligned, zero-filled bss inside memsz, and do not overlap. */
    @Test
    void build_mailboxAndScratch_areZeroFilledPages() {
        ElfFile.ProgramHeader load = Images.load(AGENT.elf());
        long fileEnd = load.vaddr() + load.filesz();
        long memEnd = load.vaddr() + load.memsz();
        long mailbox = AGENT.symbol("mailbox");
        long scratch = AGENT.symbol("scratch");
        assertEquals(0, mailbox & 0xFFF);
        assertEquals(0, scratch & 0xFFF);
        assertTrue(mailbox >= fileEnd && mailbox + 4096 <= memEnd);
        assertTrue(scratch >= fileEnd && scratch + 16 * 1024 <= memEnd);
        assertTrue(scratch >= mailbox + 4096 || scratch + 16 * 1024 <= mailbox);
        for (String other : AGENT.symbols().keySet()) {
            long va = AGENT.symbol(other);
            assertTrue(other.equals("scratch") || va < scratch || va >= scratch + 16 * 1024, other);
        }
    }

    /** map_window (OP_MAP_GFN's target) is page-aligned bss of MAP_WINDOW_PAGES pages, apart from mailbox and scratch. */
    @Test
    void build_mapWindow_isPageAlignedBssApartFromMailboxAndScratch() {
        ElfFile.ProgramHeader load = Images.load(AGENT.elf());
        long window = AGENT.symbol("map_window");
        long end = window + AgentStub.MAP_WINDOW_PAGES * 4096L;
        assertEquals(0, window & 0xFFF);
        assertTrue(window >= load.vaddr() + load.filesz() && end <= load.vaddr() + load.memsz());
        for (String other : List.of("mailbox", "scratch", "agent_stack")) {
            long va = AGENT.symbol(other);
            assertTrue(va + 4096 <= window || va >= end, other);
        }
    }

    /** The GDT holds null, a 64-bit DPL0 code descriptor (0x08) and a flat data descriptor (0x10), as §7.1's AR values. */
    @Test
    void build_gdt_isFlat64Bit() {
        byte[] gdt = Images.at(AGENT.elf(), AGENT.symbol("gdt"), 24);
        assertEquals(0L, Images.u64(gdt, 0));
        assertEquals(0x00AF9B000000FFFFL, Images.u64(gdt, 8));
        assertEquals(0x00CF93000000FFFFL, Images.u64(gdt, 16));
    }

    /**
     * Every IDT gate is a present DPL0 64-bit interrupt gate on selector 0x08 whose handler pushes a
     * dummy error code only where the CPU pushes none, then the vector, then jumps to trap_common.
     */
    @Test
    void build_idt_everyVectorReachesCommonHandler() {
        byte[] idt = Images.at(AGENT.elf(), AGENT.symbol("idt"), 256 * 16);
        List<Integer> withErrorCode = List.of(8, 10, 11, 12, 13, 14, 17, 21, 29, 30);
        for (int v = 0; v < 256; v++) {
            long lo = Images.u64(idt, v * 16);
            long hi = Images.u64(idt, v * 16 + 8);
            assertEquals(0x08, (lo >>> 16) & 0xFFFF, "selector of vector " + v);
            assertEquals(0x8E, (lo >>> 40) & 0xFF, "type of vector " + v);
            long handler = (lo & 0xFFFF) | ((lo >>> 48) & 0xFFFF) << 16 | (hi & 0xFFFFFFFFL) << 32;
            byte[] code = Images.at(AGENT.elf(), handler, 16);
            int i = 0;
            if (!withErrorCode.contains(v)) {
                assertEquals("6a 00", hex(code, 0, 2), "dummy error code of vector " + v);
                i = 2;
            }
            long pushed;
            if ((code[i] & 0xFF) == 0x6A) {
                pushed = code[i + 1];
                i += 2;
            } else {
                assertEquals(0x68, code[i] & 0xFF, "push imm32 of vector " + v);
                pushed = Images.u64(java.util.Arrays.copyOfRange(code, i + 1, i + 9), 0) & 0xFFFFFFFFL;
                i += 5;
            }
            assertEquals(v, pushed, "pushed vector");
            long target;
            if ((code[i] & 0xFF) == 0xEB) {
                target = handler + i + 2 + code[i + 1];
            } else {
                assertEquals(0xE9, code[i] & 0xFF, "jmp of vector " + v);
                int rel = (int) Images.u64(java.util.Arrays.copyOfRange(code, i + 1, i + 9), 0);
                target = handler + i + 5 + rel;
            }
            assertEquals(AGENT.symbol("trap_common"), target, "handler target of vector " + v);
        }
    }

    /** The first sixteen instructions store RAX..R15, in AgentProtocol order, at mailbox + ENTRY_GPRS, by absolute address. */
    @Test
    void objdump_entry_savesEveryGprFirst() throws IOException {
        Binutils.assume("objdump");
        Path p = tmp.resolve("agent.elf");
        Files.write(p, AGENT.elf());
        long entry = AGENT.symbol("entry");
        String d = Binutils.run(tmp, "objdump", "-d", "-M", "intel", "--start-address=0x" + Long.toHexString(entry),
                "--stop-address=0x" + Long.toHexString(entry + 0x80), p.toString()).check().stdout();
        String[] regs = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
        long mailbox = AGENT.symbol("mailbox");
        for (int i = 0; i < 16; i++) {
            String expected = "mov    QWORD PTR ds:0x" + Long.toHexString(mailbox + 0x20 + 8L * i) + "," + regs[i] + "\n";
            assertTrue(d.contains(expected), expected + " in\n" + d);
        }
        assertEquals(16, d.split("mov    QWORD PTR ds:").length - 1, d);
    }

    private static String hex(final byte[] b, final int from, final int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(i > from ? " " : "").append(String.format("%02x", b[i]));
        }
        return s.toString();
    }
}
