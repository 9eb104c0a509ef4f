package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.atrium.dtls.DtlsRole;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads Chromium 156's real answer to an SFU offer (captured from the browser test:
 * publish audio+video in mids 0 and 1, receive one participant's audio and video in
 * mids 2 and 3), and refuses answers that do not fit the offer.
 */
class AnswerReaderTest {

    private static final MediaCapabilities CAPABILITIES = MediaCapabilities.defaults();
    private static final List<OfferSection> OFFERED = List.of(
            new OfferSection("0", MediaKind.AUDIO, Direction.RECVONLY, null),
            new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null),
            new OfferSection("2", MediaKind.AUDIO, Direction.SENDONLY,
                    new OfferSection.SentTrack("p6964d7ef", "p6964d7ef-0", 1111, "p6964d7ef", -1)),
            new OfferSection("3", MediaKind.VIDEO, Direction.SENDONLY,
                    new OfferSection.SentTrack("p6964d7ef", "p6964d7ef-1", 2222, "p6964d7ef", 2223)));

    static String resource(String name) throws IOException {
        try (InputStream in = AnswerReaderTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsChromeAnswer() throws Exception {
        Answer answer = AnswerReader.read(resource("chrome156-answer.sdp"), OFFERED, CAPABILITIES);
        assertEquals("bKae", answer.iceUfrag());
        assertEquals("qmwYh/d1nf2wraWXPGvHUYLs", answer.icePassword());
        assertEquals("sha-256", answer.fingerprint().hashFunction());
        assertTrue(answer.fingerprint().value().startsWith("17:EF:A7:2E"));
        assertEquals(DtlsRole.SERVER, answer.localDtlsRole(), "setup:active makes the SFU the DTLS server");
        // The UDP host candidate and the TCP one, which the transport later ignores.
        assertEquals(2, answer.candidates().size());
        assertEquals("127.0.0.1", answer.candidates().get(0).address());
        assertEquals(58347, answer.candidates().get(0).port());

        Answer.Section audio = answer.sections().get(0);
        assertEquals(Direction.SENDONLY, audio.direction());
        assertEquals(1379573923L, audio.ssrc());
        assertEquals(-1, audio.rtxSsrc());
        assertEquals(List.of(111), audio.payloadTypes());

        Answer.Section video = answer.sections().get(1);
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(726552354L, video.ssrc(), "the FID group's first SSRC");
        assertEquals(1634401026L, video.rtxSsrc());
        assertEquals(List.of(96, 97, 102, 103), video.payloadTypes());

        assertEquals(java.util.Set.of("urn:ietf:params:rtp-hdrext:ssrc-audio-level", "urn:ietf:params:rtp-hdrext:sdes:mid"),
                answer.headerExtensions(), "the extensions offered then, all kept");
        assertEquals(Direction.RECVONLY, answer.sections().get(2).direction());
        assertEquals(Direction.RECVONLY, answer.sections().get(3).direction());
        assertEquals(-1, answer.sections().get(3).ssrc());
    }

    @Test
    void readsAnswerWithLfLineEndings() throws Exception {
        String sdp = resource("chrome156-answer.sdp").replace("\r\n", "\n");
        assertEquals(4, AnswerReader.read(sdp, OFFERED, CAPABILITIES).sections().size());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "a=mid:1                  | a=mid:7                      | mid 7 where 1 was offered",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 | m=audio 9 UDP/TLS/RTP/SAVPF 111 | kind changed",
            "a=setup:active           | a=setup:actpass              | actpass in an answer",
            "a=ice-ufrag:bKae         | a=ice-ufrag:b                | ufrag too short",
            "a=ice-pwd:qmwYh/d1nf2wraWXPGvHUYLs | a=ice-pwd:short    | password too short",
            "a=fingerprint:sha-256    | a=fingerprint:md5            | unknown hash function",
            "a=recvonly               | a=sendonly                   | sendonly answered to sendonly",
            "UDP/TLS/RTP/SAVPF 111    | UDP/TLS/RTP/SAVPF 8          | payload type never offered",
            "a=ssrc-group:FID 726552354 1634401026 | a=ssrc-group:FID 726552354 | malformed FID group",
            "a=ssrc:1379573923 cname  | a=ssrc:99999999999 cname     | SSRC out of range",
    })
    void refusesAnswersThatDoNotFit(String from, String to, String why) throws Exception {
        String sdp = resource("chrome156-answer.sdp").replace(from, to);
        assertThrows(SdpException.class, () -> AnswerReader.read(sdp, OFFERED, CAPABILITIES), why);
    }

    @Test
    void refusesSendingWithoutSsrc() throws Exception {
        String sdp = resource("chrome156-answer.sdp").replace("a=ssrc:1379573923 cname:4LvTddtvYgQFaKfV\r\n", "");
        SdpException e = assertThrows(SdpException.class, () -> AnswerReader.read(sdp, OFFERED, CAPABILITIES));
        assertTrue(e.getMessage().contains("a=ssrc"), e.getMessage());
    }

    @Test
    void refusesWrongSectionCountAndGarbage() {
        assertThrows(SdpException.class, () -> AnswerReader.read("v=0\r\n", OFFERED, CAPABILITIES));
        assertThrows(SdpException.class, () -> AnswerReader.read("", OFFERED, CAPABILITIES));
        assertThrows(SdpException.class, () -> AnswerReader.read("hello\r\nworld", OFFERED, CAPABILITIES));
        assertThrows(SdpException.class, () -> AnswerReader.read("v=0\r\nm=audio x RTP 1\r\n", OFFERED, CAPABILITIES));
        assertThrows(SdpException.class,
                () -> AnswerReader.read("v=0\r\n" + "m=audio 9 RTP 111\r\n".repeat(600), OFFERED, CAPABILITIES));
    }

    @Test
    void portZeroMeansRejected() throws Exception {
        String sdp = resource("chrome156-answer.sdp").replace("m=audio 58347 UDP/TLS/RTP/SAVPF 111",
                "m=audio 0 UDP/TLS/RTP/SAVPF 111");
        assertEquals(Direction.INACTIVE, AnswerReader.read(sdp, OFFERED, CAPABILITIES).sections().get(0).direction());
    }

    /** The offer Chromium 156 answered in chrome156-answer-with-data.sdp: data channels in mid 2. */
    private static final List<OfferSection> OFFERED_WITH_DATA = List.of(
            new OfferSection("0", MediaKind.AUDIO, Direction.RECVONLY, null),
            new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null, List.of("q", "h", "f")),
            OfferSection.application("2"),
            new OfferSection("3", MediaKind.AUDIO, Direction.SENDONLY,
                    new OfferSection.SentTrack("pb9289b84", "pb9289b84-0", 1831875571L, "pb9289b84", -1)),
            new OfferSection("4", MediaKind.VIDEO, Direction.SENDONLY,
                    new OfferSection.SentTrack("pb9289b84", "pb9289b84-1", 2209697879L, "pb9289b84", 4181654279L)));

    @Test
    void readsTheDataChannelSectionOfChromesAnswer() throws Exception {
        Answer answer = AnswerReader.read(resource("chrome156-answer-with-data.sdp"), OFFERED_WITH_DATA, CAPABILITIES);
        Answer.Section data = answer.sections().get(2);
        assertEquals("2", data.mid());
        assertEquals(null, data.kind());
        assertEquals(Direction.SENDRECV, data.direction(), "accepted");
        assertEquals(5000, answer.sctpPort());
        assertEquals(262144, answer.maxMessageSize());
        assertEquals(List.of("q", "h", "f"), answer.sections().get(1).simulcastRids());
    }

    @Test
    void aRejectedDataSectionLeavesNoSctpPort() throws Exception {
        String sdp = resource("chrome156-answer-with-data.sdp")
                .replace("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 0 UDP/DTLS/SCTP webrtc-datachannel");
        Answer answer = AnswerReader.read(sdp, OFFERED_WITH_DATA, CAPABILITIES);
        assertEquals(Direction.INACTIVE, answer.sections().get(2).direction());
        assertEquals(-1, answer.sctpPort());
    }

    @Test
    void anotherSctpPortIsTaken() throws Exception {
        String sdp = resource("chrome156-answer-with-data.sdp").replace("a=sctp-port:5000", "a=sctp-port:5001");
        assertEquals(5001, AnswerReader.read(sdp, OFFERED_WITH_DATA, CAPABILITIES).sctpPort());
    }

    @Test
    void refusesABadDataSection() {
        String base;
        try {
            base = resource("chrome156-answer-with-data.sdp");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (String[] change : new String[][] {
                {"a=sctp-port:5000", "a=sctp-port:0"},
                {"a=sctp-port:5000", "a=sctp-port:x"},
                {"a=max-message-size:262144", "a=max-message-size:-1"},
                {"webrtc-datachannel", "5000"},
                {"m=application 9 UDP/DTLS/SCTP", "m=audio 9 UDP/DTLS/SCTP"}}) {
            String sdp = base.replace(change[0], change[1]);
            SdpException e = assertThrows(SdpException.class,
                    () -> AnswerReader.read(sdp, OFFERED_WITH_DATA, CAPABILITIES), change[1]);
            assertTrue(e.getMessage().contains("m-section 2"), e.getMessage());
        }
    }
}
