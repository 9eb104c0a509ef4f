package org.atrium.sfu.stats;

/** Why the SFU dropped a datagram or packet. Each has its own counter. */
public enum DropReason {
    /** First byte fits none of STUN, DTLS, RTP/RTCP (RFC 7983). */
    UNKNOWN_PROTOCOL("unknown_protocol"),
    /** RTP header malformed (after or before decryption). */
    MALFORMED_RTP("malformed_rtp"),
    /** RTCP compound malformed. */
    MALFORMED_RTCP("malformed_rtcp"),
    /** SRTP/SRTCP authentication failed. */
    SRTP_AUTH("srtp_auth"),
    /** SRTP/SRTCP replay check refused it. */
    SRTP_REPLAY("srtp_replay"),
    /** SRTP refused it for another reason (too short, too many SSRCs). */
    SRTP_OTHER("srtp_other"),
    /** Media arrived before DTLS finished. */
    NOT_READY("not_ready"),
    /** An RTP stream no producer is bound to. */
    NO_ROUTE("no_route"),
    /** The datagram could not be sent. */
    SEND_FAILED("send_failed"),
    /** A packet did not fit the forwarding buffer. */
    TOO_LARGE("too_large"),
    /** From an address the participant's ICE session has no candidate pair with. */
    UNKNOWN_SOURCE("unknown_source"),
    /** The participant sent more than its inbound limit allows. */
    RATE_LIMITED("rate_limited"),
    /** A receiver's forwarding lane, or its ICE-TCP send queue (a TCP client not reading fast enough), was full. */
    QUEUE_FULL("queue_full"),
    /** A packet of a new SSRC named a simulcast RID (RFC 8852) that was not negotiated. */
    UNKNOWN_RID("unknown_rid"),
    /** A packet named the RID of an encoding whose SSRC is known and still sending under it. */
    SSRC_CONFLICT("ssrc_conflict"),
    /**
     * On a transport that maps payload types (a remote side with numbers of its own): a packet
     * received with a payload type it did not negotiate, or one to send in a format it did not.
     */
    UNKNOWN_PAYLOAD_TYPE("unknown_payload_type");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The value of the metrics label. */
    public String label() {
        return label;
    }
}
