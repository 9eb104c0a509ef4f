package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.Nack;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.rtp.TransportCcFeedback;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.transport.PayloadMapping;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A WHIP/WHEP client with numbers of its own (VP8 97, its RTX 98; MID on id 1, audio level on
 * 2, transport-cc on 5, where the SFU has 96, 97 and 4, 1, 3), connected over real ICE, DTLS and
 * SRTP as the offerer, in a room with a participant in the SFU's numbers: what it sends arrives
 * there in the SFU's numbers, and what it receives, retransmissions too, is in its own.
 */
@Timeout(60)
class PayloadMappingTransportTest {

    private static final int CLIENT_VP8 = 97;
    private static final int CLIENT_VP8_RTX = 98;
    private static final int CLIENT_MID = 1;
    private static final int CLIENT_AUDIO_LEVEL = 2;
    /** The client's abs-send-time: the SFU's transport-cc id, to show the two do not mix. */
    private static final int CLIENT_ABS_SEND_TIME = 3;
    private static final int CLIENT_TRANSPORT_CC = 5;

    private static final int VP8 = 96;
    private static final int AUDIO_LEVEL = 1;
    private static final int TRANSPORT_CC = 3;
    private static final int MID = 4;

    static final PayloadMapping CLIENT = PayloadMapping.builder()
            .payloadType(96, 111)
            .payloadType(CLIENT_VP8, VP8)
            .payloadType(CLIENT_VP8_RTX, 97)
            .extension(CLIENT_MID, MID)
            .extension(CLIENT_AUDIO_LEVEL, AUDIO_LEVEL)
            .extension(CLIENT_TRANSPORT_CC, TRANSPORT_CC)
            .build();

    private static final long CLIENT_SSRC = 0x0A0B0C0DL;
    private static final long CLIENT_RTX_SSRC = 0x0A0B0C0EL;
    private static final long BROWSER_SSRC = 0x01020304L;
    private static final Duration WAIT = Duration.ofSeconds(3);

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    private PeerInRoom client(String name) throws Exception {
        return fixture.connectedOfferer("room", name, CLIENT);
    }

    private static byte[] clientPacket(int sequence) {
        return rtp(CLIENT_SSRC, CLIENT_VP8).sequenceNumber(sequence).timestamp(3000L * sequence)
                .extension(CLIENT_MID, "0".getBytes(StandardCharsets.US_ASCII))
                .extension(CLIENT_ABS_SEND_TIME, new byte[] {0x12, 0x34, 0x56})
                .extension(CLIENT_AUDIO_LEVEL, new byte[] {(byte) (0x80 | sequence)})
                .extension(CLIENT_TRANSPORT_CC, new byte[] {0x03, (byte) sequence})
                .payload(new byte[] {0x10, 0, 0, 0, (byte) sequence})
                .build();
    }

