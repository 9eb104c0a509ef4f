package org.atrium.dtls;

import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;

/**
 * What Bouncy Castle's callbacks learn during one handshake, handed from its thread to
 * {@link DtlsEndpoint}: the negotiated SRTP profile and keys, or why Atrium refused the peer
 * (BC only reports an alert code, so the readable reason is kept here).
 */
final class HandshakeOutcome {
    private final Runnable onPeerClosed;
    private volatile String refusal;
    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile boolean peerClosed;

    /** @param onPeerClosed run when close_notify arrives, so a blocked reader notices at once */
    HandshakeOutcome(Runnable onPeerClosed) {
        this.onPeerClosed = onPeerClosed;
    }

    void refuse(String reason) {
        if (refusal == null) {
            refusal = reason;
        }
    }

    String refusal() {
        return refusal;
    }

    void keyingMaterial(SrtpKeyingMaterial keys) {
        keyingMaterial = keys;
    }

    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }

    SrtpProfile profile() {
        SrtpKeyingMaterial keys = keyingMaterial;
        return keys == null ? null : keys.profile();
    }

    void peerClosed() {
        peerClosed = true;
        onPeerClosed.run();
    }

    boolean isPeerClosed() {
        return peerClosed;
    }
}
