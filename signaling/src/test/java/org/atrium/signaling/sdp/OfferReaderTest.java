package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the real offers of {@link RealOffers}, and refuses broken ones with a message a client can act on. */
class OfferReaderTest {

    /** Transport and sections of each real offer; ssrcs as "ssrc/rtx" per section, rids '+'-joined. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // offer                          | ufrag | setup   | candidates | mids         | directions                 | ssrcs                                    | video rids
            "aiortc14-sendonly-offer.sdp      | C5x2  | actpass | 0 | 0 1           | SENDONLY SENDONLY          | 1273709776/-1 550851590/3181589797       | ''",
            "aiortc14-recvonly-offer.sdp      | yjXg  | actpass | 0 | 0 1           | RECVONLY RECVONLY          | 3289733831/-1 1377519314/1424859560      | ''",
            "gst122-vp8-opus-offer.sdp        | WASo3folVFV0aKTrsazXSJ/DFtKchBfy | actpass | 3 | audio0 video1 | SENDONLY SENDONLY | 3782081239/-1 55428413/-1 | ''",
            "gst122-h264-opus-offer.sdp       | 6D00wIziDZhhNdhnq718rpkyEtx3j7IA | actpass | 3 | audio0 video1 | SENDONLY SENDONLY | 563160239/-1 3728517049/-1 | ''",
            "chrome-whip-simulcast-offer.sdp  | Wc7Z  | actpass | 1 | 0 1           | SENDONLY SENDONLY          | 3403720361/-1 -1/-1                      | q+h+f",
            "obs30-whip-offer.sdp             | tE3q  | actpass | 2 | 0 1           | SENDONLY SENDONLY          | 2954725431/-1 2954725432/-1              | ''",
    })
    void readsRealOffers(String name, String ufrag, String setup, int candidates, String mids, String directions,
            String ssrcs, String rids) throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(name));
        assertEquals(ufrag, offer.iceUfrag());
        assertTrue(offer.icePassword().length() >= 22);
        assertEquals("sha-256", offer.fingerprint().hashFunction());
        assertEquals(setup, offer.setup());
        assertFalse(offer.iceLite());
        assertEquals(candidates, offer.candidates().size());
        List<String> readMids = new ArrayList<>();
        List<String> readDirections = new ArrayList<>();
        List<String> readSsrcs = new ArrayList<>();
        for (Offer.Section section : offer.sections()) {
            readMids.add(section.mid());
            readDirections.add(section.direction().name());
            readSsrcs.add(section.ssrc() + "/" + section.rtxSsrc());
            assertFalse(section.rejected(), section.mid());
            assertEquals("UDP/TLS/RTP/SAVPF", section.protocol());
        }
        assertEquals(mids, String.join(" ", readMids));
        assertEquals(directions, String.join(" ", readDirections));
        assertEquals(ssrcs, String.join(" ", readSsrcs));
        assertEquals(List.of("audio", "video"), offer.sections().stream().map(Offer.Section::kind).toList());
        assertEquals(List.of(), offer.sections().get(0).sendRids());
        assertEquals(rids.isEmpty() ? List.of() : List.of(rids.split("\\+")), offer.sections().get(1).sendRids());
    }

    @Test
    void readsChromesFormatsFeedbackAndExtensions() throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.CHROME_SIMULCAST));
        Offer.Section audio = offer.sections().get(0);
        assertEquals(List.of(111, 63, 9, 0, 8, 13, 110, 126),
                audio.formats().stream().map(Offer.Format::payloadType).toList());
        assertEquals(new Offer.Format(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc")),
                audio.format(111));
        assertEquals(new Offer.Format(9, "G722", 8000, 1, "", List.of()), audio.format(9));
        assertEquals(List.of(new Offer.Extmap(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
                new Offer.Extmap(2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
                new Offer.Extmap(3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
                new Offer.Extmap(4, "urn:ietf:params:rtp-hdrext:sdes:mid")), audio.extensions());
        assertTrue(audio.rtcpRsize());

        Offer.Section video = offer.sections().get(1);
        Offer.Format vp8 = video.format(96);
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), vp8.feedback());
        assertEquals(-1, vp8.apt());
        assertEquals(96, video.format(97).apt());
        assertEquals(video.format(97), video.rtxFor(96));
        assertEquals("42e01f", video.format(106).parameters().get("profile-level-id"));
        assertEquals(List.of(), video.format(118).feedback(), "ulpfec has no rtcp-fb");
        assertEquals(11, video.extensions().size());
        assertEquals(new Offer.Extmap(14, "urn:ietf:params:rtp-hdrext:toffset"), video.extensions().get(0));
        // The mDNS host candidate is skipped; the video section's candidates belong to a transport BUNDLE drops.
        assertEquals("198.51.100.23", offer.candidates().get(0).address());
    }

    @Test
    void readsGstreamersBundleOnlySection() throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.GST_VP8));
        Offer.Section video = offer.sections().get(1);
        assertEquals(0, video.port());
        assertTrue(video.bundleOnly());
        assertFalse(video.rejected(), "port 0 with a=bundle-only is bundled, not rejected (RFC 8843 6)");
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(new Offer.Format(111, "OPUS", 48000, 2, "sprop-stereo=0;sprop-maxcapturerate=48000",
                List.of("transport-cc")), offer.sections().get(0).format(111));
        assertEquals(List.of("tcp", "tcp"), offer.candidates().subList(1, 3).stream().map(c -> c.protocol()).toList());
    }

    @Test
    void readsObsSessionLevelFingerprintAndCandidates() throws Exception {
        Offer offer = OfferReader.read(RealOffers.text(RealOffers.OBS));
        assertTrue(offer.fingerprint().value().startsWith("A1:3C:9E"));
        assertEquals("srflx", offer.candidates().get(1).type());
        Offer.Format h264 = offer.sections().get(1).format(96);
        assertEquals(List.of("nack", "nack pli", "goog-remb"), h264.feedback());
        assertFalse(offer.sections().get(1).rtcpRsize());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "a=simulcast:send q;h;f | a=simulcast:send q;~h;f,h    | paused and alternatives | q+h+f",
            "a=simulcast:send q;h;f | a=simulcast:send f;q        | the order listed         | f+q",
            "a=simulcast:send q;h;f | a=simulcast: send rid=q;h;f | draft syntax             | q+h+f",
            "a=simulcast:send q;h;f | a=simulcast:recv x send q;h | recv list ignored        | q+h",
    })
    void readsSimulcastVariants(String from, String to, String why, String rids) throws Exception {
        Offer offer = OfferReader.read(RealOffers.edited(RealOffers.CHROME_SIMULCAST, from, to));
        assertEquals(List.of(rids.split("\\+")), offer.sections().get(1).sendRids(), why);
    }

    @Test
    void readsAnExtmapWithADirection() throws Exception {
        Offer offer = OfferReader.read(RealOffers.edited(RealOffers.CHROME_SIMULCAST, "a=extmap:1 ", "a=extmap:1/sendonly "));
        assertEquals(new Offer.Extmap(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
                offer.sections().get(0).extensions().get(0));
        Offer mixed = OfferReader.read(RealOffers.edited(RealOffers.CHROME_SIMULCAST, "a=extmap:1 ", "a=extmap:200 "));
        assertEquals(200, mixed.sections().get(0).extensions().get(0).id(), "two-byte ids are read");
    }

    @Test
    void aMissingSetupIsActive() throws Exception {
        String sdp = RealOffers.text(RealOffers.OBS).replace("a=setup:actpass\r\n", "");
        Offer offer = OfferReader.read(sdp);
        assertEquals("active", offer.setup(), "RFC 4145 4.1");
    }

    @Test
    void readsIceLiteAndOtherFingerprintHashes() throws Exception {
        String sdp = RealOffers.edited(RealOffers.AIORTC_SENDONLY, "t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n")
                .replace("a=fingerprint:sha-256 C7:1A:3C:43:53:E0:6F:B8:EA:14:45:6A:10:3B:9B:56:79:F2:6E:ED:E0:AA:2E:B9:FC:BE:00:A6:72:B0:B9:1D",
                        "a=fingerprint:SHA-1 C7:1A:3C:43:53:E0:6F:B8:EA:14:45:6A:10:3B:9B:56:79:F2:6E:ED");
        Offer offer = OfferReader.read(sdp);
        assertTrue(offer.iceLite());
        assertEquals("sha-1", offer.fingerprint().hashFunction());
    }

    @Test
    void aSectionWithPortZeroIsRejectedAndMayStayOutOfTheBundle() throws Exception {
        String sdp = RealOffers.edited(RealOffers.AIORTC_SENDONLY, "m=video 9 ", "m=video 0 ")
                .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
        Offer.Section video = OfferReader.read(sdp).sections().get(1);
        assertTrue(video.rejected());
        assertEquals(Direction.INACTIVE, video.direction());
    }

    @Test
    void readsADataChannelSectionAsTokens() throws Exception {
        String sdp = RealOffers.text(RealOffers.CHROME_SIMULCAST).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n";
        Offer.Section data = OfferReader.read(sdp).sections().get(2);
        assertEquals("application", data.kind());
        assertNull(data.mediaKind());
        assertEquals(List.of(new Offer.Format(-1, "webrtc-datachannel", 0, 0, "", List.of())), data.formats());
        assertEquals(Direction.SENDRECV, data.direction());
    }

    /** Each broken offer, made from Chrome's by one edit, and a word its message must contain. */
    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', value = {
            "a=group:BUNDLE 0 1\\r\\n        | ''                          | BUNDLE        | no BUNDLE group",
            "a=group:BUNDLE 0 1            | a=group:BUNDLE 0            | BUNDLE        | video outside the BUNDLE group",
            "a=group:BUNDLE 0 1            | a=group:BUNDLE 0 1 7        | mid '7'       | BUNDLE names an unknown mid",
            "a=rtcp-mux\\r\\n                | ''                          | rtcp-mux      | no rtcp-mux",
            "a=ice-ufrag:Wc7Z\\r\\n          | ''                          | a=ice-ufrag   | no ufrag in the tagged section",
            "a=ice-ufrag:Wc7Z              | a=ice-ufrag:Wc7             | a=ice-ufrag   | ufrag too short",
            "a=ice-pwd:Kq3Tn0cXy9b1vAfR8sLmP2eH | a=ice-pwd:Kq3Tn0cX     | a=ice-pwd     | password too short",
            "a=fingerprint:sha-256         | a=fingerprint:md5           | fingerprint   | unknown hash function",
            "a=fingerprint:sha-256 5B:0E:  | a=fingerprint:sha-256 5B:   | fingerprint   | fingerprint too short",
            "a=fingerprint:sha-256 5B      | a=fingerprint:sha-256 ZZ    | fingerprint   | fingerprint not hex",
            "a=setup:actpass               | a=setup:holdconn            | holdconn      | setup holdconn",
            "a=setup:actpass               | a=setup:later               | a=setup       | unknown setup",
            "a=mid:1                       | a=mid:0                     | a=mid:0       | duplicate mid",
            "a=mid:1\\r\\n                   | ''                          | no a=mid      | no mid",
            "a=mid:1                       | a=mid:this-mid-is-far-too-long | a=mid      | mid longer than the MID extension",
            "SAVPF 111 63                  | SAVPF 111x 63               | '111x'        | payload type not a number",
            "SAVPF 111 63                  | SAVPF 128 63                | '128'         | payload type above 127",
            "SAVPF 111 63                  | SAVPF 111 111               | twice         | payload type listed twice",
            "a=rtpmap:111 opus/48000/2     | a=rtpmap:111 opus/fast/2    | clock rate    | clock rate not a number",
            "a=rtpmap:111 opus/48000/2     | a=rtpmap:111 opus           | a=rtpmap      | rtpmap without clock rate",
            "a=rtcp-fb:111 transport-cc    | a=rtcp-fb:111               | a=rtcp-fb     | rtcp-fb without a type",
            "a=extmap:1 urn                | a=extmap:0 urn              | extension id  | extension id 0",
            "a=extmap:1 urn                | a=extmap:256 urn            | extension id  | extension id 256",
            "a=extmap:1 urn                | a=extmap:x urn              | extension id  | extension id not a number",
            "a=extmap:1 urn                | a=extmap:1/sideways urn     | direction     | extmap direction unknown",
            "a=extmap:2 http               | a=extmap:1 http             | two URIs      | one extension id, two URIs",
            "a=sendonly\\r\\n                | a=sendonly\\r\\na=inactive\\r\\n | two directions | two directions",
            "a=rid:h send\\r\\n              | ''                          | a=rid:h send  | simulcast RID not declared",
            "a=simulcast:send q;h;f        | a=simulcast:send q;q        | twice         | simulcast RID twice",
            "a=simulcast:send q;h;f        | a=simulcast:send q$;h       | RID           | malformed RID",
            "a=simulcast:send q;h;f        | a=simulcast:send            | a=simulcast   | simulcast without a list",
            "a=simulcast:send q;h;f        | a=simulcast:send q;;h       | RID           | an empty simulcast stream",
            "a=simulcast:send q;h;f        | a=simulcast:send ,          | RID           | an empty alternative",
            "a=ssrc:3403720361 cname       | a=ssrc:4294967296 cname     | SSRC          | SSRC out of range",
    })
    void refusesBrokenOffers(String from, String to, String word, String why) {
        String sdp = RealOffers.edited(RealOffers.CHROME_SIMULCAST, from.replace("\\r\\n", "\r\n"),
                to.replace("\\r\\n", "\r\n"));
        SdpException e = assertThrows(SdpException.class, () -> OfferReader.read(sdp), why);
        assertTrue(e.getMessage().contains(word), why + ": " + e.getMessage());
    }

    @Test
    void refusesMoreThan64Candidates() {
        String candidates = "a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host\r\n".repeat(65);
        String sdp = RealOffers.edited(RealOffers.CHROME_SIMULCAST, "a=ice-ufrag:Wc7Z\r\n",
                candidates + "a=ice-ufrag:Wc7Z\r\n");
        SdpException e = assertThrows(SdpException.class, () -> OfferReader.read(sdp));
        assertEquals("more than 64 candidates", e.getMessage());
    }

    @Test
    void refusesAMalformedCandidate() {
        String sdp = RealOffers.edited(RealOffers.OBS, "typ host", "typ hostile");
        assertThrows(SdpException.class, () -> OfferReader.read(sdp));
    }

    @Test
    void refusesOffersWithoutMedia() {
        SdpException none = assertThrows(SdpException.class,
                () -> OfferReader.read("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"));
        assertEquals("the offer has no m-section", none.getMessage());
        String allRejected = RealOffers.text(RealOffers.OBS).replace("m=audio 52143", "m=audio 0")
                .replace("m=video 52143", "m=video 0");
        SdpException rejected = assertThrows(SdpException.class, () -> OfferReader.read(allRejected));
        assertTrue(rejected.getMessage().contains("port 0"), rejected.getMessage());
        assertThrows(SdpException.class, () -> OfferReader.read("not sdp"));
    }
}
