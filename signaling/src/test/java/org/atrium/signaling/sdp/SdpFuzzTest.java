package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.transport.IceCandidate;

/**
 * Fuzz targets for the SDP a participant sends: the generic parser, the answer checked against
 * the SFU's offer (the sections of the offer Chromium answered in sdp/chrome156-answer.sdp), a
 * client's offer (WHIP, WHEP) with the SFU's answers to it, and ICE candidates. Inputs are
 * UTF-8 text. Without JAZZER_FUZZ they run the committed inputs in
 * {@code SdpFuzzTestInputs/<method>/} (see docs/fuzzing.md).
 *
 * <p>The contract: a result or {@link SdpException}, nothing else; an accepted answer matches the
 * offer section by section; an accepted candidate survives format and parse unchanged.
 */
class SdpFuzzTest {
    /** Well above a real answer (about 3 kB) yet bounded; the parser itself refuses 64 k characters. */
    private static final int MAX_INPUT = 16 * 1024;
    private static final MediaCapabilities CAPABILITIES = MediaCapabilities.defaults();
    private static final List<OfferSection> OFFERED = List.of(
            new OfferSection("0", MediaKind.AUDIO, Direction.RECVONLY, null),
            new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null),
            new OfferSection("2", MediaKind.AUDIO, Direction.SENDONLY,
                    new OfferSection.SentTrack("p6964d7ef", "p6964d7ef-0", 1111, "p6964d7ef", -1)),
            new OfferSection("3", MediaKind.VIDEO, Direction.SENDONLY,
                    new OfferSection.SentTrack("p6964d7ef", "p6964d7ef-1", 2222, "p6964d7ef", 2223)));

    @FuzzTest(maxDuration = "60s")
    void sessionDescription(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(new String(input, StandardCharsets.UTF_8));
        } catch (SdpException refused) {
            return;
        }
        assertTrue(sdp.media().size() <= SessionDescription.MAX_MEDIA);
        for (SessionDescription.MediaDescription media : sdp.media()) {
            assertTrue(media.port() >= 0 && media.port() <= 65535);
            media.attribute("mid");
            media.attributes("ssrc");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void answer(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        Answer answer;
        try {
            answer = AnswerReader.read(new String(input, StandardCharsets.UTF_8), OFFERED, CAPABILITIES);
        } catch (SdpException refused) {
            return;
        }
        assertEquals(OFFERED.size(), answer.sections().size(), "one section per offered m-section");
        for (int i = 0; i < OFFERED.size(); i++) {
            Answer.Section section = answer.sections().get(i);
            assertEquals(OFFERED.get(i).mid(), section.mid());
            assertEquals(OFFERED.get(i).kind(), section.kind());
            assertTrue(section.direction().isValidAnswerTo(OFFERED.get(i).direction()), "direction fits the offer");
            for (int payloadType : section.payloadTypes()) {
                assertEquals(OFFERED.get(i).kind(), CAPABILITIES.codecForPayloadType(payloadType).kind());
            }
            assertTrue(section.ssrc() >= -1 && section.ssrc() <= 0xFFFFFFFFL);
        }
        assertTrue(answer.candidates().size() <= 64, "candidates are bounded");
        assertTrue(answer.iceUfrag().length() >= 4 && answer.icePassword().length() >= 22);
    }

    /**
     * A client's offer (WHIP, WHEP): read, matched, and answered both ways; the answer parses
     * back with one m-section per offered one, under the same mids.
     */
    @FuzzTest(maxDuration = "60s")
    void offer(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        Offer offer;
        try {
            offer = OfferReader.read(new String(input, StandardCharsets.UTF_8));
        } catch (SdpException refused) {
            return;
        }
        assertTrue(offer.candidates().size() <= OfferReader.MAX_CANDIDATES, "candidates are bounded");
        assertTrue(offer.iceUfrag().length() >= 4 && offer.icePassword().length() >= 22);
        List<AnswerSection> receiving = new java.util.ArrayList<>();
        List<AnswerSection> sending = new java.util.ArrayList<>();
        OfferSection.SentTrack track = new OfferSection.SentTrack("p1", "p1-0", 1111, "p1", 1112);
        for (Offer.Section section : offer.sections()) {
            receiving.add(AnswerSection.receiving(section, CAPABILITIES));
            sending.add(AnswerSection.sending(section, CAPABILITIES, track));
        }
        OfferWriter.LocalTransport local = new OfferWriter.LocalTransport("Sf8q", "sFuPassword0123456789ab",
                "3E:94:0B:1C:55:A0:7F:D2:61:8C:E4:29:B7:03:6A:F1:9D:42:C8:15:70:BE:2F:96:D3:48:0A:E7:5C:81:B4:6F", List.of());
        for (List<AnswerSection> sections : List.of(receiving, sending)) {
            String answer = AnswerWriter.write(1, local, AnswerWriter.setupFor(offer), sections);
            SessionDescription parsed;
            try {
                parsed = SessionDescription.parse(answer);
            } catch (SdpException e) {
                throw new AssertionError("the answer parses: " + answer, e);
            }
            assertEquals(offer.sections().size(), parsed.media().size(), "one section per offered m-section");
            for (int i = 0; i < parsed.media().size(); i++) {
                assertEquals(offer.sections().get(i).mid(), parsed.media().get(i).attribute("mid"));
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void candidate(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        IceCandidate candidate;
        try {
            candidate = CandidateParser.parse(new String(input, StandardCharsets.UTF_8));
        } catch (SdpException refused) {
            return;
        }
        if (candidate == null) {
            return;
        }
        assertTrue(candidate.port() >= 0 && candidate.port() <= 65535);
        assertTrue(CandidateParser.isIpLiteral(candidate.address()), "only IP literals are accepted");
        IceCandidate again;
        try {
            again = CandidateParser.parse(CandidateParser.format(candidate));
        } catch (SdpException e) {
            throw new AssertionError("a parsed candidate formats to one that parses: " + candidate, e);
        }
        assertEquals(candidate, again, "format then parse gives the same candidate");
    }
}
