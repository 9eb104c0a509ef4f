package org.atrium.signaling.cluster;

import static org.atrium.signaling.cluster.ClusterFixture.HTTP;
import static org.atrium.signaling.cluster.ClusterFixture.WAIT;
import static org.atrium.signaling.cluster.ClusterFixture.await;
import static org.atrium.signaling.cluster.ClusterFixture.get;
import static org.atrium.signaling.cluster.ClusterFixture.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.sfu.relay.RelayLink;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.SignalingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes in one JVM on loopback with a real redis-server: a room with members on both
 * links them by itself (the directory, the authenticated link request, ICE, DTLS, SCTP), each
 * node's clients hear of the other's members, and link requests that do not hold the
 * cluster's secret are refused.
 */
@Timeout(90)
class ClusterLinksTest {

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

    /** Joins the room on that node (following no redirect), returns the client once joined. */
    private SignalingClient join(AtriumServer node, String room, String name) throws Exception {
        SignalingClient client = cluster.join(node, room, name, true);
        assertNotNull(client.await("joined", WAIT), name + " joined");
        return client;
    }

    private static Member remoteMember(AtriumServer node, String room, String name) {
        Room found = node.sfu().rooms().room(room);
        if (found == null) {
            return null;
        }
        for (Member member : found.remoteMembers()) {
            if (name.equals(member.displayName())) {
                return member;
            }
        }
        return null;
    }

    @Test
    void aRoomWithMembersOnTwoNodesLinksThemAndEachSideHearsOfTheOther() throws Exception {
        startCluster();
        SignalingClient ada = join(node1, "demo", "Ada");
        SignalingClient bob = join(node2, "demo", "Bob");

        await("node2 shows Ada of node1", () -> remoteMember(node2, "demo", "Ada") != null);
        await("node1 shows Bob of node2", () -> remoteMember(node1, "demo", "Bob") != null);
        assertEquals("node1", remoteMember(node2, "demo", "Ada").nodeId());
        JsonNode joined = bob.await("participant-joined", WAIT);
        assertNotNull(joined, "Bob's client hears of Ada");
        assertEquals("Ada", joined.path("participant").path("name").asText(joined.toString()));
        assertNotNull(ada.await("participant-joined", WAIT), "Ada's client hears of Bob");

        // node1 sorts first: it asked, node2 answered; one link on each side.
        assertEquals(1.0, metric(node1, "atrium_cluster_link_requests_total{result=\"sent\"}"));
        assertEquals(1.0, metric(node2, "atrium_cluster_link_requests_total{result=\"accepted\"}"));
        await("one link up on each node", () -> metric(node1, "atrium_relay_links") == 1.0
                && metric(node2, "atrium_relay_links") == 1.0);

        // The admin view of the cluster: both nodes, and the link with its room.
        JsonNode view = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(node1, "/api/cluster").body());
        assertEquals("node1", view.path("node").asText());
        assertEquals(2, view.path("nodes").size());
        JsonNode link = view.path("links").path(0);
        assertEquals("node2", link.path("node").asText(), view.toString());
        assertTrue(link.path("initiator").asBoolean());
        assertTrue(link.path("established").asBoolean());
        assertEquals("demo", link.path("rooms").path(0).asText(), view.toString());

        // A second room of the same two nodes rides the same link.
        join(node1, "second", "Cy");
        join(node2, "second", "Di");
        await("node2 shows Cy", () -> remoteMember(node2, "second", "Cy") != null);
        assertEquals(1.0, metric(node1, "atrium_cluster_link_requests_total{result=\"sent\"}"));
        assertEquals(1, node1.sfu().relayLinks().links().size());

        // Bob leaves: node1's Ada hears so.
        bob.send("{\"type\":\"leave\"}");
        JsonNode left = ada.await("participant-left", WAIT);
        assertNotNull(left, "Ada hears Bob left");
        assertEquals("left", left.path("reason").asText());
        await("Bob gone from node1's room", () -> remoteMember(node1, "demo", "Bob") == null);
    }

    /**
     * Redis stops for a while: the link of a room that spans both nodes carries on, a join made
     * meanwhile is taken where it lands, and its room is linked to the other node's part once
     * Redis is back.
     */
    @Test
    void linksCarryOnThroughARedisOutageAndJoinsMadeMeanwhileAreLinkedWhenItReturns() throws Exception {
        startCluster();
        join(node1, "demo", "Ada");
        SignalingClient bob = join(node2, "demo", "Bob");
        await("node2 shows Ada", () -> remoteMember(node2, "demo", "Ada") != null);
        RelayLink link = node1.sfu().relayLinks().link("node2");
        assertNotNull(link);

        cluster.redis().stop();
        await("both see Redis down", () -> !node1.cluster().isRedisUp() && !node2.cluster().isRedisUp());
        join(node1, "later", "Cy");
        SignalingClient di = join(node2, "later", "Di");
        Thread.sleep(3000); // beyond a TTL: no node is declared dead while Redis is away
        assertTrue(link.isEstablished(), "the link carried on");
        assertNotNull(remoteMember(node2, "demo", "Ada"), "Ada still shown on node2");
        assertTrue(remoteMember(node2, "later", "Cy") == null, "no directory, no linking of the new room");

        cluster.redis().start();
        await("node2 shows Cy once Redis is back", () -> remoteMember(node2, "later", "Cy") != null);
        JsonNode joined = di.await("participant-joined", WAIT);
        assertEquals("Cy", joined.path("participant").path("name").asText());
        assertTrue(link == node1.sfu().relayLinks().link("node2"), "the same link took the new room");
        assertNotNull(remoteMember(node2, "demo", "Ada"));
        assertTrue(bob.isOpen());
    }

    @Test
    void linkRequestsWithoutTheClusterSecretOrMalformedAreRefused() throws Exception {
        startCluster();
        String fingerprint = DtlsCertificate.generateEcdsaP256().fingerprint().value();
        RelayLink.Parameters parameters = new RelayLink.Parameters("ufrag1234", "p".repeat(24),
                new org.atrium.dtls.Fingerprint("sha-256", fingerprint), List.of(new IceCandidate("1", 1, "udp",
                        2130706431L, "127.0.0.1", 40000, "host", null, -1, null)));
        String fpText = "sha-256 " + fingerprint;

        LinkTokens stranger = new LinkTokens("another secret of at least 32 bytes, not ours", "node3",
                Clock.systemUTC());
        assertEquals(401, post(node2, new LinkRequest("node3", stranger.mint("node2", fpText), parameters).toJson()));

        LinkTokens ours = new LinkTokens(ClusterFixture.SECRET, "node3", Clock.systemUTC());
        // Signed with the secret, but vouching for another fingerprint than the request's.
        assertEquals(401, post(node2, new LinkRequest("node3", ours.mint("node2", "sha-256 AA:BB"), parameters)
                .toJson()));
        // Signed for another node than the one asked.
        assertEquals(401, post(node2, new LinkRequest("node3", ours.mint("node1", fpText), parameters).toJson()));
        // Claiming to come from another node than the token's.
        assertEquals(401, post(node2, new LinkRequest("node4", ours.mint("node2", fpText), parameters).toJson()));
        assertEquals(400, post(node2, "{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, post(node2, "{\"node\":\"node3\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(6.0, metric(node2, "atrium_cluster_link_requests_total{result=\"refused\"}"));
        assertTrue(node2.sfu().relayLinks().links().isEmpty(), "no link was made");
        assertEquals(0, node2.sfu().iceSessionCount(), "no ICE session was left behind");
    }

    private static int post(AtriumServer node, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(ClusterFixture.http(node, "/cluster/links")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
