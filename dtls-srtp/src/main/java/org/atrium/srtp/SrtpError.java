package org.atrium.srtp;

/**
 * Negative result codes of {@link SrtpSession}'s protect and unprotect methods.
 *
 * <p>The media path reports failures as codes rather than exceptions so that a flood of bad
 * packets costs no more than counting them.
 */
public final class SrtpError {
    /** The authentication tag did not verify; the packet was not accepted and state is unchanged. */
    public static final int AUTH_FAILED = -1;
    /** The packet index was already accepted (RFC 3711 section 3.3.2). */
    public static final int REPLAYED = -2;
    /** The packet index is older than the replay window covers, so it cannot be checked. */
    public static final int TOO_OLD = -3;
    /** The packet is shorter than its header plus trailer. */
    public static final int TOO_SHORT = -4;
    /** The header is not RTP/RTCP version 2, its declared length exceeds the packet, or off/len lie outside the array. */
    public static final int MALFORMED = -5;
    /** A new SSRC would exceed the session's SSRC limit. */
    public static final int TOO_MANY_SSRCS = -6;
    /** The array has fewer than the trailer's bytes spare after the packet. */
    public static final int BUFFER_TOO_SMALL = -7;
    /** Protect was called on a receiving session or unprotect on a sending one. */
    public static final int WRONG_DIRECTION = -8;

    private SrtpError() {
    }

    /** A short human-readable description of a result code; non-negative codes are lengths. */
    public static String describe(int code) {
        switch (code) {
            case AUTH_FAILED:
                return "authentication failed";
            case REPLAYED:
                return "replayed packet";
            case TOO_OLD:
                return "packet older than the replay window";
            case TOO_SHORT:
                return "packet too short";
            case MALFORMED:
                return "malformed packet";
            case TOO_MANY_SSRCS:
                return "too many SSRCs";
            case BUFFER_TOO_SMALL:
                return "no room for the SRTP trailer";
            case WRONG_DIRECTION:
                return "session used in the wrong direction";
            default:
                return code >= 0 ? "ok (length " + code + ")" : "unknown SRTP error " + code;
        }
    }
}
