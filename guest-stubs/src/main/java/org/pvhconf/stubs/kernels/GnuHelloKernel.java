package org.pvhconf.stubs.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.pvhconf.stubs.elf.ElfFile;

/**
 * The PVH kernel built by the GNU toolchain (as + ld) from {@code src/test/resources/gnu/hello-pvh.S},
 * checked in as a binary so it is usable where binutils is not installed. It writes {@link #MESSAGE}
 * through console_io and powers off, like {@link HelloStub}. Its entry symbol is {@code _start}.
 */
public final class GnuHelloKernel {
    /** The class-path resource holding the image. */
    public static final String RESOURCE = "/org/pvhconf/stubs/gnu/hello-pvh.elf";
    public static final String MESSAGE = "Hello from a GNU-built PVH kernel\n";

    private GnuHelloKernel() {
    }

    /** The checked-in image, with the symbols of its .symtab. */
    public static StubImage image() {
        try (InputStream in = GnuHelloKernel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            byte[] elf = in.readAllBytes();
            return new StubImage(elf, ElfFile.parse(elf).symbols());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
