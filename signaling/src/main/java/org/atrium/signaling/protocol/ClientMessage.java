package org.atrium.signaling.protocol;

/** A message from a client, as described in docs/signaling.md. */
public sealed interface ClientMessage {

    record Join(String room, String name) implements ClientMessage {
    }

    record Answer(int version, String sdp) implements ClientMessage {
    }

    /** @param candidate the candidate attribute, or null for end of candidates */
    record Candidate(String candidate, String sdpMid) implements ClientMessage {
    }

    record Leave() implements ClientMessage {
    }
}
