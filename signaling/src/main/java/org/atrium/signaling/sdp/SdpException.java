package org.atrium.signaling.sdp;

/** An SDP that cannot be parsed, or that does not fit the offer it answers. */
public final class SdpException extends Exception {

    public SdpException(String message) {
        super(message);
    }
}
