package org.atrium.signaling.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.atrium.signaling.session.ScriptedAnswerer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stats API's documents (docs/api.md), its access control, and health, over real
 * HTTP against a server with two participants that negotiated over a real WebSocket.
 * Their transports never connect (the answers are scripted), which the documents show.
 */
@Timeout(60)
class AdminApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        if (server != null) {
            server.close();
        }
    }

    private record Member(String id, ScriptedAnswerer answerer) {
    }

    private Member join(String room, String name) throws Exception {
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}");
        String id = client.await("joined", WAIT).path("participantId").asText();
        ScriptedAnswerer answerer = new ScriptedAnswerer();
        client.send(answerer.answer(client.await("offer", WAIT)));
        return new Member(id, answerer);
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = Http.get(server.http(path));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    /** Polls a room document until every participant publishes both tracks with their SSRCs. */
    private JsonNode awaitRoom(String room, int participants) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode document;
        do {
            document = getJson("/api/rooms/" + room);
            int bound = 0;
            for (JsonNode participant : document.path("participants")) {
                for (JsonNode track : participant.path("published")) {
                    bound += track.path("ssrc").isNull() ? 0 : 1;
                }
            }
            if (document.path("participants").size() == participants && bound == 2 * participants) {
                return document;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("room never settled: " + document.toPrettyString());
    }

    @Test
    void roomsListSummarisesEachRoom() throws Exception {
        server = TestServer.start();
        assertEquals(0, getJson("/api/rooms").path("roomCount").asInt());
        join("alpha", "Ada");
        join("alpha", "Bo");
        join("beta", "Cy");
        awaitRoom("alpha", 2);
        awaitRoom("beta", 1);

        JsonNode list = getJson("/api/rooms");
        assertEquals(2, list.path("roomCount").asInt());
        assertEquals(3, list.path("participantCount").asInt());
        JsonNode alpha = list.path("rooms").get(0);
        assertEquals("alpha", alpha.path("name").asText(), "sorted by name");
        assertEquals(2, alpha.path("participants").asInt());
        assertEquals(4, alpha.path("publishedTracks").asInt());
        assertEquals(0, alpha.path("bitrateIn").asLong());
        assertEquals(0, alpha.path("bitrateOut").asLong());
        assertTrue(alpha.has("activeSpeaker"));
        assertEquals("beta", list.path("rooms").get(1).path("name").asText());
    }

    @Test
    void roomDocumentShowsParticipantsTransportsAndTracksBothWays() throws Exception {
        server = TestServer.start();
        Member ada = join("gamma", "Ada");
        Member bo = join("gamma", "Bo");
        JsonNode room = awaitRoom("gamma", 2);

        assertEquals("gamma", room.path("name").asText());
        Set<String> ids = new TreeSet<>();
        for (JsonNode participant : room.path("participants")) {
            ids.add(participant.path("id").asText());
            Member self = participant.path("id").asText().equals(ada.id) ? ada : bo;
            Member other = self == ada ? bo : ada;
            assertTrue(participant.path("joinedAt").asText().endsWith("Z"), participant.toString());
            JsonNode transport = participant.path("transport");
            assertTrue(Set.of("new", "checking").contains(transport.path("iceState").asText()), transport.toString());
            assertEquals("new", transport.path("dtlsState").asText());
            assertTrue(transport.path("selectedCandidatePair").isNull());
            assertTrue(transport.path("srtpProfile").isNull());
            assertTrue(transport.path("rttMs").isNull());
            assertEquals("transport-cc", transport.path("congestionFeedback").asText());

            JsonNode published = participant.path("published");
            assertEquals(2, published.size());
            for (JsonNode track : published) {
                long expected = track.path("kind").asText().equals("audio") ? self.answerer.audioSsrc()
                        : self.answerer.videoSsrc();
                assertEquals(expected, track.path("ssrc").asLong(), track.toString());
                assertEquals(0, track.path("packets").asLong());
                assertEquals(0, track.path("bitrate").asLong());
                assertEquals(1, track.path("receivers").asInt());
                assertEquals(track.path("kind").asText().equals("audio") ? "microphone" : "camera",
                        track.path("source").asText(), track.toString());
                assertEquals(false, track.path("muted").asBoolean(true), track.toString());
                for (String field : List.of("id", "mid", "bytes", "packetsLost", "fractionLost", "jitterMs",
                        "nacksSent", "retransmissionsReceived", "keyframeRequestsSent", "rtxSsrc")) {
                    assertTrue(track.has(field), field + " in " + track);
                }
            }
            JsonNode received = participant.path("received");
            assertEquals(2, received.size());
            for (JsonNode track : received) {
                assertEquals(other.id, track.path("publisher").asText());
                assertTrue(track.path("trackId").asText().startsWith(other.id), track.toString());
                assertEquals(0, track.path("packets").asLong());
                for (String field : List.of("kind", "ssrc", "state", "bytes", "bitrate", "dropped", "rttMs",
                        "packetsLost", "fractionLost", "jitterMs", "nacksReceived", "retransmissions",
                        "pliReceived", "firReceived")) {
                    assertTrue(track.has(field), field + " in " + track);
                }
            }
        }
        assertEquals(new TreeSet<>(List.of(ada.id, bo.id)), ids);
    }

    @Test
    void unknownRoomsAndEndpointsAreJsonErrors() throws Exception {
        server = TestServer.start();
        HttpResponse<String> missing = Http.get(server.http("/api/rooms/nowhere"));
        assertEquals(404, missing.statusCode());
        assertEquals("no-such-room", JSON.readTree(missing.body()).path("error").asText());
        HttpResponse<String> unknown = Http.get(server.http("/api/nothing"));
        assertEquals(404, unknown.statusCode());
        assertEquals("not-found", JSON.readTree(unknown.body()).path("error").asText());
        HttpResponse<String> post = Http.post(server.http("/api/rooms"));
        assertEquals(405, post.statusCode());
        assertEquals("method-not-allowed", JSON.readTree(post.body()).path("error").asText());
    }

    @Test
    void anAdminTokenGuardsTheApiAndOptionallyMetrics() throws Exception {
        server = TestServer.startWithAdminToken("s3cret-token", true);
        for (String path : List.of("/api/rooms", "/metrics")) {
            HttpResponse<String> none = Http.get(server.http(path));
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer realm=\"atrium\"", none.headers().firstValue("www-authenticate").orElse(null));
            assertEquals(401, Http.get(server.http(path), "Authorization", "Bearer wrong").statusCode(), path);
            assertEquals(401, Http.get(server.http(path), "Authorization", "Basic s3cret-token").statusCode(), path);
            assertEquals(200, Http.get(server.http(path), "Authorization", "Bearer s3cret-token").statusCode(), path);
        }
        // The web client and health stay open.
        assertEquals(200, Http.get(server.http("/room/x")).statusCode());
        assertEquals(200, Http.get(server.http("/health/ready")).statusCode());
    }

    @Test
    void metricsStayOpenUnlessAskedToNeedTheToken() throws Exception {
        server = TestServer.startWithAdminToken("s3cret-token", false);
        assertEquals(401, Http.get(server.http("/api/rooms")).statusCode());
        assertEquals(200, Http.get(server.http("/metrics")).statusCode());
    }

    @Test
    void readinessTurnsOffWhenJoinsStopWhileLivenessStays() throws Exception {
        server = TestServer.start();
        assertEquals(200, Http.get(server.http("/health/live")).statusCode());
        HttpResponse<String> ready = Http.get(server.http("/health/ready"));
        assertEquals(200, ready.statusCode());
        assertEquals("ready\n", ready.body());
        // Shutdown's first step: joins are refused, with the code clients know.
        server.server().sfu().rooms().stopAcceptingJoins();
        HttpResponse<String> stopping = Http.get(server.http("/health/ready"));
        assertEquals(503, stopping.statusCode());
        SignalingClient late = new SignalingClient(server.webSocket());
        clients.add(late);
        late.send("{\"type\":\"join\",\"room\":\"r\",\"name\":\"Late\"}");
        assertEquals("shutdown", late.await("error", WAIT).path("code").asText());

        server.server().sfu().close();
        HttpResponse<String> notReady = Http.get(server.http("/health/ready"));
        assertEquals(503, notReady.statusCode());
        assertEquals("not ready\n", notReady.body());
        assertEquals(200, Http.get(server.http("/health/live")).statusCode());
    }
}
