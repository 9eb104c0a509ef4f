package org.atrium.signaling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client whose WebSocket drops (no close frame: a network change, a proxy restart)
 * takes its session back on a new connection within the grace period: same participant,
 * media untouched, and the messages sent meanwhile delivered in order. A client that
 * closes properly leaves at once; one that never comes back leaves after the grace.
 */
@Timeout(60)
class SessionResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        server.close();
    }

    private SignalingClient client() throws Exception {
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        return client;
    }

    /** Joins and answers the first offer; returns the joined message. */
    private JsonNode join(SignalingClient client, String name) throws Exception {
        client.send("{\"type\":\"join\",\"room\":\"resume\",\"name\":\"" + name + "\"}");
        JsonNode joined = client.await("joined", WAIT);
        client.send(new ScriptedAnswerer().answer(client.await("offer", WAIT)));
        return joined;
    }

    private int roomSize() {
        var room = server.server().sfu().rooms().room("resume");
        return room == null ? 0 : room.size();
    }

    @Test
    void aDroppedConnectionResumesItsSessionWithWhatWasSentMeanwhile() throws Exception {
        server = TestServer.start();
        SignalingClient ada = client();
        JsonNode joined = join(ada, "Ada");
        String token = joined.path("resumeToken").asText();
        assertTrue(token.length() >= 20, "an unguessable token: " + token);
        String adaId = joined.path("participantId").asText();

        ada.drop();
        // While Ada is away, Bo joins: Ada's session holds what it would have told her.
        SignalingClient bo = client();
        String boId = join(bo, "Bo").path("participantId").asText();
        assertEquals(2, roomSize(), "Ada is still in the room");

        SignalingClient back = client();
        back.send("{\"type\":\"resume\",\"token\":\"" + token + "\"}");
        JsonNode resumed = back.await("resumed", WAIT);
        assertEquals(adaId, resumed.path("participantId").asText());
        assertEquals("resume", resumed.path("room").asText());
        JsonNode heard = back.await("participant-joined", WAIT);
        assertEquals(boId, heard.path("participant").path("id").asText());
        JsonNode offer = back.await("offer", WAIT);
        assertNotNull(offer, "the offer made meanwhile");
        // The session carries on over the new connection: the answer is taken.
        back.send(new ScriptedAnswerer().answer(offer));
        assertEquals(2, roomSize());
        bo.send("{\"type\":\"leave\"}");
        JsonNode left = back.await("participant-left", WAIT);
        assertEquals(boId, left.path("participantId").asText());
        assertEquals(List.of(), errors(back), "no error on the resumed connection");
    }

    @Test
    void aClientThatClosesProperlyLeavesAtOnce() throws Exception {
        server = TestServer.start();
        SignalingClient ada = client();
        join(ada, "Ada");
        SignalingClient bo = client();
        join(bo, "Bo");
        ada.close();
        JsonNode left = bo.await("participant-left", Duration.ofSeconds(2));
        assertNotNull(left, "gone within 2 s, no grace period");
        assertEquals("left", left.path("reason").asText());
    }

    @Test
    void aSessionNotResumedWithinTheGraceLeavesAndCannotBeResumed() throws Exception {
        server = TestServer.start(config -> config.withLimits(config.limits().withReconnectGrace(Duration.ofMillis(500))));
        SignalingClient ada = client();
        String token = join(ada, "Ada").path("resumeToken").asText();
        SignalingClient bo = client();
        join(bo, "Bo");
        ada.drop();
        JsonNode left = bo.await("participant-left", WAIT);
        assertNotNull(left, "Ada left after the grace period");
        assertEquals(1, roomSize());

        SignalingClient late = client();
        late.send("{\"type\":\"resume\",\"token\":\"" + token + "\"}");
        assertEquals("unknown-session", late.await("error", WAIT).path("code").asText());
        // The connection is still good for a fresh join.
        late.send("{\"type\":\"join\",\"room\":\"resume\",\"name\":\"Ada again\"}");
        assertNotNull(late.await("joined", WAIT));
    }

    @Test
    void aForgedTokenResumesNothing() throws Exception {
        server = TestServer.start();
        SignalingClient ada = client();
        join(ada, "Ada");
        SignalingClient stranger = client();
        stranger.send("{\"type\":\"resume\",\"token\":\"AAAAAAAAAAAAAAAAAAAAAA\"}");
        assertEquals("unknown-session", stranger.await("error", WAIT).path("code").asText());
        assertEquals(1, roomSize());
    }

    private static List<String> errors(SignalingClient client) {
        List<String> codes = new ArrayList<>();
        for (JsonNode message : client.history()) {
            if (message.path("type").asText().equals("error")) {
                codes.add(message.path("code").asText());
            }
        }
        return codes;
    }
}
