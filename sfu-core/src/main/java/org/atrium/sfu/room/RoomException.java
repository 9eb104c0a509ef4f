package org.atrium.sfu.room;

/** A refused room operation, with a code for the signaling protocol. */
public final class RoomException extends RuntimeException {

    private final String code;

    public RoomException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A short machine-readable code, e.g. "room-full". */
    public String code() {
        return code;
    }
}
