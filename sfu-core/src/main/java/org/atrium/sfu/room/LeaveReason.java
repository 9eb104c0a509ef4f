package org.atrium.sfu.room;

import org.atrium.sfu.transport.TransportFailure;

/** Why a participant left its room. */
public enum LeaveReason {
    /** It said so, or its signaling connection closed. */
    LEFT("left"),
    ICE_FAILED("ice-failed"),
    CONSENT_EXPIRED("consent-expired"),
    DTLS_FAILED("dtls-failed"),
    /** The server is stopping. */
    SHUTDOWN("shutdown"),
    /** A member of another node: the link to that node closed, or the node was lost. */
    NODE_LOST("node-lost");

    private final String wireName;

    LeaveReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the signaling protocol. */
    public String wireName() {
        return wireName;
    }

    static LeaveReason of(TransportFailure failure) {
        return switch (failure) {
            case ICE_FAILED -> ICE_FAILED;
            case CONSENT_EXPIRED -> CONSENT_EXPIRED;
            case DTLS_FAILED -> DTLS_FAILED;
        };
    }
}
