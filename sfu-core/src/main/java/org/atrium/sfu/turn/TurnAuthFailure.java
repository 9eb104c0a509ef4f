package org.atrium.sfu.turn;

/**
 * Why a request carrying credentials was refused (RFC 8489 9.2.4): 401, or 438 for a stale nonce.
 * The first challenge to a request without credentials is not a failure. The label is the
 * {@code reason} tag of {@code atrium_turn_auth_failures_total}.
 */
public enum TurnAuthFailure {
    /** USERNAME not of the form "expiry:identity" (then it names no credential of ours). */
    BAD_USERNAME,
    /** MESSAGE-INTEGRITY does not match the key of the username's password: a wrong password or realm. */
    BAD_INTEGRITY,
    /** A genuine credential whose expiry has passed. */
    EXPIRED,
    /** A NONCE not ours or past its lifetime: 438, and the client retries with the new one. */
    STALE_NONCE,
    /** MESSAGE-INTEGRITY present but USERNAME, REALM or NONCE missing: 400. */
    MISSING_ATTRIBUTE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
