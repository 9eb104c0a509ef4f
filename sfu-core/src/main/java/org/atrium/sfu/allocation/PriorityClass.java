package org.atrium.sfu.allocation;

/** The order in which a receiver's videos get bandwidth; declared first served first. */
public enum PriorityClass {
    /**
     * Pinned by the receiver or put on stage by the application: after every video has its
     * lowest layer, it is raised to its best layer before any other video gets more than its
     * lowest (as jitsi-videobridge treats its on-stage endpoints).
     */
    ON_STAGE,
    /** The room's current active speaker: first in every round of upgrades after the stage. */
    ACTIVE_SPEAKER,
    OTHER
}
