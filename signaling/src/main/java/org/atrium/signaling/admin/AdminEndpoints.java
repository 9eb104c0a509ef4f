package org.atrium.signaling.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.atrium.sfu.cluster.RoomMember;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.Rooms;
import org.atrium.signaling.cluster.ClusterNode;

/**
 * The operator's endpoints: {@code /metrics} for Prometheus, and the stats API
 * {@code /api/rooms} and {@code /api/rooms/NAME}, behind {@link AdminAccess}.
 */
public final class AdminEndpoints {

    private static final String JSON = "application/json; charset=utf-8";

    private final ServerMetrics metrics;
    private final Rooms rooms;
    private final AdminAccess access;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RoomStatsJson stats = new RoomStatsJson(mapper);
    private final ClusterJson clusterJson = new ClusterJson(mapper);
    /** This node in a cluster; null when it runs alone. */
    private final ClusterNode cluster;

    public AdminEndpoints(ServerMetrics metrics, Rooms rooms, AdminAccess access) {
        this(metrics, rooms, access, null);
    }

    /** @param cluster this node in a cluster (the room documents show the other nodes' members), or null */
    public AdminEndpoints(ServerMetrics metrics, Rooms rooms, AdminAccess access, ClusterNode cluster) {
        this.metrics = metrics;
        this.rooms = rooms;
        this.access = access;
        this.cluster = cluster;
    }

    /** An HTTP response. */
    public record Response(int status, String contentType, byte[] body) {
        static Response json(int status, String text) {
            return new Response(status, JSON, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether a path is one of these endpoints. */
    public static boolean handles(String path) {
        return path.equals("/metrics") || path.equals("/api") || path.startsWith("/api/");
    }

    /**
     * Answers a GET of one of these endpoints.
     *
     * @param path the decoded path
     * @param accept the Accept header, or null
     * @param authorization the Authorization header, or null
     */
    public Response get(String path, String accept, String authorization) {
        if (path.equals("/metrics")) {
            if (!access.allowsMetrics(authorization)) {
                return unauthorized();
            }
            ServerMetrics.Scrape scrape = metrics.scrape(accept);
            return new Response(200, scrape.contentType(), scrape.body().getBytes(StandardCharsets.UTF_8));
        }
        if (!access.allowsApi(authorization)) {
            return unauthorized();
        }
        if (path.equals("/api/rooms") || path.equals("/api/rooms/")) {
            return ok(stats.rooms(rooms));
        }
        String prefix = "/api/rooms/";
        if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
            String name = path.substring(prefix.length());
            Room room = rooms.room(name);
            if (room == null) {
                return error(404, "no-such-room", "There is no room '" + name + "' on this server");
            }
            return ok(stats.room(room));
        }
        if (path.equals("/api/cluster")) {
            if (cluster == null) {
                return error(404, "not-clustered", "This server runs alone (no --redis)");
            }
            return ok(clusterJson.describe(cluster, cluster.relayLinks()));
        }
        return error(404, "not-found", "No such endpoint: " + path);
    }

    /**
     * Answers a GET as {@link #get} does; on a node of a cluster the room documents also list
     * the members the room directory has on other nodes, read from Redis without blocking the
     * caller. When Redis does not answer, the documents show this node's rooms alone.
     */
    public CompletionStage<Response> getAsync(String path, String accept, String authorization) {
        String prefix = "/api/rooms/";
        if (cluster == null || !path.startsWith("/api/rooms") || !access.allowsApi(authorization)) {
            return CompletableFuture.completedFuture(get(path, accept, authorization));
        }
        if (path.equals("/api/rooms") || path.equals("/api/rooms/")) {
            ObjectNode local = stats.rooms(rooms);
            return cluster.allMembers().handle((byRoom, error) -> ok(withClusterRooms(local, byRoom, error)));
        }
        if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
            String name = path.substring(prefix.length());
            Room room = rooms.room(name);
            ObjectNode local = room == null ? null : stats.room(room);
            CompletionStage<List<RoomMember>> remote;
            try {
                remote = cluster.members(name);
            } catch (IllegalArgumentException e) {
                remote = CompletableFuture.completedFuture(List.of()); // not a room name Redis could hold
            }
            return remote.handle((members, error) -> {
                if (local == null && (members == null || members.isEmpty())) {
                    return error(404, "no-such-room", "There is no room '" + name + "' in the cluster");
                }
                ObjectNode document = local;
                if (document == null) {
                    document = mapper.createObjectNode();
                    document.put("name", name);
                    document.putNull("activeSpeaker");
                    document.putArray("participants");
                }
                for (JsonNode participant : document.withArray("participants")) {
                    ((ObjectNode) participant).put("node", cluster.nodeId());
                }
                ArrayNode list = document.withArray("participants");
                for (RoomMember member : remoteOnly(members)) {
                    list.add(remoteMember(member));
                }
                document.put("node", cluster.nodeId());
                document.put("redisUp", error == null);
                return ok(document);
            });
        }
        return CompletableFuture.completedFuture(get(path, accept, authorization));
    }

