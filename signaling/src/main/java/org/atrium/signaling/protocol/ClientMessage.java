package org.atrium.signaling.protocol;

/** A message from a client, as described in docs/signaling.md. */
public sealed interface ClientMessage {

    /**
     * @param token the join token, or null when the client sent none
     * @param noRedirect the client follows a {@code redirect}: a node of a cluster joins it
     *     where it is unless that node is full, so that a join never goes round in circles
     */
    record Join(String room, String name, String token, boolean noRedirect) implements ClientMessage {

        public Join(String room, String name, String token) {
            this(room, name, token, false);
        }
    }

    record Answer(int version, String sdp) implements ClientMessage {
    }

    /** @param candidate the candidate attribute, or null for end of candidates */
    record Candidate(String candidate, String sdpMid) implements ClientMessage {
    }

    record Leave() implements ClientMessage {
    }

    /**
     * How large the client shows each video it receives, by the mid of its m-section: the
     * SFU sends no larger layer, and pauses a video shown at 0x0.
     */
    record RenderSize(java.util.List<Size> sizes) implements ClientMessage {
        public RenderSize {
            sizes = java.util.List.copyOf(sizes);
        }
    }

    /** One video's rendered size in device pixels; 0x0 when it is not visible. */
    record Size(String mid, int width, int height) {
    }

    /** Mutes or unmutes one of the participant's sources; the others are told. */
    record Mute(org.atrium.sfu.room.TrackSource source, boolean muted) implements ClientMessage {
    }

    /** Asks for a publish m-section for a source beyond the camera and microphone (a screen share). */
    record AddTrack(org.atrium.sfu.room.TrackSource source) implements ClientMessage {
    }

    /** Withdraws the publish m-section of a source added with {@link AddTrack}. */
    record RemoveTrack(org.atrium.sfu.room.TrackSource source) implements ClientMessage {
    }

    /** The first message on a new connection that takes over a session whose connection dropped. */
    record Resume(String token) implements ClientMessage {
    }
}
