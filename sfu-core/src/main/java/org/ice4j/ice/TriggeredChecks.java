package org.ice4j.ice;

/**
 * Schedules a triggered check of a pair: what {@link Agent#nominate} does for a pair nominated
 * for the first time, for a nominated pair whose check failed (see
 * {@code org.atrium.sfu.transport.DirectFirstNomination}). ice4j (3.2-15-g6da2b08) keeps
 * {@link CheckList#scheduleTriggeredCheck} to its own package and never checks a failed
 * nominated pair again, so this one class sits in that package. The check carries USE-CANDIDATE
 * because the pair is nominated; ice4j's pacer sends it within one Ta.
 */
public final class TriggeredChecks {

    private TriggeredChecks() {
    }

    /** Checks {@code pair} again, soon, as a triggered check of its stream's check list. */
    public static void schedule(CandidatePair pair) {
        pair.getParentComponent().getParentStream().getCheckList().scheduleTriggeredCheck(pair);
    }
}
