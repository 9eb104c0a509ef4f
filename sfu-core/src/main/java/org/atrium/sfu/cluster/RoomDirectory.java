package org.atrium.sfu.cluster;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Which participants of a room are on which node. A single node keeps this in memory
 * ({@link LocalRoomDirectory}); a cluster shares it (module {@code cluster}, in Redis).
 * Every method returns at once; the stages complete on the directory's own thread, never
 * on an I/O thread, and fail only when the shared store is unreachable.
 */
public interface RoomDirectory {

    /** The id under which this node records its own participants. */
    String nodeId();

    /** Records a participant of this node in {@code room}; replaces an earlier entry of the same id. */
    CompletionStage<Void> add(String room, String participantId, String displayName, String identity);

    /** Removes a participant of this node from {@code room}; nothing when it is not there. */
    CompletionStage<Void> remove(String room, String participantId);

    /** The members of {@code room} on every live node, in no particular order; empty for an unknown room. */
    CompletionStage<List<RoomMember>> members(String room);
}
