package org.atrium.signaling.auth;

/** Names of the claims a join token carries besides the registered {@code sub}, {@code exp} and {@code nbf}. */
public final class JoinTokenClaims {

    /** The room the token admits to (a string, compared exactly). */
    public static final String ROOM = "room";
    /** Optional display name; when present it replaces the join message's {@code name}. */
    public static final String NAME = "name";
    /** An object of booleans: {@code {"publish": true, "subscribe": true}}; a missing key is false. */
    public static final String GRANTS = "grants";
    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";
    /** Whether the holder may send data-channel messages; absent: as {@link #PUBLISH}. */
    public static final String DATA = "data";

    private JoinTokenClaims() {
    }
}
