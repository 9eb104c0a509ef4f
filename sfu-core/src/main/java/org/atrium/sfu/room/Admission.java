package org.atrium.sfu.room;

/**
 * Who joins a room and what it may do there, as signaling established it (from a join
 * token, or everything when the server runs without tokens). The room enforces the
 * grants: a participant that may not subscribe is given no consumers, one that may not
 * publish has its publish refused.
 *
 * @param displayName the name shown to the others
 * @param identity the authenticated identity (a token's subject), or null when there is none
 * @param mayPublish whether it may publish tracks
 * @param maySubscribe whether it receives the others' tracks
 * @param maySendData whether it may send data-channel messages to the others (it always receives)
 * @param listed whether the others see it as a member (participant-joined and -left, the joined
 *     list); a WHEP player is not, so that watching a room does not put an empty tile in it
 */
public record Admission(String displayName, String identity, boolean mayPublish, boolean maySubscribe,
        boolean maySendData, boolean listed) {

    /** A member the others see. */
    public Admission(String displayName, String identity, boolean mayPublish, boolean maySubscribe,
            boolean maySendData) {
        this(displayName, identity, mayPublish, maySubscribe, maySendData, true);
    }

    /** Without a data grant: sending data goes with publishing. */
    public Admission(String displayName, String identity, boolean mayPublish, boolean maySubscribe) {
        this(displayName, identity, mayPublish, maySubscribe, mayPublish);
    }

    /** Everything allowed and no identity: a server without join tokens. */
    public static Admission open(String displayName) {
        return new Admission(displayName, null, true, true, true);
    }
}
