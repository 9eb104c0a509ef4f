package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.transport.IceCandidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Answers the real offers of {@link RealOffers} as a WHIP endpoint (the SFU receives) and a
 * WHEP endpoint (it sends), parses each answer back and checks it against its offer: one
 * section per offered one with its mid (RFC 3264 6), the offered payload types and
 * extension ids, rejected sections with port 0 outside the BUNDLE group (RFC 8843 7.3.3).
 */
class AnswerWriterTest {

    private static final MediaCapabilities CAPABILITIES = MediaCapabilities.defaults();
    private static final String FINGERPRINT =
            "3E:94:0B:1C:55:A0:7F:D2:61:8C:E4:29:B7:03:6A:F1:9D:42:C8:15:70:BE:2F:96:D3:48:0A:E7:5C:81:B4:6F";
    private static final OfferWriter.LocalTransport LOCAL = new OfferWriter.LocalTransport("Sf8q",
            "sFuPassword0123456789ab", FINGERPRINT, List.of(
                    new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, -1, null),
                    new IceCandidate("2", 1, "tcp", 1671430143L, "127.0.0.1", 10000, "host", null, -1, "passive")));
    private static final OfferSection.SentTrack AUDIO_TRACK =
            new OfferSection.SentTrack("p1a2b3c4d", "p1a2b3c4d-0", 1111, "p1a2b3c4d", -1);
    private static final OfferSection.SentTrack VIDEO_TRACK =
            new OfferSection.SentTrack("p1a2b3c4d", "p1a2b3c4d-1", 2222, "p1a2b3c4d", 2223);

    /** The WHIP answer: the SFU receives every section it can. */
    static String publishAnswer(Offer offer) {
        List<AnswerSection> sections = new ArrayList<>();
        for (Offer.Section section : offer.sections()) {
            sections.add(AnswerSection.receiving(section, CAPABILITIES));
        }
        return AnswerWriter.write(7, LOCAL, AnswerWriter.setupFor(offer), sections);
    }

    /** The WHEP answer: the SFU sends one participant's audio and video. */
    static String playbackAnswer(Offer offer) {
        List<AnswerSection> sections = new ArrayList<>();
        for (Offer.Section section : offer.sections()) {
            sections.add(AnswerSection.sending(section, CAPABILITIES,
                    "video".equals(section.kind()) ? VIDEO_TRACK : AUDIO_TRACK));
        }
        return AnswerWriter.write(7, LOCAL, AnswerWriter.setupFor(offer), sections);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // offer                         | m-lines                                                                | BUNDLE
            "aiortc14-sendonly-offer.sdp     | m=audio 9 UDP/TLS/RTP/SAVPF 96, m=video 9 UDP/TLS/RTP/SAVPF 97 98 101 102 | 0 1",
            "gst122-vp8-opus-offer.sdp       | m=audio 9 UDP/TLS/RTP/SAVPF 111, m=video 9 UDP/TLS/RTP/SAVPF 96           | audio0 video1",
            "gst122-h264-opus-offer.sdp      | m=audio 9 UDP/TLS/RTP/SAVPF 111, m=video 9 UDP/TLS/RTP/SAVPF 102          | audio0 video1",
            "chrome-whip-simulcast-offer.sdp | m=audio 9 UDP/TLS/RTP/SAVPF 111, m=video 9 UDP/TLS/RTP/SAVPF 96 97 106 107 | 0 1",
            "obs30-whip-offer.sdp            | m=audio 9 UDP/TLS/RTP/SAVPF 111, m=video 9 UDP/TLS/RTP/SAVPF 96           | 0 1",
    })
    void answersWhipOffers(String name, String mlines, String bundle) throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(name));
        String answer = publishAnswer(offer);
        assertEquals(List.of(mlines.split(", ")), mlines(answer));
        SessionDescription parsed = SessionDescription.parse(answer);
        assertEquals("BUNDLE " + bundle, parsed.attribute("group"));
        for (SessionDescription.MediaDescription section : parsed.media()) {
            assertTrue(section.hasAttribute("recvonly"), section.attribute("mid"));
            assertEquals(List.of(), section.attributes("ssrc"), "the SFU sends nothing here");
        }
        assertFollowsTheOffer(offer, answer);
    }

    @Test
    void answersAWhepOfferWithTheTracksSsrcs() throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.AIORTC_RECVONLY));
        String answer = playbackAnswer(offer);
        assertFollowsTheOffer(offer, answer);
        SessionDescription.MediaDescription audio = SessionDescription.parse(answer).media().get(0);
        assertTrue(audio.hasAttribute("sendonly"));
        assertEquals("p1a2b3c4d p1a2b3c4d-0", audio.attribute("msid"));
        assertEquals(List.of("1111 cname:p1a2b3c4d", "1111 msid:p1a2b3c4d p1a2b3c4d-0"), audio.attributes("ssrc"));
        assertNull(audio.attribute("ssrc-group"));
        SessionDescription.MediaDescription video = SessionDescription.parse(answer).media().get(1);
        assertEquals("FID 2222 2223", video.attribute("ssrc-group"));
        assertEquals(List.of("2222 cname:p1a2b3c4d", "2222 msid:p1a2b3c4d p1a2b3c4d-1", "2223 cname:p1a2b3c4d",
                "2223 msid:p1a2b3c4d p1a2b3c4d-1"), video.attributes("ssrc"));
        assertEquals(List.of("m=audio 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP/TLS/RTP/SAVPF 97 98 101 102"), mlines(answer));
        // Read back, the answer's sections send the track's SSRCs.
        Offer back = OfferReader.read(answer);
        assertEquals(2222, back.sections().get(1).ssrc());
        assertEquals(2223, back.sections().get(1).rtxSsrc());
        assertEquals(Direction.SENDONLY, back.sections().get(1).direction());
    }

    @Test
    void noRtxSsrcWhereNoRtxIsNegotiated() throws Exception {
        // OBS's offer turned into a viewer's: H264 without RTX.
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.OBS).replace("a=sendonly", "a=recvonly"));
        String answer = playbackAnswer(offer);
        assertFollowsTheOffer(offer, answer);
        SessionDescription.MediaDescription video = SessionDescription.parse(answer).media().get(1);
        assertNull(video.attribute("ssrc-group"));
        assertEquals(List.of("2222 cname:p1a2b3c4d", "2222 msid:p1a2b3c4d p1a2b3c4d-1"), video.attributes("ssrc"));
    }

    @Test
    void receivesChromesSimulcastInTheOffersOrder() throws Exception {
        String answer = publishAnswer(OfferReader.read(RealOffers.text(RealOffers.CHROME_SIMULCAST)));
        SessionDescription.MediaDescription audio = SessionDescription.parse(answer).media().get(0);
        SessionDescription.MediaDescription video = SessionDescription.parse(answer).media().get(1);
        assertEquals(List.of("q recv", "h recv", "f recv"), video.attributes("rid"));
        assertEquals("recv q;h;f", video.attribute("simulcast"));
        assertNull(audio.attribute("simulcast"));
        assertEquals(List.of("3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid", "10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                "11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"), video.attributes("extmap"));
        assertEquals(List.of("96 transport-cc", "96 nack", "96 nack pli", "96 ccm fir", "106 transport-cc", "106 nack",
                "106 nack pli", "106 ccm fir"), video.attributes("rtcp-fb"), "no goog-remb: transport-cc is negotiated");
        assertEquals(List.of("97 apt=96",
                "106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "107 apt=106"),
                video.attributes("fmtp"));
        assertEquals(List.of("96 VP8/90000", "97 rtx/90000", "106 H264/90000", "107 rtx/90000"), video.attributes("rtpmap"));
        assertTrue(video.hasAttribute("rtcp-rsize"));
        assertEquals(List.of("111 opus/48000/2"), audio.attributes("rtpmap"));
        assertEquals(List.of("111 minptime=10;useinbandfec=1"), audio.attributes("fmtp"));
    }

    @Test
    void declinesSimulcastWithoutTheRidExtension() throws Exception {
        String sdp = RealOffers.text(RealOffers.CHROME_SIMULCAST)
                .replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
        Offer.Section video = OfferReader.read(sdp).sections().get(1);
        assertEquals(List.of("q", "h", "f"), video.sendRids());
        assertEquals(List.of(), AnswerSection.receiving(video, CAPABILITIES).rids());
    }

    @Test
    void answersObsWithRembAndItsOwnFmtp() throws Exception {
        String answer = publishAnswer(OfferReader.read(RealOffers.text(RealOffers.OBS)));
        SessionDescription.MediaDescription audio = SessionDescription.parse(answer).media().get(0);
        SessionDescription.MediaDescription video = SessionDescription.parse(answer).media().get(1);
        assertEquals(List.of("96 goog-remb", "96 nack", "96 nack pli"), video.attributes("rtcp-fb"),
                "no transport-cc extension: goog-remb");
        assertEquals(List.of("96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"),
                video.attributes("fmtp"));
        assertEquals(List.of("111 minptime=10;useinbandfec=1"), audio.attributes("fmtp"));
        assertFalse(video.hasAttribute("rtcp-rsize"), "not offered");
        assertEquals(List.of(), video.attributes("extmap"));
    }

    @Test
    void answersGstreamersH264WithItsProfile() throws Exception {
        String answer = publishAnswer(OfferReader.read(RealOffers.text(RealOffers.GST_H264)));
        SessionDescription.MediaDescription video = SessionDescription.parse(answer).media().get(1);
        assertEquals(9, video.port(), "the bundle-only section is accepted");
        assertFalse(video.hasAttribute("bundle-only"));
        assertEquals(List.of("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42c01f"),
                video.attributes("fmtp"));
        assertEquals(List.of("102 H264/90000"), video.attributes("rtpmap"));
        assertEquals(List.of("111 OPUS/48000/2"), SessionDescription.parse(answer).media().get(0).attributes("rtpmap"),
                "the offer's spelling");
    }

    @Test
    void rejectsASectionWithoutACommonCodec() throws Exception {
        // aiortc's audio with PCMU and PCMA only.
        String sdp = RealOffers.edited(RealOffers.AIORTC_SENDONLY, "m=audio 9 UDP/TLS/RTP/SAVPF 96 0 8",
                "m=audio 9 UDP/TLS/RTP/SAVPF 0 8");
        Offer offer = OfferReader.read(sdp);
        String answer = publishAnswer(offer);
        assertFollowsTheOffer(offer, answer);
        SessionDescription parsed = SessionDescription.parse(answer);
        assertEquals("BUNDLE 1", parsed.attribute("group"));
        assertEquals("m=audio 0 UDP/TLS/RTP/SAVPF 0", mlines(answer).get(0));
        SessionDescription.MediaDescription audio = parsed.media().get(0);
        assertEquals(List.of("mid"), audio.attributes().stream().map(SessionDescription.Attribute::name).toList());
        assertFalse(parsed.media().get(1).attributes("candidate").isEmpty(), "candidates go to the first accepted");
    }

    @Test
    void rejectsADataChannelSection() throws Exception {
        String sdp = RealOffers.text(RealOffers.CHROME_SIMULCAST).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n";
        Offer offer = OfferReader.read(sdp);
        String answer = publishAnswer(offer);
        assertFollowsTheOffer(offer, answer);
        assertEquals("m=application 0 UDP/DTLS/SCTP webrtc-datachannel", mlines(answer).get(2));
        assertEquals("BUNDLE 0 1", SessionDescription.parse(answer).attribute("group"));
    }

    @Test
    void rejectsSectionsGoingTheWrongWay() throws Exception {
        Offer whep = OfferReader.read(RealOffers.text(RealOffers.AIORTC_RECVONLY));
        assertNull(AnswerSection.receiving(whep.sections().get(1), CAPABILITIES).direction(), "nothing to receive");
        Offer whip = OfferReader.read(RealOffers.text(RealOffers.OBS));
        assertNull(AnswerSection.sending(whip.sections().get(1), CAPABILITIES, VIDEO_TRACK).direction(),
                "a sendonly offer cannot receive");
        String answer = AnswerWriter.write(7, LOCAL, "passive",
                whip.sections().stream().map(AnswerSection::rejected).toList());
        assertNull(SessionDescription.parse(answer).attribute("group"), "no BUNDLE group without an accepted section");
        assertEquals(List.of("m=audio 0 UDP/TLS/RTP/SAVPF 111", "m=video 0 UDP/TLS/RTP/SAVPF 96"), mlines(answer));
    }

    @ParameterizedTest
    @CsvSource({"actpass, passive", "active, passive", "passive, active"})
    void choosesTheDtlsRole(String offered, String answered) throws Exception {
        String sdp = RealOffers.text(RealOffers.OBS).replace("a=setup:actpass", "a=setup:" + offered);
        Offer offer = OfferReader.read(sdp);
        assertEquals(answered, AnswerWriter.setupFor(offer));
        assertEquals(answered, SessionDescription.parse(publishAnswer(offer)).media().get(0).attribute("setup"));
    }

    @Test
    void answersPassiveToAnOfferWithoutSetup() throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.OBS).replace("a=setup:actpass\r\n", ""));
        assertEquals("passive", AnswerWriter.setupFor(offer), "absent is active (RFC 4145), actpass or not");
    }

    @Test
    void refusesAnswerSectionsThatBreakTheRules() throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.CHROME_SIMULCAST));
        Offer.Section video = offer.sections().get(1);
        List<CodecMatch> codecs = OfferMatch.codecs(video, CAPABILITIES);
        assertThrows(IllegalArgumentException.class,
                () -> new AnswerSection(video, Direction.RECVONLY, List.of(), List.of(), null, false, List.of()),
                "no codec");
        assertThrows(IllegalArgumentException.class,
                () -> new AnswerSection(video, Direction.SENDONLY, codecs, List.of(), null, false, List.of()),
                "sendonly to sendonly");
        assertThrows(IllegalArgumentException.class,
                () -> new AnswerSection(video, Direction.RECVONLY, codecs, List.of(), null, false, List.of("x")),
                "a RID not offered");
        assertThrows(IllegalArgumentException.class,
                () -> AnswerWriter.write(7, LOCAL, "actpass", List.of(AnswerSection.rejected(video))),
                "an answer's setup is active or passive");
    }

    private static List<String> mlines(String sdp) {
        return sdp.lines().filter(line -> line.startsWith("m=")).toList();
    }

    /**
     * The rules of an answer, checked section by section against the offer: same mids and
     * kinds in order; accepted sections on port 9 with the SFU's transport, only offered
     * payload types with their offered encoding, RTX repairing an offered type, offered
     * feedback only, extensions under their offered ids; rejected sections on port 0 with
     * the mid alone; BUNDLE exactly the accepted mids; candidates once, in the first.
     */
    private static void assertFollowsTheOffer(Offer offer, String answer) throws SdpException {
        SessionDescription parsed = SessionDescription.parse(answer);
        assertTrue(answer.endsWith("\r\n") && !answer.replace("\r\n", "").contains("\n"), "CRLF line ends");
        assertEquals(offer.sections().size(), parsed.media().size());
        List<String> accepted = new ArrayList<>();
        boolean candidatesSeen = false;
        for (int i = 0; i < parsed.media().size(); i++) {
            Offer.Section offered = offer.sections().get(i);
            SessionDescription.MediaDescription section = parsed.media().get(i);
            assertEquals(offered.mid(), section.attribute("mid"));
            assertEquals(offered.kind(), section.kind());
            assertEquals(offered.protocol(), section.protocol());
            if (section.port() == 0) {
                assertEquals(1, section.formats().size());
                assertNull(section.attribute("ice-ufrag"));
                assertNull(section.attribute("candidate"));
                continue;
            }
            accepted.add(offered.mid());
            assertEquals(9, section.port());
            assertEquals("Sf8q", section.attribute("ice-ufrag"));
            assertEquals("sha-256 " + FINGERPRINT, section.attribute("fingerprint"));
            assertTrue(section.hasAttribute("rtcp-mux"));
            assertEquals(offered.rtcpRsize(), section.hasAttribute("rtcp-rsize"));
            List<String> answeredFeedback = section.attributes("rtcp-fb");
            for (String format : section.formats()) {
                Offer.Format offeredFormat = offered.format(Integer.parseInt(format));
                assertNotNull(offeredFormat, "payload type " + format + " was offered");
                assertTrue(section.attributes("rtpmap").contains(format + " " + offeredFormat.name() + "/"
                        + offeredFormat.clockRate() + (offeredFormat.channels() > 1 ? "/" + offeredFormat.channels() : "")));
                if (offeredFormat.apt() >= 0) {
                    assertTrue(section.attributes("fmtp").contains(format + " apt=" + offeredFormat.apt()));
                    assertTrue(section.formats().contains(String.valueOf(offeredFormat.apt())));
                }
                for (String feedback : answeredFeedback) {
                    if (feedback.startsWith(format + " ")) {
                        assertTrue(offeredFormat.feedback().contains(feedback.substring(format.length() + 1)), feedback);
                    }
                }
            }
            for (String extmap : section.attributes("extmap")) {
                String[] fields = extmap.split(" ");
                assertTrue(offered.extensions().contains(new Offer.Extmap(Integer.parseInt(fields[0]), fields[1])), extmap);
            }
            boolean hasCandidates = !section.attributes("candidate").isEmpty();
            assertEquals(!candidatesSeen, hasCandidates, "candidates in the first accepted section only");
            assertEquals(hasCandidates, section.hasAttribute("end-of-candidates"));
            candidatesSeen = true;
        }
        String group = parsed.attribute("group");
        assertEquals(accepted.isEmpty() ? null : "BUNDLE " + String.join(" ", accepted), group);
        if (!accepted.isEmpty()) {
            // Structurally an answer is an offer too: one BUNDLE group, rtcp-mux, credentials, fingerprint.
            Offer back = OfferReader.read(answer);
            assertEquals(LOCAL.candidates(), back.candidates());
            assertEquals(AnswerWriter.setupFor(offer), back.setup());
        }
    }
}
