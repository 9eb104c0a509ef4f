package org.atrium.signaling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad signaling input over a real WebSocket: each gets a clear error on the socket,
 * and the server and the room's other participants carry on.
 */
class BadSignalingInputTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private SignalingClient bystander;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        bystander = new SignalingClient(server.webSocket());
        bystander.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"Bystander\"}");
        bystander.await("joined", WAIT);
        bystander.await("offer", WAIT);
    }

    @AfterEach
    void stop() {
        bystander.close();
        server.close();
    }

    @Test
    void malformedJsonGetsBadJsonAndTheConnectionStaysUsable() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\": \"join\", ");
            assertError(client, "bad-json");
            client.send("[1,2,3]");
            assertError(client, "bad-json");
            client.send("{\"type\": 7}");
            assertError(client, "bad-json");
            assertJoinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void unknownTypeGetsUnknownType() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"teleport\",\"where\":\"moon\"}");
            JsonNode error = assertError(client, "unknown-type");
            assertTrue(error.path("message").asText().contains("teleport"), error.toString());
            assertJoinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void frameOver64KiBGetsFrameTooLarge() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            String padding = "x".repeat(70_000);
            client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"" + padding + "\"}");
            assertError(client, "frame-too-large");
            assertTrue(client.isOpen());
            assertJoinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void messageBeforeJoinGetsNotJoined() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"answer\",\"version\":1,\"sdp\":\"v=0\"}");
            assertError(client, "not-joined");
            client.send("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}");
            assertError(client, "not-joined");
            assertJoinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void joiningTwiceGetsAlreadyJoined() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            assertJoinsAndBystanderSeesIt(client);
            client.send("{\"type\":\"join\",\"room\":\"r2\"}");
            assertError(client, "already-joined");
            assertEquals(2, server.server().sfu().rooms().room("r1").size());
            assertEquals(null, server.server().sfu().rooms().room("r2"));
        }
    }

    @Test
    void invalidRoomNameGetsBadRequest() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"../etc/passwd\"}");
            assertError(client, "bad-request");
            client.send("{\"type\":\"join\"}");
            assertError(client, "bad-request");
            assertJoinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void answerThatDoesNotFitTheOfferGetsBadAnswerAndTheOfferAgain() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"A\"}");
            client.await("joined", WAIT);
            JsonNode offer = client.await("offer", WAIT);
            int version = offer.path("version").asInt();

            // Not SDP at all.
            client.send(answer(version, "hello"));
            assertError(client, "bad-answer");
            assertEquals(version, client.await("offer", WAIT).path("version").asInt());

            // One m-section where the offer has two or more.
            String oneSection = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                    "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=ice-ufrag:abcd",
                    "a=ice-pwd:abcdefghijklmnopqrstuvwxyz", "a=setup:active",
                    "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=sendonly", "") + "\r\n";
            client.send(answer(version, oneSection));
            JsonNode error = assertError(client, "bad-answer");
            assertTrue(error.path("message").asText().contains("m-sections"), error.toString());
            client.await("offer", WAIT);

            // The right shape, but a payload type that was never offered.
            String sdp = offer.path("sdp").asText()
                    .replace("a=setup:actpass", "a=setup:active")
                    .replace("a=recvonly", "a=sendonly")
                    .replace("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 UDP/TLS/RTP/SAVPF 0");
            client.send(answer(version, sdp));
            error = assertError(client, "bad-answer");
            assertTrue(error.path("message").asText().contains("payload type 0"), error.toString());
            client.await("offer", WAIT);

            // An answer for an offer that was never made.
            client.send(answer(version + 5, oneSection));
            assertError(client, "bad-answer");

            assertTrue(client.isOpen());
            assertBystanderUnaffected();
        }
    }

    @Test
    void floodOfBadMessagesLeavesTheRoomWorking() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            for (int i = 0; i < 200; i++) {
                client.send(i % 2 == 0 ? "{" : "{\"type\":\"nope\"}");
            }
            for (int i = 0; i < 200; i++) {
                assertTrue(client.next(WAIT) != null, "an error per bad message");
            }
            assertJoinsAndBystanderSeesIt(client);
        }
    }

    private static String answer(int version, String sdp) {
        return "{\"type\":\"answer\",\"version\":" + version + ",\"sdp\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(sdp) + "}";
    }

    private static JsonNode assertError(SignalingClient client, String code) throws InterruptedException {
        JsonNode error = client.await("error", WAIT);
        assertEquals(code, error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().length() > 5, "a message for people: " + error);
        return error;
    }

    private void assertJoinsAndBystanderSeesIt(SignalingClient client) throws Exception {
        client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"Late\"}");
        JsonNode joined = client.await("joined", WAIT);
        String id = joined.path("participantId").asText();
        JsonNode seen = bystander.await("participant-joined", WAIT);
        assertEquals(id, seen.path("participant").path("id").asText());
        assertEquals("Late", seen.path("participant").path("name").asText());
        assertBystanderUnaffected();
    }

    private void assertBystanderUnaffected() throws Exception {
        assertTrue(bystander.isOpen(), "the bystander's connection stays open");
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }
}
