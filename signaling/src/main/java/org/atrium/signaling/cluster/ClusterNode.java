package org.atrium.signaling.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.atrium.cluster.ClusterConfig;
import org.atrium.cluster.NodeInfo;
import org.atrium.cluster.NodeListener;
import org.atrium.cluster.NodeRegistry;
import org.atrium.cluster.RedisRoomDirectory;
import org.atrium.sfu.cluster.RoomMember;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.room.Rooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in a cluster, as signaling sees it: its registration in Redis, where joins go
 * ({@link Placement}), the nodes a client is told of, the members of other nodes for the
 * stats API, and the cluster's meters.
 *
 * <p>Created before the HTTP server (whose sessions need it) and {@linkplain #start started}
 * once that is bound, when this node's URL is known.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** Most rooms the stats API lists from Redis. */
    static final int MAX_LISTED_ROOMS = 1000;
    /** How long a node waits at start for its first heartbeat to reach Redis. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSettings settings;
    private final ClusterConfig config;
    private final Sfu sfu;
    private final Rooms rooms;
    private final MeterRegistry meters;
    private final ClusterMembership membership = ClusterMembership.pending();
    private final Counter redirects;
    private volatile NodeRegistry registry;
    /** Null before start. */
    private volatile ClusterLinks links;

    public ClusterNode(ClusterSettings settings, Sfu sfu, MeterRegistry meters) {
        this.settings = settings;
        this.config = settings.clusterConfig();
        this.sfu = sfu;
        this.rooms = sfu.rooms();
        this.meters = meters;
        this.redirects = Counter.builder("atrium.cluster.redirects")
                .description("Joins sent to another node of the cluster").register(meters);
        Gauge.builder("atrium.cluster.nodes", this, node -> node.liveNodes().size())
                .description("Live nodes of the cluster this node sees, itself included").register(meters);
        Gauge.builder("atrium.cluster.redis.up", this, node -> node.isRedisUp() ? 1 : 0)
                .description("1 while the last heartbeat reached the cluster's Redis, else 0").register(meters);
        FunctionCounter.builder("atrium.cluster.heartbeats", this,
                        node -> node.registry == null ? 0 : node.registry.stats().heartbeats())
                .description("Heartbeats of this node that reached Redis").register(meters);
        FunctionCounter.builder("atrium.cluster.redis.failures", this,
                        node -> node.registry == null ? 0 : node.registry.stats().redisFailures())
                .description("Redis commands and heartbeats that failed (unreachable, timed out, refused)")
                .register(meters);
        FunctionCounter.builder("atrium.cluster.malformed.entries", this,
                        node -> node.registry == null ? 0 : node.registry.stats().malformedEntries())
                .description("Redis entries of the wrong shape, each skipped").register(meters);
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public ClusterMembership membership() {
        return membership;
    }

    /**
     * Registers this node in Redis and waits (at most the command timeout and a beat) for the
     * first heartbeat to get there.
     *
     * @param url          this node's signaling URL, when {@code --public-url} did not give one
     * @param mediaAddress this node's media address, {@code HOST:PORT}
     * @throws IOException when Redis cannot be reached
     */
    public void start(URI url, String mediaAddress) throws IOException {
        URI publicUrl = settings.publicUrl() != null ? settings.publicUrl() : url;
        NodeInfo self = new NodeInfo(settings.nodeId(), publicUrl, mediaAddress, mediaAddress, 0,
                settings.maxParticipants());
        // The first connection loads Lettuce and Netty's classes: on a busy machine that alone takes
        // seconds, so the start waits longer than a command may.
        long wait = Math.max(START_TIMEOUT.toMillis(), config.commandTimeout().plus(config.heartbeat()).toMillis());
        CompletableFuture<NodeRegistry> starting = NodeRegistry.start(config, self, rooms::participantCount,
                new NodeListener() {
                    @Override
                    public void onNodeDead(String nodeId) {
                        ClusterLinks current = links;
                        if (current != null) {
                            current.nodeDead(nodeId);
                        }
                    }
                }).toCompletableFuture();
        try {
            registry = starting.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Given up on: a registry that still comes up later is closed at once.
            starting.thenAcceptAsync(NodeRegistry::close); // off the registry's thread: close() waits for it
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot reach the cluster's Redis at " + config.redis().getHost() + ":"
                    + config.redis().getPort() + " (--redis): " + reasons(cause), cause);
        } catch (InterruptedException e) {
            starting.thenAcceptAsync(NodeRegistry::close);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering in Redis", e);
        }
        ClusterLinks made = new ClusterLinks(settings.nodeId(), settings.secret(), sfu, registry, meters);
        links = made;
        membership.onJoined(made::roomJoined);
        made.start();
        membership.attach(registry.rooms(), rooms);
        LOG.info("Node {} registered in the cluster at {} as {}", self.id(), config.redis().getHost() + ":"
                + config.redis().getPort(), publicUrl);
    }

    /**
     * The messages along a failure's causes, outermost first: Redis's own answer (such as a
     * DENIED of protected mode, or a wrong password) is often several causes deep.
     */
    static String reasons(Throwable failure) {
        StringBuilder text = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Throwable t = failure; t != null && seen.size() < 6; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            if (seen.add(message)) {
                text.append(text.length() == 0 ? "" : " <- ").append(message);
            }
        }
        return text.toString();
    }

    public boolean isRedisUp() {
        NodeRegistry r = registry;
        return r != null && r.isReachable();
    }

    /** The live nodes as last seen, this one first; just this one before the first beat. */
    public List<NodeInfo> liveNodes() {
        NodeRegistry r = registry;
        return r == null ? List.of() : r.knownNodes();
    }

    /** This node with its load now, its limit, and whether it drains. */
    private NodeInfo selfNow() {
        NodeRegistry r = registry;
        return r.self().withLoad(rooms.participantCount()).withDraining(r.isDraining());
    }

    /**
     * Starts draining (docs/cluster.md, "Draining"): the node's entry says so from now on, so
     * that no other node sends joins here, and joins that still arrive are sent elsewhere.
     */
    public void drain() {
        NodeRegistry r = registry;
        if (r != null) {
            r.drain();
        }
    }

    public boolean isDraining() {
        NodeRegistry r = registry;
        return r != null && r.isDraining();
    }

    /** Whether another live node takes participants (it is not draining and has room), as last seen. */
    public boolean hasOtherNodeWithRoom() {
        return liveNodes().stream().anyMatch(n -> !n.id().equals(nodeId()) && n.hasRoom());
    }

    /**
     * Where the members of {@code room} on this draining node move to ({@link
     * Placement#moveTarget}); empty when no other node has room. Without an answer from Redis
     * (within the command timeout) the room's members are taken as unknown.
     */
    public CompletionStage<java.util.Optional<NodeInfo>> moveTarget(String room) {
        NodeRegistry r = registry;
        if (r == null) {
            return CompletableFuture.completedFuture(java.util.Optional.empty());
        }
        return boundedMembers(r, room).handle((members, error) -> Placement.moveTarget(selfNow(), r.knownNodes(),
                error != null ? List.of() : members));
    }

    /**
     * Where a join for {@code room} goes. Never fails and never waits longer than the Redis
     * command timeout: without an answer from Redis the join stays on this node.
     */
    public CompletionStage<Placement.Decision> place(String room, boolean noRedirect) {
        NodeRegistry r = registry;
        if (r == null) {
            return CompletableFuture.completedFuture(Placement.LOCAL);
        }
        NodeInfo self = selfNow();
        if (noRedirect && !self.draining()) {
            // Where the room is does not matter to a client that follows a redirect: no lookup.
            return CompletableFuture.completedFuture(Placement.decide(self, List.of(), List.of(), true));
        }
        if (!r.isReachable()) {
            LOG.info("Redis unreachable: room {} is joined on this node without looking for its other members", room);
            return CompletableFuture.completedFuture(Placement.LOCAL);
        }
        return boundedMembers(r, room).handle((members, error) -> {
            if (error != null) {
                LOG.info("Room {} joined on this node: its members could not be read from Redis ({})", room,
                        error.toString());
                return Placement.LOCAL;
            }
            Placement.Decision decision = Placement.decide(selfNow(), r.knownNodes(), members, noRedirect);
            if (decision instanceof Placement.Redirect) {
                // A draining node counts its redirects too: they are joins sent elsewhere.
                redirects.increment();
            }
            return decision;
        });
    }

    /**
     * The room's members from the directory, failing rather than waiting longer than a Redis
     * command may (and half a second more): a join or a drain never waits on Redis for long.
     */
    private CompletableFuture<List<RoomMember>> boundedMembers(NodeRegistry r, String room) {
        Duration bound = config.commandTimeout().plusMillis(500);
        return r.rooms().members(room).toCompletableFuture().orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The WebSocket URL of a node's signaling: its URL with ws or wss and {@code /ws} appended to its path. */
    public static String webSocketUrl(URI signalingUrl) {
        String scheme = "https".equals(signalingUrl.getScheme()) ? "wss" : "ws";
        String path = signalingUrl.getRawPath() == null ? "" : signalingUrl.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + signalingUrl.getRawAuthority() + path + "/ws";
    }

    /**
     * The members of every room of the cluster that Redis lists (at most 1000 rooms), by room
     * name, sorted; each room's list as the directory has it (entries of the wrong shape left out).
     */
    public CompletionStage<Map<String, List<RoomMember>>> allMembers() {
        NodeRegistry r = registry;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not registered"));
        }
        RedisRoomDirectory directory = r.rooms();
        return directory.roomNames(MAX_LISTED_ROOMS).thenCompose(names -> {
            List<CompletableFuture<List<RoomMember>>> lists = new ArrayList<>(names.size());
            for (String name : names) {
                lists.add(directory.members(name).toCompletableFuture());
            }
            return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, List<RoomMember>> byRoom = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    List<RoomMember> members = lists.get(i).join();
                    if (!members.isEmpty()) {
                        byRoom.put(names.get(i), members);
                    }
                }
                return byRoom;
            });
        });
    }

    /** The members of one room on every live node. */
    public CompletionStage<List<RoomMember>> members(String room) {
        NodeRegistry r = registry;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not registered"));
        }
        return r.rooms().members(room);
    }

    /** This node's relay links to the other nodes. */
    public List<org.atrium.sfu.relay.RelayLink> relayLinks() {
        return sfu.relayLinks().links();
    }

    /**
     * Another node asks for a relay link ({@code POST /cluster/links}); 503 before this node
     * registered.
     */
    public CompletionStage<ClusterLinks.Answer> acceptLink(byte[] body) {
        ClusterLinks current = links;
        if (current == null) {
            return CompletableFuture.completedFuture(ClusterLinks.Answer.refused(503, "Not in the cluster yet"));
        }
        return current.accept(body);
    }

    /**
     * Leaves the cluster: the links stop, then this node's entries are removed from Redis.
     * Call after the rooms closed.
     */
    @Override
    public void close() {
        ClusterLinks current = links;
        if (current != null) {
            current.close();
        }
        NodeRegistry r = registry;
        if (r != null) {
            r.close();
        }
    }
}
