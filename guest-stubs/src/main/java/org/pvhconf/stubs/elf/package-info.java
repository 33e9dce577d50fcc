/**
 * ELF64 images for PVH kernels: {@link org.pvhconf.stubs.elf.ElfWriter} (PT_LOAD, PT_NOTE, sections,
 * symbols, and deliberate defects), {@link org.pvhconf.stubs.elf.XenNotes} (the "Xen" notes of
 * pvh-abi.md §5), and {@link org.pvhconf.stubs.elf.ElfFile} to read any such image back.
 */
package org.pvhconf.stubs.elf;
