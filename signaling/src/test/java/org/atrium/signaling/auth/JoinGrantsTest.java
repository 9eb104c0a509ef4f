package org.atrium.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.atrium.signaling.session.ScriptedAnswerer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token's grants are enforced: a subscribe-only participant is offered its publish
 * slots inactive and publishes nothing; a publish-only participant is given no one's
 * tracks. Checked in the offers each gets and in GET /api/rooms/{room}.
 */
@Timeout(60)
class JoinGrantsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ROOM = "grants";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        if (server != null) {
            server.close();
        }
    }

    private record Member(String id, SignalingClient client, JsonNode firstOffer) {
    }

    /** Joins with the grants given and answers the first offer as Chrome would. */
    private Member join(Signing signing, String identity, boolean publish, boolean subscribe) throws Exception {
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send(JoinTokenTest.join(ROOM, signing.minter().mint(
                JoinTokenMinter.Request.of(ROOM, identity, Duration.ofHours(1)).withGrants(publish, subscribe))));
        String id = client.await("joined", WAIT).path("participantId").asText();
        JsonNode offer = client.await("offer", WAIT);
        client.send(new ScriptedAnswerer().answer(offer));
        return new Member(id, client, offer);
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void subscribeOnlyParticipantPublishesNothing(Signing signing) throws Exception {
        server = TestServer.start(config -> signing.configure(config, dir));
        Member viewer = join(signing, "viewer", false, true);
        assertEquals(0, viewer.firstOffer.path("publish").size(), viewer.firstOffer.toString());
        String sdp = viewer.firstOffer.path("sdp").asText();
        assertEquals(2, count(sdp, "a=inactive"), "mids 0 and 1 are offered inactive: " + sdp);
        assertEquals(0, count(sdp, "a=recvonly"), "nothing the SFU would receive: " + sdp);

        Member full = join(signing, "full", true, true);
        assertEquals(0, full.firstOffer.path("subscribe").size(), "the viewer has nothing to offer the others");

        JsonNode room = awaitRoom(doc -> publishedBound(doc, full.id) == 2 && received(doc, viewer.id) == 2);
        assertEquals(0, participant(room, viewer.id).path("published").size(), room.toPrettyString());
        assertEquals(false, participant(room, viewer.id).path("grants").path("publish").asBoolean());
        assertEquals(false, participant(room, viewer.id).path("grants").path("data").asBoolean(),
                "without a data grant, sending data goes with publishing");
        assertEquals(true, participant(room, full.id).path("grants").path("data").asBoolean());
        assertEquals("viewer", participant(room, viewer.id).path("identity").asText());
        assertEquals(0, received(room, full.id), "there is nothing of the viewer's to receive");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void publishOnlyParticipantReceivesNothing(Signing signing) throws Exception {
        server = TestServer.start(config -> signing.configure(config, dir));
        Member full = join(signing, "full", true, true);
        Member speaker = join(signing, "speaker", true, false);
        assertEquals(2, speaker.firstOffer.path("publish").size());
        assertEquals(0, speaker.firstOffer.path("subscribe").size(), speaker.firstOffer.toString());

        JsonNode room = awaitRoom(doc -> publishedBound(doc, full.id) == 2 && publishedBound(doc, speaker.id) == 2
                && received(doc, full.id) == 2);
        assertEquals(0, received(room, speaker.id), room.toPrettyString());
        assertEquals(false, participant(room, speaker.id).path("grants").path("subscribe").asBoolean());
        for (JsonNode track : participant(room, full.id).path("published")) {
            assertEquals(0, track.path("receivers").asInt(), "no one may receive it: " + track);
        }
        // Nor does any later offer to the speaker subscribe it to anything.
        for (JsonNode message : speaker.client.history()) {
            if (message.path("type").asText().equals("offer")) {
                assertEquals(0, message.path("subscribe").size(), message.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void answerSendingWithoutThePublishGrantIsRefused(Signing signing) throws Exception {
        server = TestServer.start(config -> signing.configure(config, dir));
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send(JoinTokenTest.join(ROOM, signing.minter().mint(
                JoinTokenMinter.Request.of(ROOM, "sneaky", Duration.ofHours(1)).withGrants(false, true))));
        client.await("joined", WAIT);
        JsonNode offer = client.await("offer", WAIT);
        // Answers the inactive publish slots as if it sent there.
        String sdp = new ScriptedAnswerer().answer(offer).path("sdp").asText().replace("a=inactive", "a=sendonly");
        client.send(JSON.createObjectNode().put("type", "answer").put("version", offer.path("version").asInt())
                .put("sdp", sdp));
        assertEquals("bad-answer", client.await("error", WAIT).path("code").asText());
        assertTrue(client.isOpen());
        assertEquals(0, server.server().sfu().rooms().room(ROOM).participants().get(0).producers().size());
    }

    private interface RoomCondition {
        boolean holds(JsonNode room);
    }

    private JsonNode awaitRoom(RoomCondition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode room;
        do {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.http("/api/rooms/" + ROOM)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            room = JSON.readTree(response.body());
            if (condition.holds(room)) {
                return room;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("room never settled: " + room.toPrettyString());
    }

    private static JsonNode participant(JsonNode room, String id) {
        for (JsonNode participant : room.path("participants")) {
            if (participant.path("id").asText().equals(id)) {
                return participant;
            }
        }
        throw new AssertionError("no participant " + id + " in " + room);
    }

    private static int publishedBound(JsonNode room, String id) {
        int bound = 0;
        for (JsonNode track : participant(room, id).path("published")) {
            bound += track.path("ssrc").isNull() ? 0 : 1;
        }
        return bound;
    }

    private static int received(JsonNode room, String id) {
        return participant(room, id).path("received").size();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
