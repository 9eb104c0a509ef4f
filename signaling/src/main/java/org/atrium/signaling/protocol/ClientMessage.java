package org.atrium.signaling.protocol;

/** A message from a client, as described in docs/signaling.md. */
public sealed interface ClientMessage {

    /** @param token the join token, or null when the client sent none */
    record Join(String room, String name, String token) implements ClientMessage {
    }

    record Answer(int version, String sdp) implements ClientMessage {
    }

    /** @param candidate the candidate attribute, or null for end of candidates */
    record Candidate(String candidate, String sdpMid) implements ClientMessage {
    }

    record Leave() implements ClientMessage {
    }

    /** The first message on a new connection that takes over a session whose connection dropped. */
    record Resume(String token) implements ClientMessage {
    }
}
