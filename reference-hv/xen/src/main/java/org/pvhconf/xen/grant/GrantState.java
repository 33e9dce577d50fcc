package org.pvhconf.xen.grant;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A domain's grant-table bookkeeping beyond the shared frames the guest writes (§12.3): the active entries
 * of its own grants (Xen's {@code active_grant_entry}: who pinned which ref, how) and its maptrack (the
 * handles of grants it has mapped from others).
 */
public final class GrantState {

    /** Most handles a domain's maptrack holds (the reference's fixed maptrack limit). */
    public static final int MAPTRACK_LIMIT = 1024;

    /** An active grant: the frame it resolved to and its pins. Host-mapping pins only; copies pin transiently. */
    public static final class Active {
        public final long mfn;
        public final long gfn;
        /** The domain holding the pins: while pinned, only it may pin again (4.4's act->domid check). */
        public final int grantee;
        public int readPins;
        public int writePins;

        Active(long mfn, long gfn, int grantee) {
            this.mfn = mfn;
            this.gfn = gfn;
            this.grantee = grantee;
        }

        public boolean pinned() {
            return readPins + writePins > 0;
        }
    }

    /** One mapping made by this domain: handle → granter, ref, where it lives in our p2m, how. */
    public record Mapping(int granterDomid, int ref, long gfn, long mfn, boolean readonly) {
    }

    private final TreeMap<Integer, Active> active = new TreeMap<>();
    private final List<Mapping> maptrack = new ArrayList<>();

    /** The active entry for {@code ref}, or null when nobody has it pinned. */
    public Active active(int ref) {
        return active.get(ref);
    }

    public Active activate(int ref, long mfn, long gfn, int grantee) {
        return active.computeIfAbsent(ref, r -> new Active(mfn, gfn, grantee));
    }

    /** Drops the active entry once its last pin is gone. */
    public void deactivateIfUnpinned(int ref) {
        Active a = active.get(ref);
        if (a != null && !a.pinned()) {
            active.remove(ref);
        }
    }

    /** True when any ref at or above {@code from} is pinned (gnttab_set_version's -EBUSY check). */
    public boolean anyPinnedFrom(int from) {
        return active.tailMap(from, true).values().stream().anyMatch(Active::pinned);
    }

    /** get_maptrack_handle: the lowest free handle, or -1 when the maptrack is full. */
    public int newHandle(Mapping m) {
        for (int h = 0; h < maptrack.size(); h++) {
            if (maptrack.get(h) == null) {
                maptrack.set(h, m);
                return h;
            }
        }
        if (maptrack.size() >= MAPTRACK_LIMIT) {
            return -1;
        }
        maptrack.add(m);
        return maptrack.size() - 1;
    }

    /** The mapping behind {@code handle}, or null. */
    public Mapping mapping(long handle) {
        return handle >= 0 && handle < maptrack.size() ? maptrack.get((int) handle) : null;
    }

    public void releaseHandle(int handle) {
        maptrack.set(handle, null);
    }

    /** Mappings this domain holds right now. */
    public int mappedCount() {
        return (int) maptrack.stream().filter(m -> m != null).count();
    }
}