    /**
     * The summary with, for each room, its {@code members} on every node (this node's from its
     * rooms, the others' from the directory), and the rooms that have members only elsewhere.
     */
    private ObjectNode withClusterRooms(ObjectNode local, Map<String, List<RoomMember>> byRoom, Throwable error) {
        Map<String, List<RoomMember>> remote = byRoom == null ? Map.of() : byRoom;
        ArrayNode list = local.withArray("rooms");
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (JsonNode node : list) {
            String name = node.path("name").asText();
            listed.add(name);
            Room room = rooms.room(name);
            List<Participant> participants = room == null ? List.of() : room.participants();
            ArrayNode members = ((ObjectNode) node).putArray("members");
            for (Participant participant : participants) {
                members.addObject().put("id", participant.id()).put("name", participant.displayName())
                        .put("identity", participant.admission().identity()).put("node", cluster.nodeId())
                        .put("listed", participant.admission().listed());
            }
            for (RoomMember member : remoteOnly(remote.get(name))) {
                members.add(remoteMember(member));
            }
        }
        for (Map.Entry<String, List<RoomMember>> entry : remote.entrySet()) {
            List<RoomMember> others = remoteOnly(entry.getValue());
            if (listed.contains(entry.getKey()) || others.isEmpty()) {
                continue;
            }
            ObjectNode node = list.addObject();
            node.put("name", entry.getKey());
            node.put("participants", 0);
            node.put("publishedTracks", 0);
            node.put("bitrateIn", 0);
            node.put("bitrateOut", 0);
            node.putNull("activeSpeaker");
            ArrayNode members = node.putArray("members");
            others.forEach(member -> members.add(remoteMember(member)));
        }
        // Rooms sorted by name, as on a node alone.
        List<JsonNode> sorted = new ArrayList<>();
        list.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparing(n -> n.path("name").asText()));
        list.removeAll();
        list.addAll(sorted);
        local.put("node", cluster.nodeId());
        local.put("redisUp", error == null);
        return local;
    }

    /** The directory's members on other nodes (this node's come from its rooms, which know more). */
    private List<RoomMember> remoteOnly(List<RoomMember> members) {
        if (members == null) {
            return List.of();
        }
        List<RoomMember> others = new ArrayList<>();
        for (RoomMember member : members) {
            if (!member.nodeId().equals(cluster.nodeId())) {
                others.add(member);
            }
        }
        others.sort(java.util.Comparator.comparing(RoomMember::nodeId).thenComparing(RoomMember::participantId));
        return others;
    }

    private ObjectNode remoteMember(RoomMember member) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", member.participantId());
        node.put("name", member.displayName());
        node.put("identity", member.identity());
        node.put("node", member.nodeId());
        node.put("remote", true);
        return node;
    }

    /** The status for a request with a method other than GET or HEAD. */
    public Response methodNotAllowed() {
        return error(405, "method-not-allowed", "Only GET");
    }

    private Response ok(ObjectNode document) {
        return Response.json(200, write(document));
    }

    private Response unauthorized() {
        return error(401, "unauthorized", "This endpoint needs 'Authorization: Bearer <admin token>'");
    }

    private Response error(int status, String code, String message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", code);
        node.put("message", message);
        return Response.json(status, write(node));
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
