package org.atrium.signaling.cluster;

import static org.atrium.signaling.cluster.ClusterFixture.HTTP;
import static org.atrium.signaling.cluster.ClusterFixture.WAIT;
import static org.atrium.signaling.cluster.ClusterFixture.await;
import static org.atrium.signaling.cluster.ClusterFixture.get;
import static org.atrium.signaling.cluster.ClusterFixture.http;
import static org.atrium.signaling.cluster.ClusterFixture.metric;
import static org.atrium.signaling.cluster.ClusterFixture.webSocket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.SignalingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes of a cluster in one JVM, on loopback, sharing a real redis-server: their
 * registration, the room directory seen through the stats API, {@code joined.nodes},
 * placement's redirect, and what a node does while Redis is away or holds garbage.
 * Participants join over real WebSockets; their media never connects (none is needed).
 */
@Timeout(90)
class ClusterModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterFixture cluster;
    private AtriumServer node1;
    private AtriumServer node2;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster(int node1Limit) throws Exception {
        cluster = new ClusterFixture().startRedis();
        node1 = cluster.node("node1", node1Limit);
        node2 = cluster.node("node2", 0);
        cluster.awaitAllSeeAll();
    }

    private SignalingClient connect(URI uri) throws Exception {
        return cluster.connect(uri);
    }

    private JsonNode join(AtriumServer node, String room, String name) throws Exception {
        return cluster.join(node, room, name, false).await("joined", WAIT);
    }

    private static JsonNode getJson(AtriumServer node, String path) throws Exception {
        HttpResponse<String> response = get(node, path);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** The room's entry in {@code /api/rooms}, or null. */
    private static JsonNode room(JsonNode rooms, String name) {
        for (JsonNode room : rooms.path("rooms")) {
            if (name.equals(room.path("name").asText())) {
                return room;
            }
        }
        return null;
    }

    private static JsonNode member(JsonNode room, String id) {
        if (room != null) {
            for (JsonNode member : room.path("members")) {
                if (id.equals(member.path("id").asText())) {
                    return member;
                }
            }
        }
        return null;
    }

    @Test
    void aNodeDoesNotStartWhenRedisIsUnreachable() throws Exception {
        cluster = new ClusterFixture(); // Redis on a free port, not started: nothing listening there
        long start = System.nanoTime();
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> cluster.node("node1", 0));
        assertTrue(e.getMessage().contains("cannot reach the cluster's Redis at 127.0.0.1:" + cluster.redis().port()),
                e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "gave up instead of waiting on");
    }

    @Test
    void aNodeAloneListsNoNodes() throws Exception {
        try (org.atrium.signaling.TestServer alone = org.atrium.signaling.TestServer.start()) {
            SignalingClient client = new SignalingClient(alone.webSocket());
            client.send("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Ada\"}");
            JsonNode joined = client.await("joined", WAIT);
            assertTrue(joined.path("nodes").isMissingNode(), joined.toString());
            JsonNode rooms = JSON.readTree(HTTP.send(HttpRequest.newBuilder(alone.http("/api/rooms")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(rooms.path("node").isMissingNode() && room(rooms, "demo").path("members").isMissingNode(),
                    rooms.toString());
            client.close();
        }
    }

    @Test
    void bothNodesRegisterAndJoinedListsThemThisOneFirst() throws Exception {
        startCluster(0);
        JsonNode joined = join(node2, "demo", "Ada");
        JsonNode nodes = joined.path("nodes");
        assertEquals(2, nodes.size(), joined.toPrettyString());
        assertEquals("node2", nodes.get(0).path("id").asText());
        assertEquals("http://127.0.0.1:" + node2.httpAddress().getPort(), nodes.get(0).path("url").asText());
        assertEquals("node1", nodes.get(1).path("id").asText());
        assertEquals("http://127.0.0.1:" + node1.httpAddress().getPort(), nodes.get(1).path("url").asText());
        assertEquals(2.0, metric(node1, "atrium_cluster_nodes"));
        assertEquals(1.0, metric(node1, "atrium_cluster_redis_up"));
        assertTrue(metric(node1, "atrium_cluster_heartbeats_total") >= 1);
        // The members of the cluster's nodes, as Redis has them.
        assertTrue(cluster.redis().cli("ZRANGE", "atrium:nodes", "0", "-1").contains("node1"));
    }

    @Test
    void aMemberOfOneNodeShowsInTheOthersRoomsApiAndGoesWhenItLeaves() throws Exception {
        startCluster(0);
        SignalingClient ada = connect(webSocket(node1));
        ada.send("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Ada\"}");
        String id = ada.await("joined", WAIT).path("participantId").asText();

        await("node2 lists Ada on node1", () -> {
            JsonNode entry = member(room(getJson(node2, "/api/rooms"), "demo"), id);
            return entry != null && entry.path("node").asText().equals("node1") && entry.path("remote").asBoolean()
                    && entry.path("name").asText().equals("Ada");
        });
        JsonNode rooms = getJson(node2, "/api/rooms");
        assertEquals("node2", rooms.path("node").asText());
        assertTrue(rooms.path("redisUp").asBoolean());
        assertEquals(0, room(rooms, "demo").path("participants").asInt(), "no participant of node2 in it");
        // The room's own document on node2: Ada, remote, without stats; on node1 Ada has her node too.
        JsonNode remote = getJson(node2, "/api/rooms/demo").path("participants").get(0);
        assertEquals("node1", remote.path("node").asText());
        assertTrue(remote.path("remote").asBoolean());
        assertTrue(remote.path("transport").isMissingNode());
        JsonNode local = getJson(node1, "/api/rooms/demo").path("participants").get(0);
        assertEquals("node1", local.path("node").asText());
        assertFalse(local.path("remote").asBoolean());
        JsonNode ownMember = member(room(getJson(node1, "/api/rooms"), "demo"), id);
        assertEquals("node1", ownMember.path("node").asText());

        ada.send("{\"type\":\"leave\"}");
        await("node2 no longer lists the room", () -> room(getJson(node2, "/api/rooms"), "demo") == null);
        assertEquals("", cluster.redis().cli("HGETALL", "atrium:room:demo"));
    }

    @Test
    void aJoinToAFullNodeIsRedirectedToTheOtherAndFollowedThere() throws Exception {
        startCluster(1);
        join(node1, "demo", "Ada");

        SignalingClient bob = connect(webSocket(node1));
        bob.send("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Bob\"}");
        JsonNode redirect = bob.await("redirect", WAIT);
        assertEquals(webSocket(node2).toString(), redirect.path("url").asText());
        assertEquals("node2", redirect.path("node").asText());
        assertEquals("demo", redirect.path("room").asText());
        bob.closed().get(5, TimeUnit.SECONDS);
        assertEquals(1.0, metric(node1, "atrium_cluster_redirects_total"));

        SignalingClient followed = connect(URI.create(redirect.path("url").asText()));
        followed.send("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Bob\",\"noRedirect\":true}");
        String bobId = followed.await("joined", WAIT).path("participantId").asText();
        await("node1 lists Bob on node2", () -> {
            JsonNode entry = member(room(getJson(node1, "/api/rooms"), "demo"), bobId);
            return entry != null && entry.path("node").asText().equals("node2");
        });

        // A following client joins where it is even when another node would take it; a full node refuses it.
        SignalingClient carol = connect(webSocket(node1));
        carol.send("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Carol\",\"noRedirect\":true}");
        assertEquals("cluster-full", carol.await("error", WAIT).path("code").asText());
    }

    @Test
    void withRedisAwayJoinsStayLocalAndTheNodeRegistersAgainWhenItReturns() throws Exception {
        startCluster(0);
        String ada = join(node1, "demo", "Ada").path("participantId").asText();
        cluster.redis().stop();
        await("node1 sees Redis down", () -> metric(node1, "atrium_cluster_redis_up") == 0.0);

        // A room with members here, and a new room: both joined here, at once.
        long start = System.nanoTime();
        String bob = join(node1, "demo", "Bob").path("participantId").asText();
        join(node1, "other", "Carol");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "joins waited for Redis");
        assertTrue(metric(node1, "atrium_cluster_redis_failures_total") >= 1);

        cluster.redis().start();
        await("node1 sees Redis up", () -> metric(node1, "atrium_cluster_redis_up") == 1.0);
        // The registry wrote its members again, Bob included though he joined while Redis was away.
        await("node2 lists Ada and Bob", () -> {
            JsonNode room = room(getJson(node2, "/api/rooms"), "demo");
            return member(room, ada) != null && member(room, bob) != null;
        });
    }

    @Test
    void malformedEntriesInRedisDoNotBreakTheRoomsApi() throws Exception {
        startCluster(0);
        String ada = join(node1, "demo", "Ada").path("participantId").asText();
        cluster.redis().cli("HSET", "atrium:room:demo", "bogus", "garbage value");
        cluster.redis().cli("SET", "atrium:room:notahash", "text");
        cluster.redis().cli("HSET", "atrium:room:junk", "x", "1 bad%zz - -");

        await("node2 lists Ada despite the garbage", () -> {
            JsonNode rooms = getJson(node2, "/api/rooms");
            JsonNode demo = room(rooms, "demo");
            return member(demo, ada) != null && member(demo, "bogus") == null && room(rooms, "notahash") == null
                    && room(rooms, "junk") == null;
        });
        assertEquals(404, HTTP.send(HttpRequest.newBuilder(http(node2, "/api/rooms/notahash")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(metric(node2, "atrium_cluster_malformed_entries_total") >= 1);
    }
}
