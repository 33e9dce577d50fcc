/**
 * Guest kernels as {@link org.pvhconf.stubs.kernels.StubImage}s: {@link org.pvhconf.stubs.kernels.HelloStub},
 * {@link org.pvhconf.stubs.kernels.AgentStub} (driven through {@link org.pvhconf.stubs.kernels.AgentProtocol}),
 * and {@link org.pvhconf.stubs.kernels.GnuHelloKernel}, built by binutils. Every kernel derived from
 * {@link org.pvhconf.stubs.kernels.PvhKernel} lets the caller override notes, entry and ELF details to
 * build the images a domain builder must refuse.
 */
package org.pvhconf.stubs.kernels;
