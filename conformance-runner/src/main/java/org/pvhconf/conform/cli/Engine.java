package org.pvhconf.conform.cli;

/** Which back end executes guest code. Both run the same semantic definition of each instruction. */
public enum Engine {
    interp, jit
}
