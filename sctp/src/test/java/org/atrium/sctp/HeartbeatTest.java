package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.HeartbeatChunk;
import org.atrium.sctp.packet.SctpPacket;
import org.junit.jupiter.api.Test;

/** Heartbeats (RFC 9260 8.3): probing, RTT samples from our own probes only, answering the peer's. */
class HeartbeatTest {
    private static final int PEER_TAG = 0x0A0B0C0D;
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS.withHeartbeatIntervalMillis(30_000);

    private final PacketCapture capture = new PacketCapture();
    private final RtoEstimator rto = new RtoEstimator(CONFIG);
    private final Timer interval = new Timer();
    private final Timer ack = new Timer();
    private final Heartbeat heartbeat = new Heartbeat(CONFIG, new SplittableRandom(1), rto,
        new PacketSender(CONFIG, capture), interval, ack);

    @Test
    void probesOnlyWhenAskedAndOneAtATime() {
        heartbeat.start(1000);
        assertEquals(31_000, interval.deadline());
        heartbeat.onIntervalTimer(31_000, false, PEER_TAG);
        assertEquals(0, capture.packets.size(), "not established: no probe");
        assertEquals(61_000, interval.deadline());
        heartbeat.onIntervalTimer(61_000, true, PEER_TAG);
        assertEquals(1, capture.packets.size());
        byte[] probe = capture.last();
        assertEquals(PEER_TAG, SctpPacket.verificationTag(probe, 0));
        assertEquals(ChunkType.HEARTBEAT, Chunk.type(probe, PacketCapture.firstChunk()));
        assertEquals(61_000 + CONFIG.rtoInitialMillis(), ack.deadline());
        heartbeat.onIntervalTimer(91_000, true, PEER_TAG);
        assertEquals(1, capture.packets.size(), "the first probe is still unanswered");
    }

    @Test
    void onlyTheAnswerToOurProbeIsAnRttSample() {
        heartbeat.onIntervalTimer(10_000, true, PEER_TAG);
        byte[] answer = ackFor(capture.last());
        byte[] forged = answer.clone();
        forged[HeartbeatChunk.infoOffset(0) + 15] ^= 1; // the nonce's last byte
        assertFalse(heartbeat.onAck(forged, 0, 10_080));
        assertTrue(ack.isRunning());
        assertTrue(heartbeat.onAck(answer, 0, 10_080));
        assertFalse(ack.isRunning());
        assertEquals(80, rto.srtt());
        assertFalse(heartbeat.onAck(answer, 0, 10_090), "a duplicate answer is late");
    }

    @Test
    void anUnansweredProbeIsFollowedAtOnce() {
        heartbeat.onIntervalTimer(10_000, true, PEER_TAG);
        heartbeat.onUnanswered(10_500);
        assertEquals(10_500, interval.deadline());
    }

    @Test
    void answersThePeersHeartbeatWithItsInfo() {
        byte[] info = {1, 2, 3, 4, 5};
        byte[] request = new byte[64];
        HeartbeatChunk.write(request, 0, ChunkType.HEARTBEAT, info, 0, info.length);
        assertTrue(heartbeat.isRequest(request, 0, Chunk.length(request, 0)));
        heartbeat.answer(request, 0, PEER_TAG);
        byte[] p = capture.last();
        int c = PacketCapture.firstChunk();
        assertEquals(PEER_TAG, SctpPacket.verificationTag(p, 0));
        assertTrue(HeartbeatChunk.is(p, c, Chunk.length(p, c), ChunkType.HEARTBEAT_ACK));
        assertEquals(Hex.of(info, 0, info.length),
            Hex.of(p, HeartbeatChunk.infoOffset(c), HeartbeatChunk.infoLength(p, c)));
    }

    @Test
    void refusesAHeartbeatTooLargeToEcho() {
        byte[] info = new byte[CONFIG.maxPacketSize()];
        byte[] request = new byte[info.length + 16];
        HeartbeatChunk.write(request, 0, ChunkType.HEARTBEAT, info, 0, info.length);
        assertTrue(HeartbeatChunk.is(request, 0, Chunk.length(request, 0), ChunkType.HEARTBEAT));
        assertFalse(heartbeat.isRequest(request, 0, Chunk.length(request, 0)));
    }

    /** The HEARTBEAT ACK a peer would send for the HEARTBEAT in {@code probe}. */
    private static byte[] ackFor(byte[] probe) {
        int c = PacketCapture.firstChunk();
        byte[] answer = new byte[64];
        HeartbeatChunk.write(answer, 0, ChunkType.HEARTBEAT_ACK, probe, HeartbeatChunk.infoOffset(c),
            HeartbeatChunk.infoLength(probe, c));
        return answer;
    }
}
