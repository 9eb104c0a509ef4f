package org.atrium.sctp;

/**
 * A message accepted by send(): our own copy of its bytes, which every DATA chunk of it (first
 * send and retransmissions) is written from, so fragments hold offsets, not copies.
 */
final class OutgoingMessage {
    final int streamId;
    final int ppid;
    final boolean unordered;
    final byte[] data;
    /** Retransmissions allowed per fragment; -1 for no limit. */
    final int maxRetransmits;
    /** When it is abandoned if not acknowledged; Long.MAX_VALUE for never. */
    final long expiresAtMillis;
    int ssn;
    /** Bytes already cut into DATA chunks. */
    int fragmented;
    boolean abandoned;

    OutgoingMessage(int streamId, int ppid, boolean unordered, byte[] data, int maxRetransmits, long expiresAtMillis) {
        this.streamId = streamId;
        this.ppid = ppid;
        this.unordered = unordered;
        this.data = data;
        this.maxRetransmits = maxRetransmits;
        this.expiresAtMillis = expiresAtMillis;
    }

    int remaining() {
        return data.length - fragmented;
    }
}
