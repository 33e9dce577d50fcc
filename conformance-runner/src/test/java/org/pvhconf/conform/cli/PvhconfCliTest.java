package org.pvhconf.conform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvhconf.stubs.elf.XenNoteType;
import org.pvhconf.stubs.kernels.GnuHelloKernel;
import org.pvhconf.stubs.kernels.HelloStub;
import picocli.CommandLine;

/** {@code pvhconf boot}, run in-process: console on stdout, one summary line on stderr, DESIGN's exit statuses. */
class PvhconfCliTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Pvhconf.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path writeText(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void boot_gnuBuiltKernel_printsAndPowersOff() throws IOException {
        Path kernel = write("hello-pvh.elf", GnuHelloKernel.image().elf());
        Run r = run("boot", kernel.toString());
        assertEquals(0, r.status(), r::err);
        assertEquals("Hello from a GNU-built PVH kernel\n", r.out());
        assertTrue(r.err().matches("(?s)pvhconf: domain \\S+ shut down: poweroff; \\d+ guest instructions, 2 hypercalls, .* MIPS\\R"),
                r::err);
    }

    @Test
    void boot_crashingKernel_exits1() throws IOException {
        Run r = run("boot", write("crash.elf", HelloStub.crash().build().elf()).toString());
        assertEquals(1, r.status(), r::err);
        assertTrue(r.err().contains("shut down: crash"), r::err);
    }

    @Test
    void boot_rebootingKernel_exits3() throws IOException {
        Run r = run("boot", write("reboot.elf", new HelloStub().shutdownReason(1).build().elf()).toString());
        assertEquals(3, r.status(), r::err);
    }

    @Test
    void boot_kernelWithoutCallbackVector_isRefusedNamingTheFeature() throws IOException {
        byte[] elf = new HelloStub().notes(n -> n.features(
                "writable_descriptor_tables|auto_translated_physmap|supervisor_mode_kernel")).build().elf();
        Run r = run("boot", write("nocb.elf", elf).toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("hvm_callback_vector"), r::err);
        assertFalse(r.err().contains("Exception"), r::err);
        assertEquals("", r.out());
    }

    @Test
    void boot_wrongXenVersion_isRefused() throws IOException {
        byte[] elf = new HelloStub().notes(n -> n.xenVersion("xen-2.0")).build().elf();
        Run r = run("boot", write("v2.elf", elf).toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("XEN_VERSION") && r.err().contains("xen-2.0"), r::err);
    }

    @Test
    void boot_notAnElf_isRefused() throws IOException {
        Run r = run("boot", writeText("notes.txt", "this is not a kernel\n").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("ELF"), r::err);
    }

    @Test
    void boot_notX86_64_isRefusedNamingTheMachine() throws IOException {
        byte[] elf = new HelloStub().elf(w -> w.machine(183)).build().elf(); // EM_AARCH64
        Run r = run("boot", write("arm.elf", elf).toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("183"), r::err);
    }

    @Test
    void boot_noNotes_isRefused() throws IOException {
        byte[] elf = new HelloStub().notes(n -> n.clear()).build().elf();
        Run r = run("boot", write("nonotes.elf", elf).toString());
        assertEquals(2, r.status(), r::err);
    }

    @Test
    void boot_configWithHapOff_isRefused() throws IOException {
        write("k.elf", GnuHelloKernel.image().elf());
        Path cfg = writeText("guest.cfg", "name = \"g\"\nkernel = \"k.elf\"\nmemory = 32\npvh = 1\nhap = 0\n");
        Run r = run("boot", "--config", cfg.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("HAP must be on for PVH"), r::err);
    }

    @Test
    void boot_configNamesTheKernel_boots() throws IOException {
        write("k.elf", GnuHelloKernel.image().elf());
        Path cfg = writeText("guest.cfg", "# a PVHv1 guest\nname = \"hello\"\nkernel = \"k.elf\"\nmemory = 64\nvcpus = 1\npvh = 1\n");
        Run r = run("boot", "--config", cfg.toString());
        assertEquals(0, r.status(), r::err);
        assertTrue(r.err().contains("domain hello"), r::err);
    }

    @Test
    void boot_configSyntaxError_isRefusedNamingTheLine() throws IOException {
        Path cfg = writeText("bad.cfg", "kernel = \"k.elf\"\nmemory 32\n");
        Run r = run("boot", "--config", cfg.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("2"), r::err);
    }

    @Test
    void boot_missingKernelFile_isRefused() {
        Run r = run("boot", dir.resolve("absent.elf").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("absent.elf"), r::err);
    }

    @Test
    void boot_unknownOption_isRefusedNamingIt() {
        Run r = run("boot", "--frobnicate", "x");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--frobnicate"), r::err);
    }

    @Test
    void boot_badEngine_isRefused() {
        Run r = run("boot", "--engine", "qemu", "k.elf");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("qemu"), r::err);
    }

    @Test
    void bench_nonPositiveQuantum_isRefusedNamingTheValue() {
        Run r = run("bench", "--quantum", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--quantum must be positive: 0"), r::err);
        assertTrue(r.out().isEmpty(), r::out);
    }
}
