package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which codecs and extensions of each real offer the SFU takes, and the H264 profile rule. */
class OfferMatchTest {

    private static final MediaCapabilities CAPABILITIES = MediaCapabilities.defaults();

    /**
     * Matches per section, written "offeredPT[+rtxPT]=localPT" for codecs and
     * "offeredId=localId" for extensions, in the offer's order.
     */
    @ParameterizedTest(name = "{0} mid {1}")
    @CsvSource(delimiter = '|', value = {
            // offer                         | section | codecs                | extensions          | remb
            "aiortc14-sendonly-offer.sdp     | 0 | 96=111                        | 1=4 2=1             | false",
            // aiortc offers baseline 42001f (99) first: constrained baseline 42e01f (101) is preferred.
            "aiortc14-sendonly-offer.sdp     | 1 | 97+98=96 101+102=102          | 1=4                 | true",
            "aiortc14-recvonly-offer.sdp     | 1 | 97+98=96 101+102=102          | 1=4                 | true",
            "gst122-vp8-opus-offer.sdp       | 0 | 111=111                       | ''                  | false",
            "gst122-vp8-opus-offer.sdp       | 1 | 96=96                         | ''                  | false",
            "gst122-h264-opus-offer.sdp      | 1 | 102=102                       | ''                  | false",
            "chrome-whip-simulcast-offer.sdp | 0 | 111=111                       | 1=1 3=3 4=4         | false",
            // 102 is baseline, 104 and 108 packetization-mode 0, 127 main: 106 is the one.
            "chrome-whip-simulcast-offer.sdp | 1 | 96+97=96 106+107=102          | 3=3 4=4 10=10 11=11 | false",
            "obs30-whip-offer.sdp            | 0 | 111=111                       | ''                  | false",
            "obs30-whip-offer.sdp            | 1 | 96=102                        | ''                  | true",
    })
    void matchesRealOffers(String name, int index, String codecs, String extensions, boolean remb) throws Exception {
        Offer.Section section = OfferReader.read(RealOffers.text(name)).sections().get(index);
        List<CodecMatch> codecMatches = OfferMatch.codecs(section, CAPABILITIES);
        List<String> readCodecs = new ArrayList<>();
        for (CodecMatch match : codecMatches) {
            readCodecs.add(match.offered().payloadType() + (match.offeredRtx() == null ? "" : "+" + match.offeredRtx().payloadType())
                    + "=" + match.local().payloadType());
        }
        assertEquals(codecs, String.join(" ", readCodecs));
        List<ExtensionMatch> extensionMatches = OfferMatch.extensions(section, CAPABILITIES);
        List<String> readExtensions = new ArrayList<>();
        for (ExtensionMatch match : extensionMatches) {
            readExtensions.add(match.offeredId() + "=" + match.local().id());
        }
        assertEquals(extensions, String.join(" ", readExtensions));
        assertEquals(remb, OfferMatch.needsRemb(section, codecMatches, extensionMatches));
    }

    /** One offered video format against the SFU's H264 (42e01f, packetization-mode 1). */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f | 0  | Chrome's constrained baseline 3.1",
            "packetization-mode=1;profile-level-id=42c01f                          | 0  | constraint_set0 and 1: still constrained baseline",
            "packetization-mode=1;profile-level-id=42e034                          | 0  | level 5.2: levels may differ",
            "packetization-mode=1;profile-level-id=42c00c                          | 0  | GStreamer openh264enc, level 1.2",
            "packetization-mode=1;profile-level-id=4de01f                          | 0  | main with constraint_set0 is constrained baseline",
            "packetization-mode=1;profile-level-id=42f00b                          | 0  | level 1b",
            "PACKETIZATION-MODE=1; profile-level-id=42E01F                         | 0  | names and hex in any case",
            "packetization-mode=1                                                  | 0  | no profile-level-id: libwebrtc's default 42e01f",
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f | 1 | baseline: taken when nothing better",
            "packetization-mode=1;profile-level-id=58801f                          | 1  | extended with constraint_set0: baseline",
            "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f | -1 | packetization-mode 0",
            "profile-level-id=42e01f                                               | -1 | no packetization-mode is 0",
            "packetization-mode=1;profile-level-id=4d001f                          | -1 | main",
            "packetization-mode=1;profile-level-id=64001f                          | -1 | high",
            "packetization-mode=1;profile-level-id=640c1f                          | -1 | constrained high",
            "packetization-mode=1;profile-level-id=42e41f                          | -1 | constraint_set5: not a profile libwebrtc knows",
            "packetization-mode=1;profile-level-id=42e0                            | -1 | malformed profile-level-id",
    })
    void ranksH264Profiles(String fmtp, int rank, String why) {
        Offer.Format format = new Offer.Format(100, "H264", 90000, 0, fmtp, List.of());
        assertEquals(rank, OfferMatch.rank(format, CAPABILITIES.codecForPayloadType(102)), why);
    }

    @ParameterizedTest(name = "{0}/{1}/{2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "opus | 48000 | 2 | 0  | opus",
            "OPUS | 48000 | 2 | 0  | GStreamer's spelling",
            "opus | 48000 | 1 | -1 | mono opus (RFC 7587 says /2)",
            "opus | 16000 | 2 | -1 | another clock rate",
            "PCMU | 8000  | 1 | -1 | another codec",
    })
    void matchesOpusByNameClockRateAndChannels(String name, int clockRate, int channels, int rank, String why) {
        Offer.Format format = new Offer.Format(109, name, clockRate, channels, "", List.of());
        assertEquals(rank, OfferMatch.rank(format, CAPABILITIES.codecForPayloadType(111)), why);
    }

    @Test
    void takesNoRtxThatRepairsAnotherFormat() throws Exception {
        // The VP8 rtx format of aiortc's offer made to repair H264 instead: VP8 is taken without RTX.
        String sdp = RealOffers.edited(RealOffers.AIORTC_SENDONLY, "a=fmtp:98 apt=97", "a=fmtp:98 apt=99");
        Offer.Section video = OfferReader.read(sdp).sections().get(1);
        CodecMatch vp8 = OfferMatch.codecs(video, CAPABILITIES).get(0);
        assertEquals(97, vp8.offered().payloadType());
        assertNull(vp8.offeredRtx());
    }

    @Test
    void leavesOutTwoByteIdsAndExtensionsOfTheOtherKind() throws Exception {
        String sdp = RealOffers.edited(RealOffers.CHROME_SIMULCAST, "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=extmap:20 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        Offer.Section audio = OfferReader.read(sdp).sections().get(0);
        List<ExtensionMatch> matches = OfferMatch.extensions(audio, CAPABILITIES);
        assertEquals(List.of(1, 3), matches.stream().map(ExtensionMatch::offeredId).toList(),
                "id 20 needs the two-byte form; the RID extension is for video");
    }

    @Test
    void aDataChannelSectionMatchesNothing() throws Exception {
        String sdp = RealOffers.text(RealOffers.CHROME_SIMULCAST).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n";
        Offer.Section data = OfferReader.read(sdp).sections().get(2);
        assertTrue(OfferMatch.codecs(data, CAPABILITIES).isEmpty());
        assertTrue(OfferMatch.extensions(data, CAPABILITIES).isEmpty());
        assertFalse(OfferMatch.needsRemb(data, List.of(), List.of()));
    }
}
