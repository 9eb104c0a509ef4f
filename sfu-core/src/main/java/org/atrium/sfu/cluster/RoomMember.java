package org.atrium.sfu.cluster;

import java.util.Objects;

/**
 * One participant of a room as the room directory records it: which node its media
 * connects to, and what the room shows of it.
 *
 * @param participantId the participant's id, unique within its room
 * @param nodeId        the node the participant is connected to
 * @param displayName   the name shown to the others, or null
 * @param identity      the identity its join token named, or null
 */
public record RoomMember(String participantId, String nodeId, String displayName, String identity) {

    public RoomMember {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