    @Test
    void whipIngestArrivesInTheSfusNumbers() throws Exception {
        PeerInRoom whip = client("whip");
        PeerInRoom browser = fixture.connected("room", "browser");
        whip.participant().publish("0", MediaKind.VIDEO, CLIENT_SSRC, CLIENT_RTX_SSRC);
        Consumer consumer = browser.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
        consumer.resume();

        for (int sequence = 100; sequence < 110; sequence++) {
            if (sequence != 105) {
                whip.peer().sendRtp(clientPacket(sequence));
            }
        }
        // The SFU read the client's transport-cc (its id 5) as its own id 3: it sends feedback.
        byte[] feedback = SfuFixture.awaitRtcp(whip.peer(), WAIT, "transport-cc feedback",
                (b, off, len) -> TransportCcFeedback.is(b, off, len));
        int base = TransportCcFeedback.baseSequence(feedback, 0);
        assertTrue(base >= 0x0364 && base <= 0x036d, "feedback for the client's sequence numbers: " + base);
        // It asks for the gap, and the client answers on its RTX payload type.
        byte[] nack = SfuFixture.awaitRtcp(whip.peer(), WAIT, "NACK",
                (b, off, len) -> Nack.is(b, off, len) && RtcpFeedback.mediaSsrc(b, off) == CLIENT_SSRC);
        int[] lost = new int[4];
        assertEquals(105, lost[Nack.lostSequences(nack, 0, lost) - 1]);
        byte[] original = clientPacket(105);
        byte[] rtx = new byte[1500];
        int length = Rtx.wrap(original, 0, original.length, rtx, 0, CLIENT_RTX_SSRC, CLIENT_VP8_RTX, 1);
        whip.peer().sendRtp(Arrays.copyOf(rtx, length));

        List<Integer> levels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] packet = browser.peer().pollRtp(WAIT);
            assertNotNull(packet, "packet " + i);
            assertEquals(VP8, RtpPacket.payloadType(packet, 0));
            long level = HeaderExtensions.find(packet, 0, packet.length, AUDIO_LEVEL);
            assertTrue(level >= 0, "the audio level, forwarded under the SFU's id");
            levels.add(packet[HeaderExtensions.dataOffset(level)] & 0x7F);
            long transportCc = HeaderExtensions.find(packet, 0, packet.length, TRANSPORT_CC);
            assertEquals(2, HeaderExtensions.dataLength(transportCc), "the consumer's own transport-cc");
            for (int id : new int[] {CLIENT_AUDIO_LEVEL, CLIENT_TRANSPORT_CC, MID}) {
                assertEquals(-1, HeaderExtensions.find(packet, 0, packet.length, id), "id " + id);
            }
            assertEquals(packet[packet.length - 1] & 0x7F, levels.get(i));
        }
        assertEquals(List.of(100, 101, 102, 103, 104, 106, 107, 108, 109, 105), levels);

        // A payload type the client did not negotiate is dropped at the edge and counted.
        long before = fixture.sfu().metrics().drops(DropReason.UNKNOWN_PAYLOAD_TYPE);
        whip.peer().sendRtp(rtp(CLIENT_SSRC, 100).sequenceNumber(110).timestamp(1).payload(new byte[] {1}).build());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fixture.sfu().metrics().drops(DropReason.UNKNOWN_PAYLOAD_TYPE) == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(before + 1, fixture.sfu().metrics().drops(DropReason.UNKNOWN_PAYLOAD_TYPE));
        assertEquals(before + 1, (long) fixture.sfu().metrics().registry().get("atrium.dropped.packets")
                .tag("reason", "unknown_payload_type").counter().count(), "exported as the other drop reasons are");
        assertNull(browser.peer().pollRtp(Duration.ofMillis(300)), "forwarded a packet of an unknown payload type");
    }

    @Test
    void whepPlaybackAndRetransmissionsArriveInTheClientsNumbers() throws Exception {
        PeerInRoom browser = fixture.connected("room", "browser");
        PeerInRoom whep = client("whep");
        browser.participant().publish("1", MediaKind.VIDEO, BROWSER_SSRC, -1);
        Consumer consumer = whep.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
        consumer.setRtxEnabled(true);
        consumer.resume();

        for (int sequence = 200; sequence < 205; sequence++) {
            browser.peer().sendRtp(rtp(BROWSER_SSRC, VP8).sequenceNumber(sequence).timestamp(3000L * sequence)
                    .extension(AUDIO_LEVEL, new byte[] {(byte) 0x85})
                    .extension(MID, "1".getBytes(StandardCharsets.US_ASCII))
                    .payload(new byte[] {0x10, 0, 0, 0, (byte) sequence}).build());
        }
        byte[] third = null;
        for (int i = 0; i < 5; i++) {
            byte[] packet = whep.peer().pollRtp(WAIT);
            assertNotNull(packet, "packet " + i);
            assertClientNumbering(packet, CLIENT_VP8);
            long level = HeaderExtensions.find(packet, 0, packet.length, CLIENT_AUDIO_LEVEL);
            assertEquals("85", String.format("%02x", packet[HeaderExtensions.dataOffset(level)]));
            if (i == 2) {
                third = packet;
            }
        }

        byte[] nack = new byte[64];
        int lostSequence = RtpPacket.sequenceNumber(third, 0);
        int length = Nack.write(nack, 0, 0x5EED0003L, consumer.ssrc(), new int[] {lostSequence}, 1);
        whep.peer().sendRtcp(Arrays.copyOf(nack, length));

        byte[] retransmission = whep.peer().pollRtp(WAIT);
        assertNotNull(retransmission, "no retransmission");
        assertEquals(consumer.rtxSsrc(), RtpPacket.ssrc(retransmission, 0));
        assertClientNumbering(retransmission, CLIENT_VP8_RTX);
        assertEquals(lostSequence, Rtx.originalSequenceNumber(retransmission, 0, retransmission.length));
        assertEquals(0, whep.peer().undecryptableCount());
    }

    /** The client's payload type; its transport-cc and audio level ids, none of the SFU's. */
    private static void assertClientNumbering(byte[] packet, int payloadType) {
        assertEquals(payloadType, RtpPacket.payloadType(packet, 0));
        long transportCc = HeaderExtensions.find(packet, 0, packet.length, CLIENT_TRANSPORT_CC);
        assertEquals(2, HeaderExtensions.dataLength(transportCc), "transport-cc under the client's id");
        // Id 1 is the client's MID: the SFU's audio level must not arrive under it.
        for (int id : new int[] {CLIENT_MID, TRANSPORT_CC, MID}) {
            assertEquals(-1, HeaderExtensions.find(packet, 0, packet.length, id), "id " + id);
        }
    }
}
