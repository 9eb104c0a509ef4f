package org.atrium.signaling.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.atrium.signaling.auth.JoinTokenMinter;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.room.Participant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WHIP and WHEP endpoints over real HTTP, without media: each kind of bad request gets the
 * status RFC 9725 and RFC 9110 prescribe and leaves nothing behind (no participant, no ICE
 * agent); a good offer makes a session whose URL takes trickled candidates and DELETE.
 */
@Timeout(60)
class WhipEndpointsTest {

    private static final String SECRET = "whip-test-secret-of-at-least-32-bytes-0123";
    private static final String ROOM = "ingest";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JoinTokenMinter MINTER = JoinTokenMinter.hs256(SECRET.getBytes());
    private static TestServer server;

    /** A WHIP offer as Chromium makes one: Opus, VP8 with RTX, H264; its numbers are not the SFU's. */
    static final String OFFER = """
            v=0
            o=- 4215775240449105457 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1
            a=extmap-allow-mixed
            a=msid-semantic: WMS stream
            m=audio 9 UDP/TLS/RTP/SAVPF 109
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:x9Qd
            a=ice-pwd:q5kTEbhvCdzMAqgwI2D6XDeA
            a=ice-options:trickle
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:5 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:6 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendonly
            a=msid:stream audio-track
            a=rtcp-mux
            a=rtpmap:109 opus/48000/2
            a=rtcp-fb:109 transport-cc
            a=fmtp:109 minptime=10;useinbandfec=1
            a=ssrc:1111 cname:whip
            m=video 9 UDP/TLS/RTP/SAVPF 98 99
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:x9Qd
            a=ice-pwd:q5kTEbhvCdzMAqgwI2D6XDeA
            a=ice-options:trickle
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:1
            a=extmap:5 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:6 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendonly
            a=msid:stream video-track
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:98 VP8/90000
            a=rtcp-fb:98 transport-cc
            a=rtcp-fb:98 nack
            a=rtcp-fb:98 nack pli
            a=rtpmap:99 rtx/90000
            a=fmtp:99 apt=98
            a=ssrc-group:FID 2222 3333
            a=ssrc:2222 cname:whip
            a=ssrc:3333 cname:whip
            """.replace("\n", "\r\n");

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(config -> config.withJoinTokens(SECRET, null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String token(String room, boolean publish, boolean subscribe) {
        return MINTER.mint(JoinTokenMinter.Request.of(room, "encoder", Duration.ofHours(1))
                .withGrants(publish, subscribe));
    }

    static Stream<Arguments> badRequests() {
        String publisher = "Bearer " + token(ROOM, true, true);
        String huge = OFFER + "a=x-padding:" + "x".repeat(70_000) + "\r\n";
        String noCodec = OFFER.replace("a=rtpmap:109 opus/48000/2", "a=rtpmap:109 PCMU/8000");
        return Stream.of(
                Arguments.of("no token", "POST", "/whip/" + ROOM, null, "application/sdp", OFFER, 401),
                Arguments.of("not a JWT", "POST", "/whip/" + ROOM, "Bearer nonsense", "application/sdp", OFFER, 401),
                Arguments.of("not Bearer", "POST", "/whip/" + ROOM, "Basic dXNlcjpwYXNz", "application/sdp", OFFER,
                        401),
                Arguments.of("token of another room", "POST", "/whip/" + ROOM,
                        "Bearer " + token("elsewhere", true, true), "application/sdp", OFFER, 401),
                Arguments.of("token without publish", "POST", "/whip/" + ROOM, "Bearer " + token(ROOM, false, true),
                        "application/sdp", OFFER, 403),
                Arguments.of("token without subscribe", "POST", "/whep/" + ROOM, "Bearer " + token(ROOM, true, false),
                        "application/sdp", OFFER.replace("a=sendonly", "a=recvonly"), 403),
                Arguments.of("not SDP", "POST", "/whip/" + ROOM, publisher, "application/json", "{}", 415),
                Arguments.of("malformed SDP", "POST", "/whip/" + ROOM, publisher, "application/sdp",
                        "v=0\r\nthis is not SDP\r\n", 400),
                Arguments.of("no BUNDLE", "POST", "/whip/" + ROOM, publisher, "application/sdp",
                        OFFER.replace("a=group:BUNDLE 0 1\r\n", ""), 400),
                Arguments.of("no usable codec", "POST", "/whip/" + ROOM, publisher, "application/sdp", noCodec, 406),
                Arguments.of("a WHIP offer that receives", "POST", "/whip/" + ROOM, publisher, "application/sdp",
                        OFFER.replace("a=sendonly", "a=recvonly"), 406),
                Arguments.of("oversized body", "POST", "/whip/" + ROOM, publisher, "application/sdp", huge, 413),
                Arguments.of("GET on an endpoint", "GET", "/whip/" + ROOM, publisher, null, null, 405),
                Arguments.of("a bad room name", "POST", "/whip/no%20spaces", publisher, "application/sdp", OFFER, 404),
                Arguments.of("WHEP of a room no one is in", "POST", "/whep/" + ROOM, publisher, "application/sdp",
                        OFFER.replace("a=sendonly", "a=recvonly"), 404),
                Arguments.of("PATCH of an unknown session", "PATCH", "/sessions/0123456789abcdef", publisher,
                        "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n", 404),
                Arguments.of("DELETE of an unknown session", "DELETE", "/sessions/0123456789abcdef", publisher, null,
                        null, 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestGetsItsStatusAndLeavesNothing(String description, String method, String path,
            String authorization, String contentType, String body, int status) throws Exception {
        HttpResponse<String> response = send(method, path, authorization, contentType, null, body);
        assertEquals(status, response.statusCode(), description + ": " + response.body());
        if (status != 413) {
            // Netty's own 413 carries no reason; every other refusal says what was wrong.
            assertTrue(response.body().strip().length() > 10, "a reason: " + response.body());
            assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
        if (status == 401) {
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        if (status == 405) {
            assertEquals("OPTIONS, POST", response.headers().firstValue("Allow").orElse(null));
        }
        assertNothingLeft();
    }

    /** --max-tracks holds for WHIP publishers too: one audio and one video is two tracks. */
    @Test
    void anOfferOverTheTrackLimitIsRefused() throws Exception {
        try (TestServer limited = TestServer.start(config -> config.withLimits(
                org.atrium.signaling.SignalingLimits.defaults().withMaxPublishedTracks(1)))) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(limited.http("/whip/" + ROOM))
                    .header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString(OFFER)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(406, response.statusCode(), response.body());
            assertTrue(response.body().contains("at most 1 track"), response.body());
            assertEquals(0, limited.server().sfu().rooms().participantCount());
        }
    }

    @Test
    void preflightNamesWhatTheEndpointTakes() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/whip/" + ROOM, null, null, null, null);
        assertEquals(204, response.statusCode());
        assertEquals("application/sdp", response.headers().firstValue("Accept-Post").orElse(null));
        assertTrue(response.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        assertTrue(response.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));
    }

    @Test
    void sessionTakesTrickledCandidatesAndEndsWithDelete() throws Exception {
        HttpResponse<String> created = send("POST", "/whip/" + ROOM + "?name=encoder", "Bearer " + token(ROOM, true,
                false), "application/sdp", null, OFFER);
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String etag = created.headers().firstValue("ETag").orElseThrow();
        assertTrue(location.startsWith("/sessions/"), location);
        assertEquals("application/sdp", created.headers().firstValue("Content-Type").orElse(null));
        String answer = created.body();
        assertTrue(answer.contains("a=setup:passive"), answer);
        assertTrue(answer.contains("a=recvonly"), answer);
        assertTrue(answer.contains("a=rtpmap:109 opus/48000/2") && answer.contains("a=rtpmap:98 VP8/90000"),
                "the offer's payload types: " + answer);
        assertTrue(answer.contains("a=candidate:"), "the SFU's candidates: " + answer);

        Sfu sfu = server.server().sfu();
        List<Participant> members = sfu.rooms().room(ROOM).participants();
        assertEquals(1, members.size());
        Participant publisher = members.get(0);
        assertEquals("encoder", publisher.displayName());
        assertEquals(2, publisher.producers().size(), "microphone and camera published");

        String fragment = "a=ice-ufrag:x9Qd\r\na=ice-pwd:q5kTEbhvCdzMAqgwI2D6XDeA\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
                + "a=mid:0\r\na=candidate:1 1 udp 2122260223 127.0.0.1 61764 typ host\r\na=end-of-candidates\r\n";
        String trickle = "application/trickle-ice-sdpfrag";
        assertEquals(204, send("PATCH", location, null, trickle, etag, fragment).statusCode());
        assertEquals(204, send("PATCH", location, null, trickle, null, fragment).statusCode());
        assertEquals(412, send("PATCH", location, null, trickle, "\"other\"", fragment).statusCode());
        assertEquals(400, send("PATCH", location, null, trickle, "*", fragment).statusCode(),
                "a restart without new credentials");
        assertEquals(400, send("PATCH", location, null, trickle, etag,
                "a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword1\r\n").statusCode(),
                "new credentials without If-Match: *");
        String localUfrag = line(created.body(), "a=ice-ufrag:");

        // An ICE restart: the SFU's new credentials and candidates, and a new ETag for the new ICE session.
        HttpResponse<String> restart = send("PATCH", location, null, trickle, "*",
                "a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword1\r\n");
        assertEquals(200, restart.statusCode(), restart.body());
        assertEquals(trickle, restart.headers().firstValue("Content-Type").orElse(null));
        String newEtag = restart.headers().firstValue("ETag").orElseThrow();
        assertTrue(!newEtag.equals(etag), newEtag);
        String newUfrag = line(restart.body(), "a=ice-ufrag:");
        assertTrue(newUfrag != null && !newUfrag.equals(localUfrag), restart.body());
        assertTrue(restart.body().contains("a=candidate:") && restart.body().contains("a=ice-pwd:"), restart.body());
        assertEquals(newUfrag, publisher.transport().iceUfrag());
        String newFragment = fragment.replace("x9Qd", "newU").replace("q5kTEbhvCdzMAqgwI2D6XDeA",
                "newpasswordnewpassword1");
        assertEquals(412, send("PATCH", location, null, trickle, etag, newFragment).statusCode(), "the old ICE session");
        assertEquals(204, send("PATCH", location, null, trickle, newEtag, newFragment).statusCode());
        assertEquals(415, send("PATCH", location, null, "application/sdp", newEtag, fragment).statusCode());
        assertEquals(400, send("PATCH", location, null, trickle, newEtag, "a=candidate:nonsense\r\n").statusCode());
        assertEquals(405, send("POST", location, null, "application/sdp", null, OFFER).statusCode());
        assertEquals(1, sfu.rooms().participantCount(), "refused PATCHes leave the session as it was");

        assertEquals(200, send("DELETE", location, null, null, null, null).statusCode());
        assertNothingLeft();
        assertEquals(404, send("DELETE", location, null, null, null, null).statusCode());
    }

    /**
     * A WHEP player watches without being a member the others see: no participant-joined or
     * -left, not in a later joiner's list; /api/rooms shows it with listed false.
     */
    @Test
    void playerIsNotListedToTheRoom() throws Exception {
        try (SignalingClient member = new SignalingClient(server.webSocket());
                SignalingClient later = new SignalingClient(server.webSocket())) {
            member.send(join(ROOM, "Ada"));
            String memberId = member.await("joined", Duration.ofSeconds(5)).path("participantId").asText();
            String recvonly = OFFER.replace("a=sendonly", "a=recvonly");
            HttpResponse<String> created = send("POST", "/whep/" + ROOM + "/" + memberId, "Bearer " + token(ROOM,
                    false, true), "application/sdp", null, recvonly);
            assertEquals(201, created.statusCode(), created.body());
            assertTrue(created.body().contains("a=sendonly") && created.body().contains("a=ssrc:"), created.body());
            HttpResponse<String> rooms = send("GET", "/api/rooms/" + ROOM, null, null, null, null);
            assertTrue(rooms.body().replace(" ", "").contains("\"listed\":false"), rooms.body());

            later.send(join(ROOM, "Bo"));
            JsonNode joined = later.await("joined", Duration.ofSeconds(5));
            assertEquals(1, joined.path("participants").size(), "only Ada: " + joined);
            assertEquals(200, send("DELETE", created.headers().firstValue("Location").orElseThrow(), null, null, null,
                    null).statusCode());
            // Bo's arrival is the last thing Ada hears of: nothing of the player, before or after.
            member.await("participant-joined", Duration.ofSeconds(5));
            later.send("{\"type\":\"leave\"}");
            member.await("participant-left", Duration.ofSeconds(5));
            for (JsonNode message : member.history()) {
                String type = message.path("type").asText();
                String id = type.equals("participant-joined") ? message.path("participant").path("id").asText()
                        : type.equals("participant-left") ? message.path("participantId").asText() : null;
                if (id != null) {
                    assertEquals(joined.path("participantId").asText(), id, "only Bo comes and goes: " + message);
                }
            }
        }
        assertNothingLeft();
    }

    private static String join(String room, String name) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\",\"token\":\""
                + MINTER.mint(JoinTokenMinter.Request.of(room, name, Duration.ofHours(1))) + "\"}";
    }

    /** No participant and no ICE agent: what a refused or ended session must leave. */
    private static void assertNothingLeft() throws InterruptedException {
        Sfu sfu = server.server().sfu();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while ((sfu.rooms().participantCount() != 0 || sfu.iceSessionCount() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, sfu.rooms().participantCount(), "participants");
        assertEquals(0, sfu.iceSessionCount(), "ICE agents on the media port");
    }

    /** The value of the first line that starts with {@code prefix}, or null. */
    private static String line(String text, String prefix) {
        for (String line : text.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        return null;
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String contentType,
            String ifMatch, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http("/") + path.substring(1)))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
