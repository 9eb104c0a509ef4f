package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.atrium.sctp.packet.AbortChunk;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.SctpPacket;
import org.atrium.sctp.packet.ShutdownChunk;
import org.junit.jupiter.api.Test;

/** The end of an association (RFC 9260 9): T2 retransmissions, ABORT's reason, the answer after close. */
class ShutdownTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS.withMaxRetransmissions(2, 8);
    private static final int PEER_TAG = 0x01020304;
    private static final int MY_TAG = 0x0A0B0C0D;
    private static final int C = SctpPacket.HEADER_LENGTH;

    private final PacketCapture capture = new PacketCapture();
    private final PacketSender packets = new PacketSender(CONFIG, capture);
    private final RtoEstimator rto = new RtoEstimator(CONFIG);
    private final Timer t2 = new Timer();
    private final Shutdown shutdown = new Shutdown(CONFIG, packets, rto, t2);

    @Test
    void t2ResendsTheShutdownWithTheCurrentCumulativeTsnThenGivesUp() {
        shutdown.sendShutdown(PEER_TAG, 41, 1000);
        assertEquals(1000 + rto.rto(), t2.deadline());
        assertTrue(shutdown.onT2(1500, true, PEER_TAG, 42));
        assertEquals(1500 + 2 * rto.rto(), t2.deadline());
        byte[] again = capture.last();
        assertEquals(ChunkType.SHUTDOWN, Chunk.type(again, C));
        assertEquals(42, ShutdownChunk.cumulativeTsnAck(again, C));
        assertTrue(shutdown.onT2(2500, true, PEER_TAG, 42));
        assertFalse(shutdown.onT2(4500, true, PEER_TAG, 42), "a third retransmission is one too many");
        assertEquals(3, capture.packets.size());
    }

    @Test
    void t2ResendsAShutdownAck() {
        shutdown.sendShutdownAck(PEER_TAG, 1000);
        assertTrue(shutdown.onT2(1500, false, PEER_TAG, 0));
        assertEquals(ChunkType.SHUTDOWN_ACK, Chunk.type(capture.last(), C));
        assertEquals(PEER_TAG, SctpPacket.verificationTag(capture.last(), 0));
    }

    @Test
    void abortCarriesTheReasonCutTo128Bytes() {
        shutdown.sendAbort(PEER_TAG, "x".repeat(300));
        byte[] p = capture.last();
        assertTrue(AbortChunk.is(p, C, Chunk.length(p, C)));
        assertEquals("user initiated abort: " + "x".repeat(128), AbortChunk.describe(p, C, Chunk.length(p, C)));
    }

    @Test
    void aShutdownAckAfterCloseGetsAReflectedShutdownComplete() {
        shutdown.answerAfterClose(packet(PEER_TAG, ChunkType.SHUTDOWN_ACK), 0, 16, MY_TAG);
        assertEquals(0, capture.packets.size(), "not addressed to us");
        shutdown.answerAfterClose(packet(MY_TAG, ChunkType.HEARTBEAT_ACK), 0, 16, MY_TAG);
        assertEquals(0, capture.packets.size(), "not a SHUTDOWN ACK");
        shutdown.answerAfterClose(packet(MY_TAG, ChunkType.SHUTDOWN_ACK), 0, 16, MY_TAG);
        byte[] p = capture.last();
        assertEquals(MY_TAG, SctpPacket.verificationTag(p, 0), "our own tag, reflected");
        assertEquals(ChunkType.SHUTDOWN_COMPLETE, Chunk.type(p, C));
        assertTrue(AbortChunk.reflectedTag(p, C));
    }

    /** A packet to us holding one chunk of {@code type} with no value. */
    private static byte[] packet(int tag, int type) {
        byte[] p = new byte[16];
        SctpPacket.writeHeader(p, 0, CONFIG.remotePort(), CONFIG.localPort(), tag);
        Chunk.writeHeader(p, C, type, 0, Chunk.HEADER_LENGTH);
        SctpPacket.seal(p, 0, p.length);
        return p;
    }
}
