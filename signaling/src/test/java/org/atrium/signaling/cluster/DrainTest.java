package org.atrium.signaling.cluster;

import static org.atrium.signaling.cluster.ClusterFixture.WAIT;
import static org.atrium.signaling.cluster.ClusterFixture.await;
import static org.atrium.signaling.cluster.ClusterFixture.get;
import static org.atrium.signaling.cluster.ClusterFixture.webSocket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Draining a node of a cluster (docs/cluster.md, "Draining"): two nodes in one JVM on
 * loopback sharing a real redis-server; clients over real WebSockets (no media needed).
 */
@Timeout(90)
class DrainTest {

    private ClusterFixture cluster;
    private AtriumServer node1;
    private AtriumServer node2;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster() throws Exception {
        cluster = new ClusterFixture().startRedis();
        node1 = cluster.node("node1", 0);
        node2 = cluster.node("node2", 0);
        cluster.awaitAllSeeAll();
    }

    private SignalingClient join(AtriumServer node, String room, String name, boolean noRedirect) throws Exception {
        return cluster.join(node, room, name, noRedirect);
    }

    private static CompletableFuture<Boolean> drainInBackground(AtriumServer node, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return node.drain(timeout);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static int ready(AtriumServer node) throws Exception {
        return get(node, "/health/ready").statusCode();
    }

    @Test
    void aDrainingNodeTellsItsClientsToMoveRefusesNewJoinsAndEndsWhenTheyLeft() throws Exception {
        startCluster();
        SignalingClient ada = join(node1, "demo", "Ada", false);
        ada.await("joined", WAIT);
        // A member of the room on node2 too: that is where the room's members move to.
        SignalingClient bob = join(node2, "demo", "Bob", true);
        bob.await("joined", WAIT);

        long started = System.nanoTime();
        CompletableFuture<Boolean> drained = drainInBackground(node1, Duration.ofSeconds(30));
        JsonNode move = ada.await("move", WAIT);
        assertEquals(webSocket(node2).toString(), move.path("url").asText(), move.toString());
        assertEquals("node2", move.path("node").asText());
        assertEquals("demo", move.path("room").asText());
        assertEquals("drain", move.path("reason").asText());
        assertTrue(bob.history().stream().noneMatch(m -> m.path("type").asText().equals("move")),
                "node2's clients stay");

        // Meanwhile: node1's entry says it drains, node2 sends it no join, and node1 sends its joins on.
        await("node1's entry says draining",
                () -> "1".equals(cluster.redis().cli("HGET", "atrium:node:node1", "draining")));
        await("node2 sees node1 draining", () -> node2.cluster().liveNodes().stream()
                .anyMatch(n -> n.id().equals("node1") && n.draining()));
        assertEquals(503, ready(node1));
        SignalingClient carol = join(node1, "demo", "Carol", true);
        JsonNode redirect = carol.await("redirect", WAIT);
        assertEquals(webSocket(node2).toString(), redirect.path("url").asText(), "even a join with noRedirect");
        SignalingClient dave = join(node2, "fresh", "Dave", false);
        assertEquals("joined", dave.await("joined", WAIT).path("type").asText(), "a new room is not sent to node1");
        assertFalse(drained.isDone(), "Ada is still on node1");

        // Ada's client moves: it joins node2, then leaves node1.
        SignalingClient moved = join(node2, "demo", "Ada", true);
        moved.await("joined", WAIT);
        ada.send("{\"type\":\"leave\"}");
        assertTrue(drained.get(5, TimeUnit.SECONDS), "drained");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(ms < 15_000, "drained " + ms + " ms after it began, not at the 30 s bound");
        assertEquals(0, node1.sfu().rooms().participantCount());
    }

    @Test
    void aDrainEndsAtItsBoundWhenAClientStaysWhichTheCloseThenEnds() throws Exception {
        startCluster();
        SignalingClient ada = join(node1, "demo", "Ada", false);
        ada.await("joined", WAIT);

        long started = System.nanoTime();
        assertTrue(node1.drain(Duration.ofMillis(1500)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(ms >= 1400 && ms < 15_000, "returned after " + ms + " ms");
        assertEquals("node2", ada.await("move", WAIT).path("node").asText(),
                "a new room's members move to the least loaded node");
        assertEquals(1, node1.sfu().rooms().participantCount(), "Ada stayed");

        cluster.closeNode(node1);
        assertEquals("shutdown", ada.await("error", WAIT).path("code").asText());
    }

    @Test
    void aNodeWithNowhereToMoveToDoesNotDrain() throws Exception {
        try (TestServer alone = TestServer.start()) {
            assertFalse(alone.server().drain(Duration.ofSeconds(5)), "a node alone");
        }
        cluster = new ClusterFixture().startRedis();
        node1 = cluster.node("node1", 0);
        SignalingClient ada = join(node1, "demo", "Ada", false);
        ada.await("joined", WAIT);
        long started = System.nanoTime();
        assertFalse(node1.drain(Duration.ofSeconds(5)), "the only live node of its cluster");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "did not wait out the bound");
        assertFalse(node1.cluster().isDraining());
        assertTrue(ada.history().stream().noneMatch(m -> m.path("type").asText().equals("move")));
        cluster.closeNode(node1);
        JsonNode error = ada.await("error", WAIT);
        assertEquals("shutdown", error.path("code").asText(), ada.history().toString());
    }
}
