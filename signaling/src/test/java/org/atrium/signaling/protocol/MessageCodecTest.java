package org.atrium.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.atrium.sfu.room.TrackSource;
import org.atrium.signaling.turn.IceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void readsEachClientMessage() throws ProtocolException {
        assertEquals(new ClientMessage.Join("demo", "Ada", null),
                codec.parse("{\"type\":\"join\",\"room\":\"demo\",\"name\":\" Ada \",\"extra\":1}"));
        assertEquals(new ClientMessage.Join("a.b-c_d", "guest", null), codec.parse("{\"type\":\"join\",\"room\":\"a.b-c_d\"}"));
        assertEquals(new ClientMessage.Join("r", "guest", "a.b.c"),
                codec.parse("{\"type\":\"join\",\"room\":\"r\",\"token\":\"a.b.c\"}"));
        assertEquals(new ClientMessage.Join("r", "guest", null, true),
                codec.parse("{\"type\":\"join\",\"room\":\"r\",\"noRedirect\":true}"));
        assertEquals(new ClientMessage.Join("r", "guest", null, false),
                codec.parse("{\"type\":\"join\",\"room\":\"r\",\"noRedirect\":null}"));
        assertEquals(new ClientMessage.Answer(3, "v=0\r\n"),
                codec.parse("{\"type\":\"answer\",\"version\":3,\"sdp\":\"v=0\\r\\n\"}"));
        assertEquals(new ClientMessage.Candidate("candidate:1 1 udp 1 127.0.0.1 9 typ host", "0"),
                codec.parse("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\"}"));
        assertEquals(new ClientMessage.Candidate(null, null), codec.parse("{\"type\":\"candidate\",\"candidate\":null}"));
        assertEquals(new ClientMessage.Candidate(null, null), codec.parse("{\"type\":\"candidate\",\"candidate\":\"\"}"));
        assertEquals(new ClientMessage.Leave(), codec.parse("{\"type\":\"leave\"}"));
        assertEquals(new ClientMessage.Mute(TrackSource.MICROPHONE, true),
                codec.parse("{\"type\":\"mute\",\"source\":\"microphone\",\"muted\":true}"));
        assertEquals(new ClientMessage.Mute(TrackSource.CAMERA, false),
                codec.parse("{\"type\":\"mute\",\"source\":\"camera\",\"muted\":false}"));
        assertEquals(new ClientMessage.AddTrack(TrackSource.SCREEN),
                codec.parse("{\"type\":\"add-track\",\"source\":\"screen\"}"));
        assertEquals(new ClientMessage.RemoveTrack(TrackSource.SCREEN_AUDIO),
                codec.parse("{\"type\":\"remove-track\",\"source\":\"screen-audio\"}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{                                                  | bad-json",
            "[]                                                 | bad-json",
            "\"join\"                                           | bad-json",
            "{\"room\":\"demo\"}                                | bad-json",
            "{\"type\":null}                                    | bad-json",
            "{\"type\":\"hello\"}                               | unknown-type",
            "{\"type\":\"join\"}                                | bad-request",
            "{\"type\":\"join\",\"room\":\"\"}                  | bad-request",
            "{\"type\":\"join\",\"room\":\"a/b\"}               | bad-request",
            "{\"type\":\"join\",\"room\":\"demo\",\"name\":5}   | bad-request",
            "{\"type\":\"answer\",\"sdp\":\"v=0\"}              | bad-request",
            "{\"type\":\"answer\",\"version\":\"1\",\"sdp\":\"\"} | bad-request",
            "{\"type\":\"answer\",\"version\":1.5,\"sdp\":\"\"} | bad-request",
            "{\"type\":\"answer\",\"version\":99999999999,\"sdp\":\"\"} | bad-request",
            "{\"type\":\"candidate\",\"candidate\":7}           | bad-request",
            "{\"type\":\"mute\",\"source\":\"camera\"}        | bad-request",
            "{\"type\":\"mute\",\"source\":\"camera\",\"muted\":\"yes\"} | bad-request",
            "{\"type\":\"mute\",\"source\":\"Camera\",\"muted\":true} | bad-request",
            "{\"type\":\"mute\",\"muted\":true}                 | bad-request",
            "{\"type\":\"add-track\",\"source\":\"window\"}   | bad-request",
            "{\"type\":\"remove-track\",\"source\":5}         | bad-request",
    })
    void refusesWithCode(String text, String code) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.parse(text));
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{\"type\":\"join\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.parse(deep));
        assertEquals("bad-json", e.code());
    }

    @Test
    void refusesATokenThatIsNotAString() {
        String text = "{\"type\":\"join\",\"room\":\"r\",\"token\":{\"alg\":\"none\"}}";
        assertEquals("bad-request", assertThrows(ProtocolException.class, () -> codec.parse(text)).code());
    }

    @Test
    void refusesOverlongName() {
        String text = "{\"type\":\"join\",\"room\":\"r\",\"name\":\"" + "é".repeat(65) + "\"}";
        assertEquals("bad-request", assertThrows(ProtocolException.class, () -> codec.parse(text)).code());
    }

    @Test
    void writesServerMessages() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode joined = json.readTree(codec.joined("demo", new MessageCodec.ParticipantInfo("p1", "Ada", "ada@x"),
                List.of(new MessageCodec.ParticipantInfo("p2", "Bo \"the\" <b>", null)), "r3sum3",
                List.of(new IceServer(List.of("turn:10.0.0.1:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp"),
                        "1767225600:p1", "c2VjcmV0"))));
        assertEquals("joined", joined.path("type").asText());
        assertEquals("r3sum3", joined.path("resumeToken").asText());
        assertEquals("Ada", joined.path("name").asText());
        assertEquals("ada@x", joined.path("identity").asText());
        assertEquals(false, joined.path("participants").get(0).has("identity"), "no identity on an open server");
        assertEquals("Bo \"the\" <b>", joined.path("participants").get(0).path("name").asText());
        JsonNode iceServer = joined.path("iceServers").get(0);
        assertEquals("turns:turn.example.org:5349?transport=tcp", iceServer.path("urls").get(1).asText());
        assertEquals("1767225600:p1", iceServer.path("username").asText());
        assertEquals("c2VjcmV0", iceServer.path("credential").asText());

        JsonNode offer = json.readTree(codec.offer(2, "v=0\r\n",
                List.of(MessageCodec.MidInfo.publish("0", "audio", TrackSource.MICROPHONE)),
                List.of(MessageCodec.MidInfo.subscribe("3", "video", "p2", TrackSource.SCREEN, true))));
        assertEquals(2, offer.path("version").asInt());
        assertEquals("v=0\r\n", offer.path("sdp").asText());
        assertEquals("0", offer.path("publish").get(0).path("mid").asText());
        assertEquals(false, offer.path("publish").get(0).has("participantId"));
        assertEquals("microphone", offer.path("publish").get(0).path("source").asText());
        assertEquals("p2", offer.path("subscribe").get(0).path("participantId").asText());
        assertEquals("screen", offer.path("subscribe").get(0).path("source").asText());
        assertEquals(true, offer.path("subscribe").get(0).path("muted").asBoolean());

        JsonNode muted = json.readTree(codec.trackMuted("p2", TrackSource.SCREEN_AUDIO, false));
        assertEquals("track-muted", muted.path("type").asText());
        assertEquals("p2", muted.path("participantId").asText());
        assertEquals("screen-audio", muted.path("source").asText());
        assertEquals(false, muted.path("muted").asBoolean());

        JsonNode resumed = json.readTree(codec.resumed("demo", "p1"));
        assertEquals("resumed", resumed.path("type").asText());
        assertEquals("p1", resumed.path("participantId").asText());

        JsonNode error = json.readTree(codec.error("bad-json", "Malformed"));
        assertEquals("bad-json", error.path("code").asText());
        JsonNode left = json.readTree(codec.participantLeft("p2", "ice-failed"));
        assertEquals("ice-failed", left.path("reason").asText());
    }

    @Test
    void refusesANoRedirectThatIsNotABoolean() {
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> codec.parse("{\"type\":\"join\",\"room\":\"r\",\"noRedirect\":\"yes\"}"));
        assertEquals("bad-request", e.code());
    }

    @Test
    void writesRedirectAndTheNodesOfJoined() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.readTree("{\"type\":\"redirect\",\"url\":\"wss://sfu2.example.org/ws\",\"node\":\"sfu-2\","
                + "\"room\":\"demo\"}"), json.readTree(codec.redirect("wss://sfu2.example.org/ws", "sfu-2", "demo")));
        String joined = codec.joined("demo", new MessageCodec.ParticipantInfo("p1", "Ada", null), java.util.List.of(),
                "t", java.util.List.of(), java.util.List.of(new MessageCodec.NodeLink("sfu-1", "https://sfu1.example.org")));
        assertEquals(json.readTree("[{\"id\":\"sfu-1\",\"url\":\"https://sfu1.example.org\"}]"),
                json.readTree(joined).path("nodes"));
        String alone = codec.joined("demo", new MessageCodec.ParticipantInfo("p1", "Ada", null), java.util.List.of(),
                "t", java.util.List.of());
        assertEquals(true, json.readTree(alone).path("nodes").isMissingNode());
    }
}
