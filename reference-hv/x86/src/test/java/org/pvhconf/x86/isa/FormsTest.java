package org.pvhconf.x86.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvhconf.x86.decode.DecodedInsn;
import org.pvhconf.x86.sem.Env;
import org.pvhconf.x86.sem.Helper;
import org.pvhconf.x86.sem.Semantics;
import org.pvhconf.x86.sem.Sys;

/** The form table is complete and consistent with the semantics and helper registries. */
class FormsTest {

    @Test
    void everyForm_hasASemanticDefinition() {
        List<String> missing = new ArrayList<>();
        for (Form f : Forms.all()) {
            if (!Semantics.defined(f)) {
                missing.add(f.name);
            }
        }
        assertTrue(missing.isEmpty(), "no semantics for " + missing);
    }

    @Test
    void names_areIcedStyleAndUnique() {
        assertEquals(Forms.all().size(), Forms.all().stream().map(f -> f.name).distinct().count());
        assertNotNull(Forms.byName("ADD_RM64_R64"));
        assertNotNull(Forms.byName("MOV_R64_IMM64"));
        assertEquals("81 /0", Forms.byName("ADD_RM32_IMM32").encoding());
    }

    @Test
    void helper_namesAStaticLongMethodOfItsArity() throws NoSuchMethodException {
        for (Helper h : Helper.values()) {
            Class<?>[] params = new Class<?>[h.arity];
            java.util.Arrays.fill(params, long.class);
            Method m = h.owner.getMethod(h.method, params);
            assertTrue(Modifier.isStatic(m.getModifiers()) && m.getReturnType() == long.class, h.name());
        }
    }

    @Test
    void sys_namesAStaticMethodTakingEnvInsnLong() throws NoSuchMethodException {
        for (Sys s : Sys.values()) {
            Method m = s.owner.getMethod(s.method, Env.class, DecodedInsn.class, long.class);
            assertTrue(Modifier.isStatic(m.getModifiers()) && m.getReturnType() == long.class, s.name());
        }
    }

    /** Writes the README's list of forms; run by hand after changing the table (see the README). */
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder();
        String last = "";
        for (Form f : Forms.all()) {
            if (!f.mnemonic.equals(last)) {
                sb.append(sb.length() == 0 ? "" : "\n").append("* **").append(f.mnemonic).append("**:");
                last = f.mnemonic;
            }
            sb.append(" `").append(f.name).append("`");
        }
        System.out.println(sb);
    }
}
