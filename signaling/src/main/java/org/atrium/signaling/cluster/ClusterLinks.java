package org.atrium.signaling.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.atrium.cluster.NodeInfo;
import org.atrium.cluster.NodeRegistry;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.cluster.RoomMember;
import org.atrium.sfu.relay.RelayLink;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and ends this node's relay links from what the room directory says
 * (docs/cluster.md, "Rooms on a link"): for every room with a participant here, each other
 * node with members there gets a link, and the room is opened on it. Of two nodes, the
 * one whose id sorts first asks for the link ({@code POST /cluster/links} on the other's URL,
 * {@link LinkTokens} both ways); the other answers ({@link #accept}). A node declared dead
 * loses its link at once; a link that closed is made again by the next pass while it is
 * still needed.
 *
 * <p>Runs on its own thread: a pass every {@link #PASS_PERIOD}, and one for a room as soon
 * as a participant joins it here.
 */
public final class ClusterLinks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLinks.class);
    static final Duration PASS_PERIOD = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** After a failed request or a closed link, the node is asked again after this. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    static final String PATH = "/cluster/links";

    /** What {@link #accept} answers: an HTTP status and a body. */
    public record Answer(int status, String contentType, byte[] body) {
        static Answer refused(int status, String reason) {
            return new Answer(status, "text/plain; charset=utf-8", (reason + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private final String nodeId;
    private final Sfu sfu;
    private final NodeRegistry registry;
    private final LinkTokens tokens;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    /** Node id -> System.nanoTime() before which it is not asked again. */
    private final Map<String, Long> retryAfter = new ConcurrentHashMap<>();
    private final Counter requestsSent;
    private final Counter requestsFailed;
    private final Counter requestsAccepted;
    private final Counter requestsRefused;

    ClusterLinks(String nodeId, String secret, Sfu sfu, NodeRegistry registry, MeterRegistry meters) {
        this.nodeId = nodeId;
        this.sfu = sfu;
        this.registry = registry;
        this.tokens = new LinkTokens(secret, nodeId, Clock.systemUTC());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "atrium-cluster-links");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).executor(executor).build();
        this.requestsSent = requests(meters, "sent");
        this.requestsFailed = requests(meters, "failed");
        this.requestsAccepted = requests(meters, "accepted");
        this.requestsRefused = requests(meters, "refused");
    }

    private static Counter requests(MeterRegistry meters, String result) {
        return Counter.builder("atrium.cluster.link.requests").tag("result", result)
                .description("Relay link requests: sent to other nodes, failed, and from other nodes accepted or refused")
                .register(meters);
    }

    void start() {
        long period = PASS_PERIOD.toMillis();
        executor.scheduleWithFixedDelay(this::passQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /** A listed participant joined a room here: link that room now rather than at the next pass. */
    void roomJoined(String room) {
        run(() -> {
            try {
                linkRoom(room);
            } catch (RuntimeException e) {
                LOG.warn("Linking room {} failed", room, e);
            }
        });
    }

    /** A node was declared dead: its link goes at once, and its members leave this node's rooms. */
    void nodeDead(String node) {
        run(() -> {
            RelayLink link = sfu.relayLinks().link(node);
            if (link != null) {
                link.close("node-dead");
            }
        });
    }

    /** On the links' thread; nothing once this node is leaving the cluster. */
    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Relay links stopped: event dropped");
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warn("Relay link pass failed", e);
        }
    }

    /** Links every room that has a participant here. */
    private void pass() {
        if (!registry.isReachable()) {
            return; // links that exist carry on; new ones wait for the directory
        }
        for (Room room : sfu.rooms().rooms()) {
            if (room.size() > 0) {
                linkRoom(room.name());
            }
        }
    }

    private static boolean hasListedParticipant(Room room) {
        for (Participant participant : room.participants()) {
            if (participant.admission().listed()) {
                return true;
            }
        }
        return false;
    }

    /** Reads the room's members, then links each other node with members there and opens the room on it. */
    private void linkRoom(String name) {
        registry.rooms().members(name).thenAcceptAsync(members -> {
            Room room = sfu.rooms().room(name);
            if (room == null) {
                return;
            }
            Set<String> nodes = new HashSet<>();
            for (RoomMember member : members) {
                if (!member.nodeId().equals(nodeId)) {
                    nodes.add(member.nodeId());
                }
            }
            // Of two nodes the first by id asks; but a room whose participants here are all
            // unlisted (WHEP players) is not in the directory, so the other node would never ask.
            boolean listedHere = hasListedParticipant(room);
            for (String node : nodes) {
                RelayLink link = sfu.relayLinks().link(node);
                if (link == null && (nodeId.compareTo(node) < 0 || !listedHere)) {
                    link = request(node);
                }
                if (link != null && !link.isClosed()) {
                    link.openRoom(room);
                }
            }
        }, executor).exceptionally(error -> {
            LOG.debug("Room {} not linked now: {}", name, error.toString());
            return null;
        });
    }

    /** Makes a link to {@code node} and asks it to answer; null when it is not to be asked now. */
    private RelayLink request(String node) {
        Long after = retryAfter.get(node);
        if (after != null && System.nanoTime() - after < 0) {
            return null;
        }
        NodeInfo info = find(node);
        if (info == null) {
            return null;
        }
        RelayLink link;
        try {
            link = sfu.relayLinks().open(nodeId, node, true, this::onClosed);
        } catch (RoomException e) {
            return sfu.relayLinks().link(node); // made meanwhile
        } catch (IOException e) {
            LOG.warn("Cannot make a relay link to node {}: {}", node, e.toString());
            holdOff(node);
            return null;
        }
        RelayLink.Parameters local = link.localParameters();
        byte[] body = new LinkRequest(nodeId, tokens.mint(node, LinkRequest.fingerprintText(local.fingerprint())),
                local).toJson();
        URI target = info.signalingUrl().resolve(PATH);
        HttpRequest post = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        requestsSent.increment();
        LOG.info("Asking node {} for a relay link at {}", node, target);
        http.sendAsync(post, HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((response, error) -> {
            String failure = error != null ? error.toString()
                    : response.statusCode() != 200 ? "HTTP " + response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8).trim()
                    : null;
            if (failure == null) {
                try {
                    LinkRequest answer = LinkRequest.parse(response.body());
                    if (!answer.node().equals(node)) {
                        throw new LinkTokens.RefusedException("answered by node " + answer.node());
                    }
                    tokens.verify(answer.token(), node, LinkRequest.fingerprintText(answer.parameters().fingerprint()));
                    link.start(answer.parameters());
                    return;
                } catch (IllegalArgumentException | LinkTokens.RefusedException e) {
                    failure = "bad answer: " + e.getMessage();
                }
            }
            requestsFailed.increment();
            LOG.warn("Node {} did not give a relay link: {}", node, failure);
            holdOff(node);
            link.close("request-failed");
        }, executor);
        return link;
    }

    /**
     * Another node asks for a link: its token is checked, then this node makes its side of the
     * link, starts it, and answers with its own parameters and token. A link that was there
     * to that node is replaced: the other node lost it, or restarted.
     */
    public CompletionStage<Answer> accept(byte[] body) {
        try {
            return CompletableFuture.supplyAsync(() -> answer(body), executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Answer.refused(503, "This node is leaving the cluster"));
        }
    }

    private Answer answer(byte[] body) {
        LinkRequest request;
        try {
            request = LinkRequest.parse(body);
        } catch (IllegalArgumentException e) {
            requestsRefused.increment();
            return Answer.refused(400, "Bad link request: " + e.getMessage());
        }
        try {
            tokens.verify(request.token(), request.node(),
                    LinkRequest.fingerprintText(request.parameters().fingerprint()));
        } catch (LinkTokens.RefusedException e) {
            requestsRefused.increment();
            LOG.warn("Refused a relay link request from {}: {}", request.node(), e.getMessage());
            return Answer.refused(401, "Link request refused: " + e.getMessage());
        }
        if (request.node().equals(nodeId)) {
            requestsRefused.increment();
            return Answer.refused(400, "A node does not link to itself");
        }
        RelayLink existing = sfu.relayLinks().link(request.node());
        if (existing != null) {
            existing.close("replaced");
        }
        RelayLink link;
        try {
            link = sfu.relayLinks().open(nodeId, request.node(), false, this::onClosed);
        } catch (IOException | RoomException e) {
            requestsRefused.increment();
            return Answer.refused(503, "No relay link now: " + e.getMessage());
        }
        link.start(request.parameters());
        RelayLink.Parameters local = link.localParameters();
        requestsAccepted.increment();
        LOG.info("Relay link from node {} accepted", request.node());
        byte[] answer = new LinkRequest(nodeId, tokens.mint(request.node(),
                LinkRequest.fingerprintText(local.fingerprint())), local).toJson();
        return new Answer(200, "application/json", answer);
    }

    private void onClosed(RelayLink link, String reason) {
        if (!"shutdown".equals(reason)) {
            holdOff(link.remoteNodeId());
        }
    }

    private void holdOff(String node) {
        retryAfter.put(node, System.nanoTime() + RETRY_AFTER.toNanos());
    }

    private NodeInfo find(String node) {
        List<NodeInfo> nodes = registry.knownNodes();
        for (NodeInfo info : nodes) {
            if (info.id().equals(node)) {
                return info;
            }
        }
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
