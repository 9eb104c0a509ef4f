package org.atrium.signaling.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.sfu.SfuConfig;
import org.atrium.sfu.relay.RelayLink;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.ServerConfig;
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

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "a cluster secret of at least 32 bytes, for tests";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RedisServerProcess redis;
    private AtriumServer node1;
    private AtriumServer node2;
    private final List<SignalingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(SignalingClient::close);
        for (AtriumServer node : new AtriumServer[] {node1, node2}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void startCluster() throws Exception {
        assumeTrue(RedisServerProcess.available(),
                "/usr/bin/redis-server or redis-cli missing (apt-get install redis-server)");
        redis = new RedisServerProcess();
        redis.start();
        node1 = node("node1");
        node2 = node("node2");
        awaitTrue("both nodes see both", () -> node1.cluster().liveNodes().size() == 2
                && node2.cluster().liveNodes().size() == 2);
    }

    private AtriumServer node(String id) throws Exception {
        SfuConfig sfu = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        return new AtriumServer(new ServerConfig("127.0.0.1", 0, null, null, false, sfu)
                .withCluster(new ClusterSettings(redis.uri(), id, SECRET, null, 0)));
    }

    private static URI http(AtriumServer node, String path) {
        return URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + path);
    }

    /** Joins the room on that node (following no redirect), returns the client and its participant id. */
    private SignalingClient join(AtriumServer node, String room, String name) throws Exception {
        SignalingClient client = new SignalingClient(URI.create("ws://127.0.0.1:" + node.httpAddress().getPort()
                + "/ws"));
        clients.add(client);
        client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\",\"noRedirect\":true}");
        assertNotNull(client.await("joined", WAIT), name + " joined");
        return client;
    }

    private static double metric(AtriumServer node, String line) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(http(node, "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String sample : body.split("\n")) {
            if (sample.startsWith(line + " ")) {
                return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        fail(what + " within " + WAIT + (last == null ? "" : " (last error: " + last + ")"));
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

        awaitTrue("node2 shows Ada of node1", () -> remoteMember(node2, "demo", "Ada") != null);
        awaitTrue("node1 shows Bob of node2", () -> remoteMember(node1, "demo", "Bob") != null);
        assertEquals("node1", remoteMember(node2, "demo", "Ada").nodeId());
        JsonNode joined = bob.await("participant-joined", WAIT);
        assertNotNull(joined, "Bob's client hears of Ada");
        assertEquals("Ada", joined.path("participant").path("name").asText(joined.toString()));
        assertNotNull(ada.await("participant-joined", WAIT), "Ada's client hears of Bob");

        // node1 sorts first: it asked, node2 answered; one link on each side.
        assertEquals(1.0, metric(node1, "atrium_cluster_link_requests_total{result=\"sent\"}"));
        assertEquals(1.0, metric(node2, "atrium_cluster_link_requests_total{result=\"accepted\"}"));
        awaitTrue("one link up on each node", () -> metric(node1, "atrium_relay_links") == 1.0
                && metric(node2, "atrium_relay_links") == 1.0);

        // The admin view of the cluster: both nodes, and the link with its room.
        JsonNode view = new com.fasterxml.jackson.databind.ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                http(node1, "/api/cluster")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
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
        awaitTrue("node2 shows Cy", () -> remoteMember(node2, "second", "Cy") != null);
        assertEquals(1.0, metric(node1, "atrium_cluster_link_requests_total{result=\"sent\"}"));
        assertEquals(1, node1.sfu().relayLinks().links().size());

        // Bob leaves: node1's Ada hears so.
        bob.send("{\"type\":\"leave\"}");
        JsonNode left = ada.await("participant-left", WAIT);
        assertNotNull(left, "Ada hears Bob left");
        assertEquals("left", left.path("reason").asText());
        awaitTrue("Bob gone from node1's room", () -> remoteMember(node1, "demo", "Bob") == null);
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
        awaitTrue("node2 shows Ada", () -> remoteMember(node2, "demo", "Ada") != null);
        RelayLink link = node1.sfu().relayLinks().link("node2");
        assertNotNull(link);

        redis.stop();
        awaitTrue("both see Redis down", () -> !node1.cluster().isRedisUp() && !node2.cluster().isRedisUp());
        join(node1, "later", "Cy");
        SignalingClient di = join(node2, "later", "Di");
        Thread.sleep(3000); // beyond a TTL: no node is declared dead while Redis is away
        assertTrue(link.isEstablished(), "the link carried on");
        assertNotNull(remoteMember(node2, "demo", "Ada"), "Ada still shown on node2");
        assertTrue(remoteMember(node2, "later", "Cy") == null, "no directory, no linking of the new room");

        redis.start();
        awaitTrue("node2 shows Cy once Redis is back", () -> remoteMember(node2, "later", "Cy") != null);
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

        LinkTokens ours = new LinkTokens(SECRET, "node3", Clock.systemUTC());
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
        return HTTP.send(HttpRequest.newBuilder(http(node, "/cluster/links")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
