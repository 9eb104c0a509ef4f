package org.atrium.cluster;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.atrium.sfu.cluster.RoomDirectory;
import org.atrium.sfu.cluster.RoomMember;

/**
 * The room directory of a cluster: {@code atrium:room:{name}} hashes in Redis. Each node
 * writes only its own members, keeps them in memory too and rewrites them on every
 * heartbeat of its {@link NodeRegistry}, so that they come back after Redis lost them. A
 * member whose node is no longer registered is left out of {@link #members} and removed.
 */
public final class RedisRoomDirectory implements RoomDirectory {

    private static final int MAX_PARTICIPANT_ID_LENGTH = 256;

    private final NodeRegistry registry;
    /** This node's members: room -> participant id -> member. */
    private final Map<String, Map<String, RoomMember>> local = new ConcurrentHashMap<>();

    RedisRoomDirectory(NodeRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String nodeId() {
        return registry.self().id();
    }

    @Override
    public CompletionStage<Void> add(String room, String participantId, String displayName, String identity) {
        requireRoom(room);
        if (participantId == null || participantId.isEmpty() || participantId.length() > MAX_PARTICIPANT_ID_LENGTH) {
            throw new IllegalArgumentException("participant id must be 1 to " + MAX_PARTICIPANT_ID_LENGTH
                    + " characters: " + participantId);
        }
        RoomMember member = new RoomMember(participantId, nodeId(), displayName, identity);
        local.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(participantId, member);
        return settle("adding to room " + room, registry.hsetWithTtl(registry.commands(), RedisEntries.roomKey(room),
                Map.of(participantId, RedisEntries.memberValue(member))));
    }

    @Override
    public CompletionStage<Void> remove(String room, String participantId) {
        requireRoom(room);
        local.computeIfPresent(room, (r, members) -> {
            members.remove(participantId);
            return members.isEmpty() ? null : members;
        });
        return settle("removing from room " + room,
                registry.commands().hdel(RedisEntries.roomKey(room), participantId).toCompletableFuture());
    }

    @Override
    public CompletionStage<List<RoomMember>> members(String room) {
        requireRoom(room);
        RedisAsyncCommands<String, String> commands = registry.commands();
        String key = RedisEntries.roomKey(room);
        return commands.hgetall(key).toCompletableFuture()
                .exceptionallyAsync(error -> registry.wrongTypeAs(error, key, Map.of()), registry.executor())
                .thenComposeAsync(entries -> {
                    List<RoomMember> parsed = new ArrayList<>(entries.size());
                    for (Map.Entry<String, String> entry : entries.entrySet()) {
                        RedisEntries.Parsed<RoomMember> member = RedisEntries.parseMember(entry.getKey(), entry.getValue());
                        if (member.value() == null) {
                            registry.malformed(key, entry.getKey(), member.reason());
                        } else {
                            parsed.add(member.value());
                        }
                    }
                    return withLiveNodes(commands, key, parsed);
                }, registry.executor())
                .handleAsync((members, error) -> {
                    if (error != null) {
                        throw NodeRegistry.unavailable("listing room " + room, error);
                    }
                    return members;
                }, registry.executor());
    }

    /**
     * The names of the rooms that have members anywhere in the cluster, sorted; at most
     * {@code max} of them, the first that a SCAN of the room keys met (SCAN never blocks Redis).
     */
    public CompletionStage<List<String>> roomNames(int max) {
        RedisAsyncCommands<String, String> commands = registry.commands();
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        scan(commands, ScanCursor.INITIAL, new java.util.TreeSet<>(), max, names, 0);
        return names.handleAsync((list, error) -> {
            if (error != null) {
                throw NodeRegistry.unavailable("listing rooms", error);
            }
            return list;
        }, registry.executor());
    }

    private static final int MAX_SCAN_CALLS = 1000;

    private void scan(RedisAsyncCommands<String, String> commands, ScanCursor cursor, java.util.TreeSet<String> found,
            int max, CompletableFuture<List<String>> result, int calls) {
        commands.scan(cursor, ScanArgs.Builder.matches(RedisEntries.ROOM_PREFIX + "*").limit(100))
                .whenCompleteAsync((page, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                        return;
                    }
                    for (String key : page.getKeys()) {
                        String room = key.substring(RedisEntries.ROOM_PREFIX.length());
                        if (found.size() < max && RedisEntries.isValidRoomName(room)) {
                            found.add(room);
                        }
                    }
                    if (page.isFinished() || found.size() >= max || calls + 1 >= MAX_SCAN_CALLS) {
                        result.complete(List.copyOf(found));
                    } else {
                        scan(commands, page, found, max, result, calls + 1);
                    }
                }, registry.executor());
    }

