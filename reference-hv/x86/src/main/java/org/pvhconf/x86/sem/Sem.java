package org.pvhconf.x86.sem;

import org.pvhconf.x86.decode.DecodedInsn;

/** The semantic definition of an instruction form: straight-line calls on {@link Ops} (see its contract). */
@FunctionalInterface
public interface Sem {
    void emit(DecodedInsn d, Ops o);
}
