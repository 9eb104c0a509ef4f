package org.atrium.signaling.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.atrium.signaling.Bystander;
import org.atrium.signaling.ServerConfig;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.SignalingLimits;
import org.atrium.signaling.TestServer;
import org.atrium.signaling.session.ScriptedAnswerer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each signaling limit over a real WebSocket, set low: going over it gets its error (or
 * the connection closed with a reason), while a bystander in the room keeps its
 * connection and the server stays ready.
 */
@Timeout(60)
class SignalingLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String JOIN = "{\"type\":\"join\",\"room\":\"r1\",\"name\":\"Bystander\"}";

    private TestServer server;
    private Bystander bystander;

    @AfterEach
    void stop() {
        if (bystander != null) {
            bystander.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(UnaryOperator<SignalingLimits> limits) throws Exception {
        server = TestServer.start((ServerConfig config) -> config.withLimits(limits.apply(config.limits())));
        bystander = new Bystander(server, JOIN);
    }

    private static JsonNode assertError(SignalingClient client, String code) throws InterruptedException {
        JsonNode error = client.await("error", WAIT);
        assertEquals(code, error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().length() > 10, "a message for people: " + error);
        return error;
    }

    private void joinsAndBystanderSeesIt(SignalingClient client) throws Exception {
        client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"Late\"}");
        bystander.seesJoin(client.await("joined", WAIT).path("participantId").asText());
        bystander.assertUnaffected();
    }

    @Test
    void messagesOverTheRateAreDroppedWithRateLimited() throws Exception {
        start(limits -> limits.withMessageRate(5, 10));
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            for (int i = 0; i < 14; i++) {
                client.send("{\"type\":\"nope\"}");
            }
            for (int i = 0; i < 10; i++) {
                assertError(client, "unknown-type");
            }
            assertError(client, "rate-limited");
            assertEquals(null, client.next(Duration.ofMillis(300)), "one rate-limited error, not one per message");
            assertTrue(client.isOpen());
            bystander.assertUnaffected();
            Thread.sleep(400); // two tokens back
            joinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void connectionThatKeepsFloodingIsClosedWithAReason() throws Exception {
        start(limits -> limits.withMessageRate(5, 10));
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"Flood\"}");
            client.await("joined", WAIT);
            for (int i = 0; i < 40 && client.isOpen(); i++) {
                client.send("{\"type\":\"candidate\",\"candidate\":null}");
            }
            assertEquals(1008, client.closed().get(5, TimeUnit.SECONDS), "policy violation");
            assertTrue(client.closeReason().contains("rate limit"), client.closeReason());
            JsonNode left = bystander.client().await("participant-left", WAIT);
            assertEquals("left", left.path("reason").asText());
            bystander.assertUnaffected();
        }
    }

    @Test
    void joinsBeyondThePendingLimitGetServerBusy() throws Exception {
        // The bystander is one pending join (its media never connects), so one more fits.
        start(limits -> limits.withMaxPendingJoins(2));
        try (SignalingClient second = new SignalingClient(server.webSocket());
                SignalingClient third = new SignalingClient(server.webSocket())) {
            second.send("{\"type\":\"join\",\"room\":\"r2\"}");
            second.await("joined", WAIT);
            third.send("{\"type\":\"join\",\"room\":\"r1\"}");
            assertError(third, "server-busy");
            assertTrue(third.isOpen(), "only the join is refused");
            assertEquals(1, server.server().sfu().rooms().room("r1").size());
            bystander.assertUnaffected();

            second.send("{\"type\":\"leave\"}");
            second.closed().get(5, TimeUnit.SECONDS);
            joinsAndBystanderSeesIt(third);
        }
    }

    @Test
    void tracksBeyondTheLimitAreRefusedWithTooManyTracks() throws Exception {
        start(limits -> limits.withMaxPublishedTracks(1));
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"Both\"}");
            String id = client.await("joined", WAIT).path("participantId").asText();
            bystander.seesJoin(id);
            client.send(new ScriptedAnswerer().answer(client.await("offer", WAIT)));
            JsonNode error = assertError(client, "too-many-tracks");
            assertTrue(error.path("message").asText().contains("video"), error.toString());
            assertTrue(client.isOpen());

            var participant = server.server().sfu().rooms().room("r1").participants().stream()
                    .filter(p -> p.id().equals(id)).findFirst().orElseThrow();
            assertEquals(1, participant.producers().size(), "only the audio is published");
            assertEquals("audio", participant.producers().get(0).kind().sdpName());
            JsonNode offer = bystander.client().await("offer", WAIT);
            assertEquals(1, offer.path("subscribe").size(), "the bystander is offered the audio only: " + offer);
            bystander.assertUnaffected();
        }
    }

    @Test
    void messageOverTheConfiguredSizeGetsFrameTooLarge() throws Exception {
        start(limits -> limits.withMessageSize(1024, 4096));
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"" + "x".repeat(2000) + "\"}");
            JsonNode error = assertError(client, "frame-too-large");
            assertTrue(error.path("message").asText().contains("1024"), error.toString());
            assertTrue(client.isOpen());
            joinsAndBystanderSeesIt(client);
        }
    }

    @Test
    void frameOverTheConfiguredFrameSizeClosesTheConnection() throws Exception {
        start(limits -> limits.withMessageSize(1024, 4096));
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"r1\",\"name\":\"" + "x".repeat(5000) + "\"}");
            assertEquals(1009, client.closed().get(5, TimeUnit.SECONDS), "message too big");
            bystander.assertUnaffected();
        }
    }
}
