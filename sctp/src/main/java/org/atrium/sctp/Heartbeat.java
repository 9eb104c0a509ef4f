package org.atrium.sctp;

import java.util.random.RandomGenerator;
import org.atrium.sctp.packet.Bytes;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.HeartbeatChunk;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.SctpPacket;

/**
 * Heartbeats (RFC 9260 8.3): while established, a HEARTBEAT every interval whose info is its send
 * time and a nonce, so the HEARTBEAT ACK is an RTT sample and one not answering our probe teaches
 * nothing; the peer's HEARTBEATs answered. Runs the interval timer and the timer for the answer;
 * the association counts an unanswered probe against the association.
 */
final class Heartbeat {
    /** Heartbeat info: the send time and a nonce, 8 bytes each. */
    private static final int INFO_LENGTH = 16;

    private final long intervalMillis;
    private final int maxPacketSize;
    private final RandomGenerator random;
    private final RtoEstimator rto;
    private final PacketSender packets;
    private final Timer intervalTimer;
    private final Timer ackTimer;
    private final byte[] info = new byte[INFO_LENGTH];
    private long nonce;

    Heartbeat(SctpConfig config, RandomGenerator random, RtoEstimator rto, PacketSender packets, Timer intervalTimer,
              Timer ackTimer) {
        this.intervalMillis = config.heartbeatIntervalMillis();
        this.maxPacketSize = config.maxPacketSize();
        this.random = random;
        this.rto = rto;
        this.packets = packets;
        this.intervalTimer = intervalTimer;
        this.ackTimer = ackTimer;
    }

    /** Whether a HEARTBEAT is well formed and its info fits in the packet that echoes it. */
    boolean isRequest(byte[] b, int c, int len) {
        return HeartbeatChunk.is(b, c, len, ChunkType.HEARTBEAT)
            && HeartbeatChunk.infoLength(b, c) + 8 <= maxPacketSize - SctpPacket.HEADER_LENGTH;
    }

    /** Echoes the info of the peer's HEARTBEAT (checked by {@link #isRequest}) in a HEARTBEAT ACK. */
    void answer(byte[] b, int c, int peerTag) {
        PacketBuilder p = packets.begin(peerTag);
        p.advance(HeartbeatChunk.write(p.buffer(), p.position(), ChunkType.HEARTBEAT_ACK, b,
            HeartbeatChunk.infoOffset(c), HeartbeatChunk.infoLength(b, c)));
        packets.send();
    }

    /**
     * A well-formed HEARTBEAT ACK. Returns true when it answers the probe we wait for: its send
     * time gives an RTT sample, and the peer is known to be there.
     */
    boolean onAck(byte[] b, int c, long nowMillis) {
        int at = HeartbeatChunk.infoOffset(c);
        if (!ackTimer.isRunning() || HeartbeatChunk.infoLength(b, c) != INFO_LENGTH || Bytes.i64(b, at + 8) != nonce) {
            return false; // late or not ours
        }
        ackTimer.stop();
        rto.observe(nowMillis - Bytes.i64(b, at));
        return true;
    }

    /** The association is established: the first probe goes out after an interval. */
    void start(long nowMillis) {
        intervalTimer.start(nowMillis, intervalMillis);
    }

    /**
     * The interval timer expired: it runs again, and a probe goes out when {@code probe} (we are
     * established) unless one is still unanswered.
     */
    void onIntervalTimer(long nowMillis, boolean probe, int peerTag) {
        intervalTimer.start(nowMillis, intervalMillis);
        if (!probe || ackTimer.isRunning()) {
            return;
        }
        nonce = random.nextLong();
        Bytes.put64(info, 0, nowMillis);
        Bytes.put64(info, 8, nonce);
        PacketBuilder p = packets.begin(peerTag);
        p.advance(HeartbeatChunk.write(p.buffer(), p.position(), ChunkType.HEARTBEAT, info, 0, INFO_LENGTH));
        packets.send();
        ackTimer.start(nowMillis, rto.rto());
    }

    /**
     * The probe went unanswered for an RTO: the next goes out now, not an interval later, so a
     * silent peer is found.
     */
    void onUnanswered(long nowMillis) {
        intervalTimer.start(nowMillis, 0);
    }
}
