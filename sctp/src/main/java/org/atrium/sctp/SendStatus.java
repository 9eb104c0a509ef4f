package org.atrium.sctp;

/** What {@link DataChannelEndpoint#send} did with a message. */
public enum SendStatus {
    /** Queued; it is sent as congestion control and the peer's window allow. */
    SENT,
    /** The association's send buffer (SctpConfig.sendBufferLimit) has no room; nothing queued. */
    BUFFER_FULL,
    /** Larger than SctpConfig.maxMessageSize; nothing queued. */
    TOO_LARGE,
    /** No such channel, it is closing, or the association is shutting down or closed. */
    NOT_OPEN
}
