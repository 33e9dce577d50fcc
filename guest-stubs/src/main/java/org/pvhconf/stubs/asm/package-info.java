/**
 * A small x86-64 assembler for guest stubs: {@link org.pvhconf.stubs.asm.Assembler} (one method per
 * mnemonic, overloaded by operand shape), {@link org.pvhconf.stubs.asm.Label} (forward references,
 * rel8/rel32/abs32s/abs64 fixups), registers as enums and {@link org.pvhconf.stubs.asm.Mem} operands.
 * Its encodings are tested byte for byte against GNU as ({@code encodings.txt} in the tests).
 */
package org.pvhconf.stubs.asm;
