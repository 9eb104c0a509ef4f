package org.atrium.sfu.turn;

/**
 * Why a message from a client or a datagram from a peer was dropped without a response: TURN
 * answers no indication and no ChannelData (RFC 8656 10.2, 12.6), and a malformed message gets
 * nothing (RFC 8489 6.3); and what the edge could not deliver to a client. The label is the
 * {@code reason} tag of {@code atrium_turn_dropped_packets_total}.
 */
public enum TurnDropReason {
    /** Not STUN nor ChannelData, a bad length or FINGERPRINT, an attribute that does not parse, or a failure inside the engine. */
    MALFORMED,
    /** Send, ChannelData or peer data for a 5-tuple or relay with no allocation. */
    NO_ALLOCATION,
    /** To or from a peer whose IP address has no unexpired permission (RFC 8656 9). */
    NO_PERMISSION,
    /** To or from a peer the {@link PeerPolicy} does not permit. */
    PEER_FORBIDDEN,
    /** ChannelData on a channel bound to no peer, or whose binding expired (RFC 8656 12.6). */
    NO_CHANNEL,
    /** A Send indication without XOR-PEER-ADDRESS or DATA, or with an IPv6 peer or an unknown required attribute. */
    BAD_SEND,
    /** A response, or an indication other than Send: nothing a TURN server expects from a client. */
    UNEXPECTED,
    /** To a TCP or TLS client whose connection's send queue is full: it stops reading, or reads too slowly. */
    QUEUE_FULL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
