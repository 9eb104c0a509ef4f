package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;
import org.junit.jupiter.api.Test;

/** What a synthetic publisher sends and answers when it publishes video as simulcast. */
class SimulcastPublishingTest {

    private static final class Capture implements PacketSink {
        final List<byte[]> packets = new ArrayList<>();

        @Override
        public boolean send(byte[] b, int off, int len) {
            packets.add(java.util.Arrays.copyOfRange(b, off, off + len));
            return true;
        }
    }

    @Test
    void anEncodingCarriesItsRidAndAnL1T3DescriptorOnEveryPacket() {
        Capture capture = new Capture();
        VideoStream video = new VideoStream(1234, "1", "h", ExtensionIds.SFU_DEFAULTS,
                new SyntheticStream.TransportSequence(), capture, 0x123456789L, 500, 30);
        video.nextDueNanos = System.nanoTime();
        for (int frame = 0; frame < 9; frame++) {
            video.emit(video.nextDueNanos);
        }
        video.requestKeyframe();
        video.emit(video.nextDueNanos);

        List<Integer> frameLayers = new ArrayList<>();
        List<Boolean> frameSync = new ArrayList<>();
        List<Boolean> keyframes = new ArrayList<>();
        int lastPicture = -1;
        int lastTl0 = -1;
        for (byte[] p : capture.packets) {
            long rid = HeaderExtensions.find(p, 0, p.length, ExtensionIds.SFU_DEFAULTS.rid());
            assertTrue(rid >= 0, "the RID extension on every packet");
            assertEquals("h", new String(p, HeaderExtensions.dataOffset(rid), HeaderExtensions.dataLength(rid),
                    StandardCharsets.US_ASCII));
            assertTrue(HeaderExtensions.find(p, 0, p.length, ExtensionIds.SFU_DEFAULTS.mid()) >= 0, "and the MID");
            int payload = RtpPacket.payloadOffset(p, 0, p.length);
            int length = RtpPacket.payloadLength(p, 0, p.length);
            assertEquals(Vp8L1T3.DESCRIPTOR_LENGTH, Vp8PayloadDescriptor.length(p, payload, length));
            int tid = Vp8PayloadDescriptor.temporalLayer(p, payload, length);
            int tl0 = Vp8PayloadDescriptor.tl0PicIdx(p, payload, length);
            int picture = Vp8PayloadDescriptor.pictureId(p, payload, length);
            if (Vp8PayloadDescriptor.isBeginningOfFrame(p, payload)) {
                frameLayers.add(tid);
                frameSync.add(Vp8PayloadDescriptor.isLayerSync(p, payload, length));
                keyframes.add(Vp8PayloadDescriptor.isKeyframe(p, payload, length));
                if (lastPicture >= 0) {
                    assertEquals((lastPicture + 1) & 0x7FFF, picture, "one picture id per frame");
                    assertEquals(tid == 0 ? (lastTl0 + 1) & 0xFF : lastTl0, tl0, "TL0PICIDX counts TL0 frames");
                }
            } else {
                assertEquals(lastPicture, picture, "a frame's packets share its picture id");
            }
            lastPicture = picture;
            lastTl0 = tl0;
        }
        assertEquals(List.of(0, 2, 1, 2, 0, 2, 1, 2, 0, 0), frameLayers);
        assertEquals(List.of(true, true, true, false, false, true, true, false, false, true), frameSync);
        assertEquals(List.of(true, false, false, false, false, false, false, false, false, true), keyframes);
    }

    @Test
    void aSingleStreamHasNoTemporalLayersAndNoRid() {
        Capture capture = new Capture();
        VideoStream video = new VideoStream(1234, "1", null, ExtensionIds.SFU_DEFAULTS,
                new SyntheticStream.TransportSequence(), capture, 42, 500, 30);
        video.nextDueNanos = System.nanoTime();
        video.emit(video.nextDueNanos);
        byte[] p = capture.packets.get(0);
        int payload = RtpPacket.payloadOffset(p, 0, p.length);
        assertEquals(-1, Vp8PayloadDescriptor.temporalLayer(p, payload, p.length - payload));
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, ExtensionIds.SFU_DEFAULTS.rid()));
        assertTrue(Vp8PayloadDescriptor.isKeyframe(p, payload, p.length - payload));
    }

    private static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:u", "a=ice-pwd:p",
            "a=fingerprint:sha-256 AA", "a=setup:actpass", "a=mid:0", "a=recvonly", "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=ice-ufrag:u", "a=ice-pwd:p",
            "a=fingerprint:sha-256 AA", "a=setup:actpass", "a=mid:1",
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", "a=recvonly",
            "a=rid:q recv", "a=rid:h recv", "a=rid:f recv", "a=simulcast:recv q;h;f", "a=rtcp-mux",
            "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "") + "\r\n";

    @Test
    void theAnswerSendsTheOfferedRidsAndNoVideoSsrcs() {
        AnswerWriter.Publishing publishing = new AnswerWriter.Publishing(11, 22, 33, "pub", true);
        String answer = AnswerWriter.answer(OFFER, "ufrag", "pwd", "BB", List.of(), publishing);
        String video = answer.substring(answer.indexOf("m=video"));
        assertTrue(video.contains("a=sendonly\r\n"), answer);
        assertTrue(video.contains("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n"),
                answer);
        assertFalse(video.contains("a=ssrc"), "the SFU learns the SSRCs from the RID extension:\n" + answer);
        assertFalse(video.contains("recv"), answer);
        assertTrue(answer.substring(0, answer.indexOf("m=video")).contains("a=ssrc:11 cname:pub"), answer);
        assertEquals(List.of("q", "h", "f"), AnswerWriter.offeredRids(OFFER));
    }

    @Test
    void withoutSimulcastTheAnswerSendsOneStreamWithItsSsrcs() {
        AnswerWriter.Publishing publishing = new AnswerWriter.Publishing(11, 22, 33, "pub", false);
        String answer = AnswerWriter.answer(OFFER, "ufrag", "pwd", "BB", List.of(), publishing);
        String video = answer.substring(answer.indexOf("m=video"));
        assertFalse(video.contains("a=rid") || video.contains("a=simulcast"), answer);
        assertTrue(video.contains("a=ssrc-group:FID 22 33\r\n"), answer);
    }
}
