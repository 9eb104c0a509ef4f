package org.atrium.sfu.data;

/** Why a data-channel message was not relayed; each is counted in {@code atrium_data_dropped_messages_total}. */
public enum DataDropReason {
    /** A binary message whose envelope does not parse. */
    BAD_ENVELOPE("bad_envelope"),
    /** The sender's join token does not grant sending data. */
    NOT_ALLOWED("not_allowed"),
    /** A target that is not in the room (any more). */
    UNKNOWN_TARGET("unknown_target"),
    /** The receiver's data association is not up (yet, or any more). */
    RECEIVER_NOT_CONNECTED("receiver_not_connected"),
    /** An unreliable message shed because the receiver's buffer is half full: unreliable goes first. */
    RECEIVER_SLOW("receiver_slow"),
    /** A reliable message that did not fit the receiver's buffer: its channel is closed. */
    RECEIVER_OVERFLOW("receiver_overflow"),
    /** Larger than the receiver's maximum message size. */
    TOO_LARGE("too_large");

    private final String label;

    DataDropReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
