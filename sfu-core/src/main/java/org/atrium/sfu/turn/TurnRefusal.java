package org.atrium.sfu.turn;

/**
 * Why a TURN request got an error response other than an authentication challenge, with the
 * error code it gets (RFC 8656 7.2, 7.3, 9.2, 11.2, 19; RFC 8489 6.3.1). The label is the
 * {@code reason} tag of {@code atrium_turn_refusals_total}.
 */
public enum TurnRefusal {
    BAD_REQUEST(400, "Bad Request"),
    /** RESERVATION-TOKEN: this server keeps no reserved ports (EVEN-PORT's R bit is ignored, so none are ever handed out). */
    RESERVATION_TOKEN(400, "Reservations Not Supported"),
    CHANNEL_CONFLICT(400, "Channel Or Peer Bound Otherwise"),
    PEER_FORBIDDEN(403, "Forbidden"),
    UNKNOWN_ATTRIBUTE(420, "Unknown Attribute"),
    NO_ALLOCATION(437, "Allocation Mismatch"),
    ALLOCATION_MISMATCH(437, "Allocation Mismatch"),
    ADDRESS_FAMILY(440, "Address Family not Supported"),
    WRONG_CREDENTIALS(441, "Wrong Credentials"),
    UNSUPPORTED_TRANSPORT(442, "Unsupported Transport Protocol"),
    PEER_ADDRESS_FAMILY(443, "Peer Address Family Mismatch"),
    IDENTITY_QUOTA(486, "Allocation Quota Reached"),
    SERVER_QUOTA(486, "Allocation Quota Reached"),
    INSUFFICIENT_CAPACITY(508, "Insufficient Capacity"),
    UNKNOWN_METHOD(400, "Unknown Method");

    private final int code;
    private final String reasonPhrase;

    TurnRefusal(int code, String reasonPhrase) {
        this.code = code;
        this.reasonPhrase = reasonPhrase;
    }

    /** The ERROR-CODE value. */
    public int code() {
        return code;
    }

    String reasonPhrase() {
        return reasonPhrase;
    }

    /** snake_case, the metric tag. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
