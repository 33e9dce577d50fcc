package org.pvhconf.x86.jit;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One hidden class per distinct region class file, shared by every engine in the process.
 *
 * <p>Why: HotSpot profiles and compiles each class on its own, so a new domain running the same
 * guest code would pay the JVM's warm-up again (interpreter, C1 with profiling, C2) for a class
 * that behaves exactly like one already compiled. The key is the whole class file: the same bytes
 * give the same method, and a region class holds no state (no fields; its constants are guest
 * addresses and immediates, and everything per domain reaches it through the {@link JitContext}).
 * So sharing cannot change what a region does, only how soon HotSpot's code for it runs.
 *
 * <p>Bounded: the least recently defined-or-reused classes are let go past {@link #MAX}; HotSpot
 * unloads a hidden class once no engine holds its region. {@value #PROPERTY}{@code =false} turns
 * sharing off (each engine defines its own classes), to measure what it brings.
 */
final class RegionClasses {
    /** System property: false defines a new class for every region (see README, "JIT"). */
    static final String PROPERTY = "pvhconf.jit.shareRegions";
    static final int MAX = 1024;
    private static final boolean SHARE = !"false".equals(System.getProperty(PROPERTY));
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private record Key(byte[] bytes, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final Map<Key, Block> BLOCKS = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Block> eldest) {
            return size() > MAX;
        }
    };

    private RegionClasses() {
    }

    /** The region of {@code classBytes}: the class defined for the same bytes before, else a new one. */
    static Block define(byte[] classBytes) throws ReflectiveOperationException {
        if (!SHARE) {
            return newBlock(classBytes);
        }
        Key key = new Key(classBytes, Arrays.hashCode(classBytes));
        synchronized (BLOCKS) {
            Block b = BLOCKS.get(key);
            if (b == null) {
                b = newBlock(classBytes);
                BLOCKS.put(key, b);
            }
            return b;
        }
    }

    private static Block newBlock(byte[] classBytes) throws ReflectiveOperationException {
        Class<?> c = LOOKUP.defineHiddenClass(classBytes, true).lookupClass();
        return (Block) c.getConstructor().newInstance();
    }
}
