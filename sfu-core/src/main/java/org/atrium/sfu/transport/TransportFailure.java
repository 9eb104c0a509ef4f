package org.atrium.sfu.transport;

/** Why a participant's media transport ended on its own. */
public enum TransportFailure {
    /** ICE checks failed, or no pair was validated in time. */
    ICE_FAILED,
    /** The peer stopped answering consent checks (RFC 7675). */
    CONSENT_EXPIRED,
    /** The DTLS handshake failed: bad fingerprint, alert, or timeout. */
    DTLS_FAILED
}
