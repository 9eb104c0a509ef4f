package org.atrium.signaling.protocol;

/** A refused signaling message: the code and message of the error sent back. */
public final class ProtocolException extends Exception {

    private final String code;

    public ProtocolException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