    /** The members whose node has an entry; the others' entries are removed (best effort). */
    private CompletionStage<List<RoomMember>> withLiveNodes(RedisAsyncCommands<String, String> commands, String key,
            List<RoomMember> members) {
        Set<String> nodes = new HashSet<>();
        for (RoomMember member : members) {
            nodes.add(member.nodeId());
        }
        nodes.remove(nodeId());
        Map<String, CompletableFuture<Long>> exists = new HashMap<>();
        for (String node : nodes) {
            exists.put(node, commands.exists(RedisEntries.nodeKey(node)).toCompletableFuture());
        }
        return CompletableFuture.allOf(exists.values().toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<RoomMember> live = new ArrayList<>(members.size());
            for (RoomMember member : members) {
                CompletableFuture<Long> count = exists.get(member.nodeId());
                if (count == null || count.join() > 0) {
                    live.add(member);
                } else {
                    registry.stats().staleMembers.incrementAndGet();
                    commands.hdel(key, member.participantId());
                }
            }
            return live;
        }, registry.executor());
    }

    /** Rewrites every member of this node, each room with a fresh TTL; called by the heartbeat. */
    CompletionStage<Void> refresh(RedisAsyncCommands<String, String> commands) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (Map.Entry<String, Map<String, RoomMember>> room : local.entrySet()) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (RoomMember member : room.getValue().values()) {
                fields.put(member.participantId(), RedisEntries.memberValue(member));
            }
            if (!fields.isEmpty()) {
                String key = RedisEntries.roomKey(room.getKey());
                // A room key of another type must not stop the heartbeat: it is counted and skipped.
                writes.add(registry.hsetWithTtl(commands, key, fields)
                        .exceptionallyAsync(error -> registry.wrongTypeAs(error, key, null), registry.executor()));
            }
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /** Removes every member of this node from Redis (a node leaving the cluster). */
    CompletionStage<Void> removeAll(RedisAsyncCommands<String, String> commands) {
        List<CompletableFuture<?>> removals = new ArrayList<>();
        for (Map.Entry<String, Map<String, RoomMember>> room : local.entrySet()) {
            String[] ids = room.getValue().keySet().toArray(String[]::new);
            if (ids.length > 0) {
                String key = RedisEntries.roomKey(room.getKey());
                removals.add(commands.hdel(key, ids).toCompletableFuture()
                        .exceptionallyAsync(error -> registry.wrongTypeAs(error, key, 0L), registry.executor()));
            }
        }
        local.clear();
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> settle(String what, CompletableFuture<?> write) {
        return write.handleAsync((v, error) -> {
            if (error != null) {
                registry.stats().redisFailures.incrementAndGet();
                throw NodeRegistry.unavailable(what, error);
            }
            return null;
        }, registry.executor());
    }

    private static void requireRoom(String room) {
        if (!RedisEntries.isValidRoomName(room)) {
            throw new IllegalArgumentException("room name must be 1 to " + RedisEntries.MAX_ROOM_NAME_LENGTH
                    + " characters");
        }
    }
}
