package org.atrium.signaling.sdp;

import org.atrium.dtls.Fingerprint;

/**
 * Checks of the transport attributes every description carries, offer or answer: ICE
 * credentials (RFC 8839 5.4) and the DTLS certificate fingerprint (RFC 8122 5).
 */
final class TransportLines {

    private TransportLines() {
    }

    static void checkIceUfrag(String ufrag) throws SdpException {
        if (ufrag == null || ufrag.length() < 4 || ufrag.length() > 256) {
            throw new SdpException("missing or invalid a=ice-ufrag (RFC 8839: 4-256 characters)");
        }
    }

    static void checkIcePassword(String password) throws SdpException {
        if (password == null || password.length() < 22 || password.length() > 256) {
            throw new SdpException("missing or invalid a=ice-pwd (RFC 8839: 22-256 characters)");
        }
    }

    static Fingerprint fingerprint(String value) throws SdpException {
        if (value == null) {
            throw new SdpException("missing a=fingerprint");
        }
        try {
            return Fingerprint.parse(value);
        } catch (IllegalArgumentException e) {
            throw new SdpException("invalid a=fingerprint: " + e.getMessage());
        }
    }
}
