package org.atrium.sctp;

/** Why input was dropped. Each has a counter in {@link SctpStats}; none is thrown out of the API. */
public enum SctpDropReason {
    MALFORMED_PACKET("shorter than the common header, or a chunk length runs past the packet, or no chunk"),
    BAD_CHECKSUM("CRC32C does not match"),
    WRONG_PORT("source or destination port is not the configured one"),
    BAD_VERIFICATION_TAG("verification tag is not ours (or the peer's, for a T-bit ABORT), or out of the blue"),
    MALFORMED_CHUNK("a chunk or its parameters do not parse (or an INIT not alone with tag 0)"),
    UNKNOWN_CHUNK("chunk type we do not implement"),
    UNEXPECTED_CHUNK("chunk not valid in the association's state"),
    COOKIE_BAD_SIGNATURE("COOKIE ECHO whose HMAC or layout is wrong"),
    COOKIE_EXPIRED("COOKIE ECHO older than the cookie lifetime"),
    INIT_RATE_LIMITED("INIT over the INIT ACK rate; no reply"),
    RECEIVE_WINDOW_FULL("DATA past the highest TSN while our receive buffer is full"),
    TSN_OUT_OF_WINDOW("DATA or FORWARD TSN too far past our cumulative TSN, or too many gaps"),
    DATA_ON_UNKNOWN_STREAM("DATA on a stream beyond the negotiated count, or with no channel"),
    MESSAGE_TOO_LARGE("reassembled message over maxMessageSize: its fragments are discarded"),
    INVALID_SACK("SACK acknowledging TSNs never sent"),
    DCEP_MALFORMED("DCEP message that does not parse"),
    DCEP_STREAM_IN_USE("DATA_CHANNEL_OPEN for a stream that has a channel"),
    DCEP_UNEXPECTED("DATA_CHANNEL_ACK for no pending open"),
    UNKNOWN_PPID("payload protocol identifier WebRTC does not use"),
    ASSOCIATION_CLOSED("packet after the association closed");

    private final String description;

    SctpDropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
