package org.pvhconf.x86.decode;

/** Instruction bytes as the decoder sees them: the back end's fetch window over guest memory. */
@FunctionalInterface
public interface ByteSource {
    /**
     * Returns the byte at {@code offset} from the start of the instruction (0..14), as 0..255.
     * May throw {@link org.pvhconf.x86.fault.Fault} (#PF on fetch) or
     * {@link org.pvhconf.x86.fault.ExitRequest} (EPT violation): only for bytes the decoder asks for,
     * so an instruction that ends before an unmapped page does not fault.
     */
    int byteAt(int offset);
}
