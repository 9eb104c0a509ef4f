package org.atrium.sfu.cc;

/** The over-use detector's verdict on the path (draft-ietf-rmcat-gcc-02 section 5.4). */
public enum BandwidthUsage {
    /** Queues grow: the send rate exceeds the path's capacity. */
    OVERUSING,
    NORMAL,
    /** Queues drain: the path carries less than it could. */
    UNDERUSING
}
