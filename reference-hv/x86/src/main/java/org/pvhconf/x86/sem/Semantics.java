package org.pvhconf.x86.sem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pvhconf.x86.fault.Fault;
import org.pvhconf.x86.isa.Form;
import org.pvhconf.x86.isa.Forms;

/**
 * The semantic definition of every form in {@link Forms}: looked up by {@link Form#id}. A definition
 * is registered for a mnemonic (it then serves every form and size of that mnemonic, reading sizes
 * and operand kinds from the form) or for one form by name, which wins.
 */
public final class Semantics {
    private static final Sem[] BY_ID;
    private static final Sem UNDEFINED = (d, o) -> o.raise(Fault.UD, -1);

    /** Collects definitions while the table is built. */
    static final class Registry {
        private final Map<String, Sem> byMnemonic = new HashMap<>();
        private final Map<String, Sem> byForm = new HashMap<>();

        void add(String mnemonic, Sem sem) {
            if (byMnemonic.put(mnemonic, sem) != null) {
                throw new IllegalStateException("two definitions for " + mnemonic);
            }
        }

        void form(String name, Sem sem) {
            if (Forms.byName(name) == null) {
                throw new IllegalStateException("no form " + name);
            }
            byForm.put(name, sem);
        }
    }

    static {
        Registry r = new Registry();
        AluSem.register(r);
        MulDivSem.register(r);
        ShiftSem.register(r);
        BitSem.register(r);
        MoveSem.register(r);
        StackSem.register(r);
        BranchSem.register(r);
        SystemSem.register(r);
        SystemSem.registerMoves(r);
        Legacy32Sem.register(r);
        List<Form> all = Forms.all();
        BY_ID = new Sem[all.size()];
        for (Form f : all) {
            Sem s = r.byForm.get(f.name);
            BY_ID[f.id] = s != null ? s : r.byMnemonic.get(f.mnemonic);
        }
    }

    private Semantics() {
    }

    /** The definition of {@code form}; a form without one raises #UD (and {@link #defined} says so). */
    public static Sem of(Form form) {
        Sem s = BY_ID[form.id];
        return s != null ? s : UNDEFINED;
    }

    public static boolean defined(Form form) {
        return BY_ID[form.id] != null;
    }
}
