package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WHIP ingest and WHEP playback with real clients: aiortc ({@code whip_client.py}) and
 * Chromium pages that POST their own offers (see {@link WhipPage}), next to a room page of
 * our own protocol.
 */
@Tag("browser")
class WhipWhepBrowserTest extends ServerAndBrowsers {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration LEAVE = Duration.ofSeconds(2);
    /** Active-speaker detection and the switch to the new speaker's next keyframe. */
    private static final Duration FOLLOW = Duration.ofSeconds(10);
    private static final String ROOM = "whip";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int[] RED = {220, 30, 30};
    private static final int[] BLUE = {30, 30, 220};

    private final List<InteropClient> clients = new ArrayList<>();

    @BeforeEach
    void assumeAiortc() {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON)
                        && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/aiortc")),
                "WHIP tests need Debian python3-aiortc; run ./test.sh, which installs it");
    }

    @AfterEach
    void stopClients() {
        clients.forEach(InteropClient::close);
    }

    @Test
    void whipPublishersAreParticipantsOfTheRoomUntilDeleted() throws Exception {
        BrowserPage room = chromium.open(server.http("/room/" + ROOM + "?name=Viewer").toString());
        room.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);

        // aiortc trickles its candidates in a PATCH; the Chromium page sends them in its offer,
        // and simulcast (three encodings by RID).
        InteropClient aiortc = whip("publish", "/whip/" + ROOM + "?name=aiortc", "--trickle", "--color",
                csv(RED));
        aiortc.waitUntil("CREATED and PATCHED 204", CONNECT,
                () -> aiortc.location() != null && aiortc.printed("PATCHED 204"));
        BrowserPage publisherPage = chromium.open(server.http("/").toString());
        String pageSession = WhipPage.start(publisherPage, "out", server.http("/whip/" + ROOM + "?name=page").toString(),
                true, true);
        assertTrue(pageSession.contains("/sessions/"), pageSession);

        String aiortcId = participantNamed("aiortc");
        String pageId = participantNamed("page");
        for (String id : List.of(aiortcId, pageId)) {
            room.waitUntil("the room page decoding " + id, CONNECT, () -> {
                Map<?, ?> media = (Map<?, ?>) WebRtcStats.mediaByParticipant(room).get(id);
                return media != null && number(media.get("frames")) > 0 && number(media.get("audioPackets")) > 0;
            });
        }
        JsonNode published = participant(room(), aiortcId).path("published");
        assertEquals(2, published.size(), published.toString());
        List<JsonNode> pagePublished = new ArrayList<>(List.of(JSON.createObjectNode()));
        try {
            room.waitUntil("the page's three encodings arriving", CONNECT, () -> {
                List<String> rids = new ArrayList<>();
                pagePublished.set(0, participant(roomOrEmpty(), pageId).path("published"));
                for (JsonNode track : pagePublished.get(0)) {
                    for (JsonNode encoding : track.path("encodings")) {
                        if (encoding.path("packets").asLong() > 0) {
                            rids.add(encoding.path("rid").asText());
                        }
                    }
                }
                return rids.equals(List.of("q", "h", "f"));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\npublished: " + pagePublished.get(0) + "\nsent: "
                    + publisherPage.evalAsync("""
                            const stats = await window.whip.out.pc.getStats();
                            const out = [];
                            stats.forEach(s => { if (s.type === 'outbound-rtp') out.push([s.rid, s.kind, s.frameWidth,
                                s.packetsSent, s.qualityLimitationReason]); });
                            stats.forEach(s => { if (s.type === 'candidate-pair' && s.nominated) out.push(['bwe',
                                s.availableOutgoingBitrate]); });
                            out.push(window.whip.out.pc.remoteDescription.sdp);
                            return out;
                            """), e);
        }

        // An ICE restart of the page's session: new credentials on both sides, the same DTLS
        // session, and its media keeps reaching the room page.
        org.atrium.sfu.room.Participant pageParticipant = server.server().sfu().rooms().room(ROOM).member(pageId);
        String ufragBefore = pageParticipant.transport().iceUfrag();
        long framesBefore = framesFrom(room, pageId);
        String newUfrag = WhipPage.restartIce(publisherPage, "out");
        assertEquals(newUfrag, pageParticipant.transport().iceUfrag());
        assertTrue(!newUfrag.equals(ufragBefore), newUfrag);
        publisherPage.waitUntilTrue("['connected', 'completed'].includes(window.whip.out.pc.iceConnectionState)"
                + " && window.whip.out.pc.connectionState === 'connected'", CONNECT);
        room.waitUntil("the page's video still decoded after its ICE restart", CONNECT,
                () -> framesFrom(room, pageId) > framesBefore + 20);
        assertEquals("connected", pageParticipant.transport().iceState());

        // DELETE ends the session: the participant leaves the room at once.
        long deleted = System.nanoTime();
        HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(server.http(aiortc.location()))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, delete.statusCode(), delete.body());
        room.waitUntilTrue("!window.atrium.remote.has('" + aiortcId + "')", LEAVE);
        assertTrue(participantOrNull(room(), aiortcId) == null, "gone from /api/rooms too");
        System.out.printf("WHIP session deleted: participant gone from the room page after %d ms%n",
                (System.nanoTime() - deleted) / 1_000_000);
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(server.http(aiortc.location()))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, again.statusCode(), "the session URL is gone");
    }

    @Test
    void whepPlaysOneParticipantOrFollowsTheActiveSpeaker() throws Exception {
        InteropClient red = whip("publish", "/whip/" + ROOM + "?name=red", "--color", csv(RED));
        InteropClient blue = whip("publish", "/whip/" + ROOM + "?name=blue", "--color", csv(BLUE), "--quiet");
        red.waitUntil("CREATED", CONNECT, () -> red.location() != null);
        blue.waitUntil("CREATED", CONNECT, () -> blue.location() != null);
        String redId = participantNamed("red");
        String blueId = participantNamed("blue");

        // A named participant: blue for aiortc, red for a Chromium page.
        InteropClient player = whip("play", "/whep/" + ROOM + "/" + blueId);
        BrowserPage page = chromium.open(server.http("/").toString());
        WhipPage.start(page, "red", server.http("/whep/" + ROOM + "/" + redId).toString(), false);
        player.waitUntil("decoding blue video and audio", CONNECT, () -> player.decoded("audio") > 0
                && near(player.colour(), BLUE));
        page.waitUntil("the page showing red", CONNECT, () -> near(WhipPage.colour(page, "red"), RED));

        // The active speaker: red speaks, then blue, and the player follows on one stream.
        WhipPage.start(page, "speaker", server.http("/whep/" + ROOM).toString(), false);
        page.waitUntil("the speaker player showing red (red speaks)", CONNECT,
                () -> near(WhipPage.colour(page, "speaker"), RED));
        Map<?, ?> before = WhipPage.inboundVideo(page, "speaker");
        long switched = System.nanoTime();
        red.send("quiet");
        blue.send("loud");
        page.waitUntil("the speaker player showing blue (blue speaks)", FOLLOW,
                () -> near(WhipPage.colour(page, "speaker"), BLUE));
        System.out.printf("WHEP player followed the active speaker %d ms after the voices changed%n",
                (System.nanoTime() - switched) / 1_000_000);
        Map<?, ?> after = WhipPage.inboundVideo(page, "speaker");
        assertEquals(before.get("ssrc"), after.get("ssrc"), "one stream across the change: " + before + " " + after);
        assertTrue(number(after.get("framesDecoded")) > number(before.get("framesDecoded")), before + " " + after);
        long framesNow = number(after.get("framesDecoded"));
        page.waitUntil("frames still decoded after the change", Duration.ofSeconds(5),
                () -> number(WhipPage.inboundVideo(page, "speaker").get("framesDecoded")) > framesNow + 10);
        // The named players did not move.
        assertTrue(near(WhipPage.colour(page, "red"), RED), () -> Arrays.toString(WhipPage.colour(page, "red")));
        assertTrue(near(player.colour(), BLUE), () -> Arrays.toString(player.colour()));
    }

    /**
     * GStreamer's webrtcbin publishes through {@code gst_whip.py}, in VP8 and in H264 (a
     * max-bundle offer whose second section is bundle-only with port 0, and an RSA
     * certificate); a room page decodes both.
     */
    @Test
    void gstreamerPublishesVp8AndH264() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/gi")),
                "GStreamer tests need Debian python3-gst-1.0; run ./test.sh, which installs it");
        BrowserPage room = chromium.open(server.http("/room/" + ROOM + "?name=Viewer").toString());
        room.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        for (String codec : List.of("vp8", "h264")) {
            InteropClient gst = start("gst-" + codec, "gst_whip.py", server.http("/whip/" + ROOM + "?name=gst-" + codec)
                    .toString(), "--codec", codec);
            gst.waitUntil("CREATED", CONNECT, () -> gst.location() != null);
            String id = participantNamed("gst-" + codec);
            room.waitUntil("the room page decoding GStreamer's " + codec, CONNECT, () -> {
                Map<?, ?> media = (Map<?, ?>) WebRtcStats.mediaByParticipant(room).get(id);
                return media != null && number(media.get("frames")) > 10 && number(media.get("audioPackets")) > 0;
            });
        }
    }

    private InteropClient whip(String mode, String path, String... options) {
        List<String> arguments = new ArrayList<>(List.of(mode, server.http(path).toString()));
        arguments.addAll(List.of(options));
        return start("whip-" + mode, "whip_client.py", arguments.toArray(String[]::new));
    }

    private InteropClient start(String name, String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-u",
                InteropTest.scriptsDir().resolve(script).toString()));
        command.addAll(List.of(arguments));
        InteropClient client = InteropClient.start(name, command, InteropTest.scriptsDir());
        clients.add(client);
        return client;
    }

    private static long framesFrom(BrowserPage room, String participantId) {
        Map<?, ?> media = (Map<?, ?>) WebRtcStats.mediaByParticipant(room).get(participantId);
        return media == null ? 0 : number(media.get("frames"));
    }

    /** Whether a colour is that one, as video coding leaves it: each channel within 60. */
    private static boolean near(int[] colour, int[] expected) {
        if (colour == null) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (Math.abs(colour[i] - expected[i]) > 60) {
                return false;
            }
        }
        return true;
    }

    private static String csv(int[] rgb) {
        return rgb[0] + "," + rgb[1] + "," + rgb[2];
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private JsonNode roomOrEmpty() {
        try {
            return room();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private JsonNode room() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.http("/api/rooms/" + ROOM)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** The id of the participant of that display name, waiting for it to join. */
    private String participantNamed(String name) throws Exception {
        long deadline = System.nanoTime() + CONNECT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode participant : room().path("participants")) {
                if (participant.path("name").asText().equals(name)) {
                    return participant.path("id").asText();
                }
            }
            BrowserPage.sleep(Page.POLL_INTERVAL);
        }
        throw new AssertionError("no participant named " + name + " in " + room());
    }

    private static JsonNode participant(JsonNode room, String id) {
        JsonNode found = participantOrNull(room, id);
        if (found == null) {
            throw new AssertionError("no participant " + id + " in " + room);
        }
        return found;
    }

    private static JsonNode participantOrNull(JsonNode room, String id) {
        for (JsonNode participant : room.path("participants")) {
            if (participant.path("id").asText().equals(id)) {
                return participant;
            }
        }
        return null;
    }

}
