package org.atrium.sfu.room;

import java.util.Set;

/**
 * A member of a room as the others see it: a participant of this node ({@link Participant})
 * or of another node of the cluster ({@link RemoteMember}), whose media reaches this node
 * over a relay link. Only values another node can send: no transport, no listener.
 */
public interface Member {

    /** Its id, unique within the room across every node. */
    String id();

    /** The name shown to the others, or null. */
    String displayName();

    /** The identity its join token named, or null. */
    String identity();

    /** Whether the others are told of it (a WHEP player is not). */
    boolean isListed();

    /** What the track it publishes in {@code mid} carries, or null when never described. */
    TrackSource sourceOf(String mid);

    /** Whether it has muted that source. */
    boolean isMuted(TrackSource source);

    /** The sources it has muted. */
    Set<TrackSource> mutedSources();

    /** Its tracks: published here, or arriving over the link from its node. */
    java.util.List<org.atrium.sfu.media.Producer> producers();

    /** The id of the node its media connects to, or null for a participant of this node. */
    default String nodeId() {
        return null;
    }
}
