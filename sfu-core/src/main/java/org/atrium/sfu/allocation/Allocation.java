package org.atrium.sfu.allocation;

import java.util.List;

/**
 * One receiver's allocation: a decision per subscription, in the order the subscriptions
 * were given, and the totals.
 *
 * @param allocatedBps what the decisions cost together (audio included; it may exceed the
 *     estimate only when audio alone does)
 * @param idealBps what every subscription would take with unlimited bandwidth
 * @param probeTargetBps the total the next upgrade needs (what is allocated plus the first
 *     step that did not fit), for a prober to probe to; 0 when nothing is held back
 */
public record Allocation(List<Decision> decisions, long allocatedBps, long idealBps, long probeTargetBps) {

    public static final Allocation EMPTY = new Allocation(List.of(), 0, 0, 0);

    public Allocation {
        decisions = List.copyOf(decisions);
    }

    /** The decision for a source, or null. A linear search: a receiver has tens of them. */
    public Decision decision(String sourceId) {
        for (Decision decision : decisions) {
            if (decision.sourceId().equals(sourceId)) {
                return decision;
            }
        }
        return null;
    }

    /** Whether some subscription gets less than it would with unlimited bandwidth. */
    public boolean deficient() {
        return allocatedBps < idealBps;
    }

    Allocation withoutProbe() {
        return probeTargetBps == 0 ? this : new Allocation(decisions, allocatedBps, idealBps, 0);
    }
}
