package org.atrium.sctp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.atrium.sctp.packet.AbortChunk;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.ErrorCause;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.SctpPacket;
import org.atrium.sctp.packet.ShutdownChunk;

/**
 * The end of an association (RFC 9260 9): SHUTDOWN and SHUTDOWN ACK, retransmitted by the
 * T2-shutdown timer with backoff, SHUTDOWN COMPLETE, ABORT with our reason, and the answer to a
 * SHUTDOWN ACK that arrives after we closed. The association moves between the shutdown states
 * and says when each is sent.
 */
final class Shutdown {
    private static final int MAX_ABORT_REASON = 128;

    private final long rtoMaxMillis;
    private final int maxRetransmissions;
    private final PacketSender packets;
    private final RtoEstimator rto;
    private final Timer t2;

    Shutdown(SctpConfig config, PacketSender packets, RtoEstimator rto, Timer t2) {
        this.rtoMaxMillis = config.rtoMaxMillis();
        this.maxRetransmissions = config.maxRetransmissions();
        this.packets = packets;
        this.rto = rto;
        this.t2 = t2;
    }

    /** Sends SHUTDOWN, acknowledging the peer's DATA up to {@code cumulativeTsn}, and starts T2. */
    void sendShutdown(int peerTag, int cumulativeTsn, long nowMillis) {
        writeShutdown(peerTag, cumulativeTsn);
        t2.start(nowMillis, rto.rto());
    }

    /** Sends SHUTDOWN ACK and starts T2. */
    void sendShutdownAck(int peerTag, long nowMillis) {
        writeShutdownAck(peerTag);
        t2.start(nowMillis, rto.rto());
    }

    /** Sends SHUTDOWN ACK again, T2 running on: the peer's repeated SHUTDOWN says ours was lost. */
    void resendShutdownAck(int peerTag) {
        writeShutdownAck(peerTag);
    }

    /**
     * T2 expired: what it guards goes again, SHUTDOWN when {@code shutdownSent}, else SHUTDOWN
     * ACK, and T2 runs for twice as long. Returns false, sending nothing, when retransmissions are
     * used up and the association is to end.
     */
    boolean onT2(long nowMillis, boolean shutdownSent, int peerTag, int cumulativeTsn) {
        if (!t2.restartBackedOff(nowMillis, rtoMaxMillis, maxRetransmissions)) {
            return false;
        }
        if (shutdownSent) {
            writeShutdown(peerTag, cumulativeTsn);
        } else {
            writeShutdownAck(peerTag);
        }
        return true;
    }

    void sendShutdownComplete(int peerTag) {
        packets.sendHeaderOnly(peerTag, ChunkType.SHUTDOWN_COMPLETE, 0);
    }

    /** Sends ABORT with a User-Initiated Abort cause carrying {@code reason}, cut to 128 bytes of UTF-8. */
    void sendAbort(int peerTag, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_ABORT_REASON) {
            text = Arrays.copyOf(text, MAX_ABORT_REASON);
        }
        PacketBuilder p = packets.begin(peerTag);
        p.advance(AbortChunk.write(p.buffer(), p.position(), false, ErrorCause.USER_INITIATED_ABORT, text));
        packets.send();
    }

    /**
     * RFC 9260 8.4 (5): a SHUTDOWN ACK after we closed means our SHUTDOWN COMPLETE was lost; a
     * SHUTDOWN COMPLETE with the T bit (the tag reflected) lets the peer close too instead of
     * retransmitting until it gives up. Anything else is left unanswered.
     */
    void answerAfterClose(byte[] b, int off, int len, int myTag) {
        if (!SctpPacket.is(b, off, len) || !SctpPacket.checksumValid(b, off, len)
            || SctpPacket.verificationTag(b, off) != myTag || len < SctpPacket.HEADER_LENGTH + Chunk.HEADER_LENGTH
            || Chunk.type(b, off + SctpPacket.HEADER_LENGTH) != ChunkType.SHUTDOWN_ACK) {
            return;
        }
        packets.sendHeaderOnly(myTag, ChunkType.SHUTDOWN_COMPLETE, AbortChunk.FLAG_T);
    }

    private void writeShutdown(int peerTag, int cumulativeTsn) {
        PacketBuilder p = packets.begin(peerTag);
        p.advance(ShutdownChunk.write(p.buffer(), p.position(), cumulativeTsn));
        packets.send();
    }

    private void writeShutdownAck(int peerTag) {
        packets.sendHeaderOnly(peerTag, ChunkType.SHUTDOWN_ACK, 0);
    }
}
