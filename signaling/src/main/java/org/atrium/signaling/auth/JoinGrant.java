package org.atrium.signaling.auth;

/**
 * What a verified join token allows: who the holder is and what it may do in the room
 * the token names.
 *
 * @param identity the token's subject ({@code sub}), or null on a server without tokens
 * @param name the display name the token sets ({@code name}), or null to take the join's
 * @param publish whether the holder may send tracks
 * @param subscribe whether the holder receives the others' tracks
 * @param data whether the holder may send data-channel messages (it always receives them)
 */
public record JoinGrant(String identity, String name, boolean publish, boolean subscribe, boolean data) {

    /** A server without tokens: anyone may do everything, under the name it chooses. */
    public static final JoinGrant OPEN = new JoinGrant(null, null, true, true, true);

    /** Without a {@code data} grant: sending data goes with publishing. */
    public JoinGrant(String identity, String name, boolean publish, boolean subscribe) {
        this(identity, name, publish, subscribe, publish);
    }
}
