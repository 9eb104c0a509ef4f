package org.atrium.sfu.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The room directory of a single node: in memory, every member on this node. */
public final class LocalRoomDirectory implements RoomDirectory {

    /** The node id of a node that is not part of a cluster. */
    public static final String NODE_ID = "local";

    private final Map<String, Map<String, RoomMember>> rooms = new ConcurrentHashMap<>();

    @Override
    public String nodeId() {
        return NODE_ID;
    }

    @Override
    public CompletionStage<Void> add(String room, String participantId, String displayName, String identity) {
        rooms.computeIfAbsent(room, r -> new ConcurrentHashMap<>())
                .put(participantId, new RoomMember(participantId, NODE_ID, displayName, identity));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> remove(String room, String participantId) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(participantId);
            return members.isEmpty() ? null : members;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<RoomMember>> members(String room) {
        Map<String, RoomMember> members = rooms.get(room);
        return CompletableFuture.completedFuture(members == null ? List.of() : List.copyOf(members.values()));
    }
}
