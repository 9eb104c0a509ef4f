package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.transport.IceCandidate;
import org.junit.jupiter.api.Test;

class OfferWriterTest {

    private static final String TRANSPORT_CC = "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    private static final OfferWriter.LocalTransport TRANSPORT = new OfferWriter.LocalTransport("atrufrag",
            "0123456789abcdefghijkl", "AB:CD", List.of(
                    new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, -1, null)));

    private static final List<OfferSection> SECTIONS = List.of(
            new OfferSection("0", MediaKind.AUDIO, Direction.RECVONLY, null),
            new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null),
            new OfferSection("2", MediaKind.VIDEO, Direction.SENDONLY,
                    new OfferSection.SentTrack("p1", "p1-1", 3735928559L, "p1", 12345L)),
            new OfferSection("3", MediaKind.AUDIO, Direction.INACTIVE, null));

    @Test
    void writesSessionLevelLinesAndOneBundleOfAllMids() throws Exception {
        String written = OfferWriter.write(42, 3, TRANSPORT, SECTIONS, MediaCapabilities.defaults());
        SessionDescription parsed = SessionDescription.parse(written);
        assertEquals("0 1 2 3", parsed.attribute("group").substring("BUNDLE ".length()));
        assertEquals(4, parsed.media().size());
        assertTrue(written.startsWith("v=0\r\no=- 42 3 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"), written);
        assertTrue(written.endsWith("a=end-of-candidates\r\n"));
        assertFalse(written.contains("\n\n"));
    }

    @Test
    void everySectionCarriesTransportAndTheSamePayloadTypes() throws Exception {
        SessionDescription parsed = SessionDescription.parse(
                OfferWriter.write(42, 1, TRANSPORT, SECTIONS, MediaCapabilities.defaults()));
        for (SessionDescription.MediaDescription section : parsed.media()) {
            assertEquals("atrufrag", section.attribute("ice-ufrag"));
            assertEquals("actpass", section.attribute("setup"));
            assertEquals("sha-256 AB:CD", section.attribute("fingerprint"));
            assertTrue(section.hasAttribute("rtcp-mux"));
            assertEquals(List.of("1 udp 2130706431 127.0.0.1 10000 typ host generation 0"),
                    section.attributes("candidate").stream().map(c -> c.substring(c.indexOf(' ') + 1)).toList());
            assertEquals(1, section.attributes("candidate").size());
            if (section.kind().equals("video")) {
                assertEquals(List.of("96", "97", "102", "103"), section.formats());
                assertTrue(section.attributes("fmtp").contains("97 apt=96"));
                assertTrue(section.attributes("rtcp-fb").contains("96 nack pli"));
                assertTrue(section.attributes("rtcp-fb").contains("96 nack"));
                assertTrue(section.attributes("rtcp-fb").contains("96 transport-cc"));
                assertEquals(List.of(TRANSPORT_CC, "4 urn:ietf:params:rtp-hdrext:sdes:mid",
                        "10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                        "11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"), section.attributes("extmap"));
            } else {
                assertEquals(List.of("111"), section.formats());
                assertTrue(section.attributes("rtcp-fb").contains("111 transport-cc"));
                assertEquals(List.of("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", TRANSPORT_CC,
                        "4 urn:ietf:params:rtp-hdrext:sdes:mid"), section.attributes("extmap"));
            }
        }
    }

    @Test
    void sendonlySectionSignalsStreamAndSsrc() throws Exception {
        SessionDescription.MediaDescription sent = SessionDescription.parse(
                OfferWriter.write(42, 1, TRANSPORT, SECTIONS, MediaCapabilities.defaults())).media().get(2);
        assertTrue(sent.hasAttribute("sendonly"));
        assertEquals("p1 p1-1", sent.attribute("msid"));
        assertEquals(List.of("3735928559 cname:p1", "3735928559 msid:p1 p1-1", "12345 cname:p1", "12345 msid:p1 p1-1"),
                sent.attributes("ssrc"));
        assertEquals("FID 3735928559 12345", sent.attribute("ssrc-group"));

        SessionDescription.MediaDescription inactive = SessionDescription.parse(
                OfferWriter.write(42, 1, TRANSPORT, SECTIONS, MediaCapabilities.defaults())).media().get(3);
        assertTrue(inactive.hasAttribute("inactive"));
        assertFalse(inactive.hasAttribute("msid"));
        assertEquals(List.of(), inactive.attributes("ssrc"));
        assertEquals(9, inactive.port(), "kept open (port 9) so that the slot can be reused");
    }

    @Test
    void chromeAcceptedAnOfferOfThisForm() throws Exception {
        // The offer Chromium 156 accepted in the browser test, parsed back: the shape this writer makes.
        SessionDescription captured = SessionDescription.parse(AnswerReaderTest.resource("sfu-offer.sdp"));
        assertEquals(6, captured.media().size());
        assertEquals("actpass", captured.media().get(0).attribute("setup"));
        assertTrue(captured.media().get(2).hasAttribute("sendonly"));
    }

    @Test
    void asksForSimulcastWhereThePublisherSendsVideo() throws Exception {
        List<OfferSection> sections = List.of(
                new OfferSection("0", MediaKind.AUDIO, Direction.RECVONLY, null),
                new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null, List.of("q", "h", "f")));
        SessionDescription parsed = SessionDescription.parse(
                OfferWriter.write(1, 1, TRANSPORT, sections, MediaCapabilities.defaults()));
        SessionDescription.MediaDescription video = parsed.media().get(1);
        assertEquals(List.of("q recv", "h recv", "f recv"), video.attributes("rid"));
        assertEquals("recv q;h;f", video.attribute("simulcast"));
        assertTrue(video.attributes("extmap").contains("10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        assertTrue(video.attributes("extmap").contains("11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"));
        assertFalse(parsed.media().get(0).hasAttribute("simulcast"));
        assertFalse(parsed.media().get(0).attributes("extmap").toString().contains("rtp-stream-id"),
                "RIDs name video encodings only");
    }

    @Test
    void theDataChannelSectionIsBundledSctpOverDtls() throws Exception {
        OfferWriter.LocalTransport transport = new OfferWriter.LocalTransport("ufrg", "pwd-pwd-pwd-pwd-pwd-pwd1",
                "AB:CD", List.of());
        String sdp = OfferWriter.write(1, 1, transport, List.of(
                new OfferSection("0", MediaKind.AUDIO, Direction.RECVONLY, null), OfferSection.application("1")),
                MediaCapabilities.defaults());
        assertTrue(sdp.contains("a=group:BUNDLE 0 1\r\n"), sdp);
        String data = sdp.substring(sdp.indexOf("m=application"));
        assertEquals(String.join("\r\n",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:ufrg",
                "a=ice-pwd:pwd-pwd-pwd-pwd-pwd-pwd1",
                "a=fingerprint:sha-256 AB:CD",
                "a=setup:actpass",
                "a=mid:1",
                "a=sctp-port:5000",
                "a=max-message-size:266240",
                "a=end-of-candidates",
                ""), data);
    }

    /** RFC 6544: the ICE-TCP port is offered as a passive host candidate beside the UDP one. */
    @Test
    void offersPassiveTcpCandidateAfterTheUdpOne() throws Exception {
        OfferWriter.LocalTransport withTcp = new OfferWriter.LocalTransport("atrufrag", "0123456789abcdefghijkl",
                "AB:CD", List.of(
                        new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, -1, null),
                        new IceCandidate("t1", 1, "tcp", 1518338815L, "127.0.0.1", 10000, "host", null, -1,
                                "passive")));
        SessionDescription parsed = SessionDescription.parse(
                OfferWriter.write(42, 1, withTcp, SECTIONS, MediaCapabilities.defaults()));
        for (SessionDescription.MediaDescription section : parsed.media()) {
            assertEquals(List.of("1 1 udp 2130706431 127.0.0.1 10000 typ host generation 0",
                    "t1 1 tcp 1518338815 127.0.0.1 10000 typ host tcptype passive generation 0"),
                    section.attributes("candidate"));
        }
    }
}
