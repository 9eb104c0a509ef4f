package org.atrium.sctp;

import static org.atrium.sctp.Tsn.lt;

import java.util.Arrays;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.ForwardTsnChunk;
import org.atrium.sctp.packet.PacketBuilder;

/**
 * The sending side of DATA: messages accepted into the {@link SendQueue}, cut into DATA chunks as
 * cwnd and the peer's window allow (RFC 9260 6.1), retransmissions before new data, the T3-rtx
 * timer (6.3.2), SACKs handed to {@link OutstandingData}, and FORWARD TSN (RFC 3758 3.5) for what
 * was abandoned. Chunks refer to their message's bytes; writing them copies into the packet only.
 */
final class DataSender {
    /** A message's fragment smaller than this waits for a fresh packet rather than filling a corner. */
    private static final int MIN_FRAGMENT = 128;
    /** Streams named in one FORWARD TSN; the rest go in the next. */
    private static final int MAX_FORWARD_STREAMS = 64;

    private final int maxMessageSize;
    private final SendQueue queue;
    private final OutstandingData tx;
    private final RtoEstimator rto;
    private final Timer t3;
    private final Drops drops;
    private int outboundStreams = Handshake.STREAMS;
    private boolean peerForwardTsn;
    private boolean forwardTsnDue;
    private final int[] forwardStreams = new int[MAX_FORWARD_STREAMS];
    private final int[] forwardSsns = new int[MAX_FORWARD_STREAMS];
    private final int[] forwardCount = new int[1];
    private long messagesSent;

    DataSender(SctpConfig config, SendQueue queue, OutstandingData tx, RtoEstimator rto, Timer t3, Drops drops) {
        this.maxMessageSize = config.maxMessageSize();
        this.queue = queue;
        this.tx = tx;
        this.rto = rto;
        this.t3 = t3;
        this.drops = drops;
    }

    /**
     * What the handshake settled: our initial TSN, the peer's window, how many streams it takes,
     * and whether it takes FORWARD TSN.
     */
    void init(int myInitialTsn, long peerWindow, int outboundStreams, boolean peerForwardTsn) {
        this.outboundStreams = outboundStreams;
        this.peerForwardTsn = peerForwardTsn;
        tx.init(myInitialTsn, peerWindow, peerForwardTsn);
    }

    /** Whether the peer takes messages on the stream (it announced that many inbound streams). */
    boolean hasStream(int streamId) {
        return streamId < outboundStreams;
    }

    /** Queues a copy of {@code data[off, off + len)} (in bounds) unless it is too large or the buffer full. */
    SendStatus queue(int streamId, int ppid, boolean unordered, int maxRetransmits, int lifetimeMillis,
                     byte[] data, int off, int len, long nowMillis) {
        if (len > maxMessageSize) {
            return SendStatus.TOO_LARGE;
        }
        if (!queue.hasRoom(len)) {
            return SendStatus.BUFFER_FULL;
        }
        byte[] copy = Arrays.copyOfRange(data, off, off + len);
        long expires = lifetimeMillis < 0 ? Long.MAX_VALUE : nowMillis + lifetimeMillis;
        queue.add(new OutgoingMessage(streamId, ppid, unordered, copy, maxRetransmits, expires));
        messagesSent++;
        return SendStatus.SENT;
    }

    long messagesSent() {
        return messagesSent;
    }

    /** A well-formed SACK. Returns true when its cumulative TSN ack advanced: the peer is there. */
    boolean onSack(byte[] b, int c, long nowMillis) {
        return onAck(tx.handleSack(b, c, nowMillis), nowMillis);
    }

    /** The cumulative TSN ack of a SHUTDOWN (RFC 9260 9.2), as {@link #onSack}. */
    boolean onCumulativeAck(int cumulativeTsnAck, long nowMillis) {
        return onAck(tx.handleCumulativeAck(cumulativeTsnAck, nowMillis), nowMillis);
    }

    private boolean onAck(int result, long nowMillis) {
        if (result == OutstandingData.SACK_INVALID) {
            drops.add(SctpDropReason.INVALID_SACK);
            return false;
        }
        boolean advanced = result == OutstandingData.SACK_ADVANCED;
        if (tx.isEmpty()) {
            t3.stop();
        } else if (advanced) {
            t3.start(nowMillis, rto.rto()); // RFC 9260 6.3.2 R3
        }
        checkForwardTsn();
        return advanced;
    }

    /** Chunks sent and not yet acknowledged or abandoned. */
    boolean hasOutstanding() {
        return !tx.isEmpty();
    }

    /** T3-rtx expired with chunks outstanding, and the association goes on: all in flight is due again (6.3.3). */
    void onT3Expired(long nowMillis) {
        tx.expireT3(nowMillis);
        checkForwardTsn();
    }

    /** Nothing queued and nothing outstanding: a shutdown may go on. */
    boolean isDone() {
        return queue.isEmpty() && tx.isEmpty();
    }

    /** Whether DATA waits to go out, as cwnd and the peer's window allow: retransmissions or queued messages. */
    boolean hasDataWaiting() {
        return tx.hasRetransmissions() || !queue.isEmpty();
    }

    /** True once after a fast retransmit was triggered: the next packet's retransmissions ignore cwnd. */
    boolean takeFastRetransmit() {
        return tx.takeFastRetransmit();
    }

    private void checkForwardTsn() {
        if (peerForwardTsn
            && lt(tx.cumulativeAck(), tx.advancedPeerAckPoint(forwardStreams, forwardSsns, forwardCount))) {
            forwardTsnDue = true;
        }
    }

    /** Writes a FORWARD TSN into {@code p} when one is due and fits. */
    void writeForwardTsn(PacketBuilder p) {
        if (!forwardTsnDue) {
            return;
        }
        int point = tx.advancedPeerAckPoint(forwardStreams, forwardSsns, forwardCount);
        int n = forwardCount[0];
        if (!lt(tx.cumulativeAck(), point)) {
            forwardTsnDue = false;
            return;
        }
        if (p.room() < ForwardTsnChunk.FIXED_LENGTH + 4 * n) {
            return;
        }
        p.advance(ForwardTsnChunk.write(p.buffer(), p.position(), point, forwardStreams, forwardSsns, n));
        forwardTsnDue = false;
    }

    /**
     * Fills {@code p} with DATA: retransmissions first (regardless of cwnd after a fast
     * retransmit), then new fragments; returns whether any went in.
     */
    boolean writeData(PacketBuilder p, long nowMillis, boolean fastRetransmit) {
        boolean wrote = writeRetransmissions(p, nowMillis, fastRetransmit);
        return writeNewData(p, nowMillis) | wrote;
    }

    /**
     * After sending: T3 runs while chunks are outstanding, also when only abandoned chunks wait
     * for a FORWARD TSN, so a lost one is sent again.
     */
    void keepT3Running(long nowMillis) {
        if (!tx.isEmpty()) {
            t3.startIfStopped(nowMillis, rto.rto());
        }
    }

    private boolean writeRetransmissions(PacketBuilder p, long nowMillis, boolean fastRetransmit) {
        boolean wrote = false;
        while (tx.hasRetransmissions() && (fastRetransmit || tx.flight() < tx.cwnd())) {
            OutstandingData.Sent s = tx.nextRetransmission(p.room() - DataChunk.HEADER_LENGTH);
            if (s == null) {
                break;
            }
            OutgoingMessage m = s.message;
            p.advance(DataChunk.write(p.buffer(), p.position(), s.flags, s.tsn, m.streamId, m.ssn, m.ppid,
                m.data, s.offset, s.length));
            tx.retransmitted(s, nowMillis);
            wrote = true;
            t3.startIfStopped(nowMillis, rto.rto());
        }
        return wrote;
    }

    private boolean writeNewData(PacketBuilder p, long nowMillis) {
        boolean wrote = false;
        while (true) {
            int room = p.room() - DataChunk.HEADER_LENGTH;
            if (room <= 0) {
                break;
            }
            OutgoingMessage m = queue.next(nowMillis);
            if (m == null) {
                break;
            }
            if (m.streamId >= outboundStreams) {
                m.abandoned = true;
                queue.discardRemainder(m);
                continue;
            }
            int n = Math.min(m.remaining(), room);
            if (n < m.remaining() && n < MIN_FRAGMENT && !p.isEmpty()) {
                break;
            }
            if (!tx.canSend(n)) {
                break;
            }
            int flags = (m.fragmented == 0 ? DataChunk.FLAG_BEGIN : 0) | (n == m.remaining() ? DataChunk.FLAG_END : 0)
                | (m.unordered ? DataChunk.FLAG_UNORDERED : 0);
            int offset = m.fragmented;
            int tsn = tx.add(m, offset, n, flags, nowMillis);
            p.advance(DataChunk.write(p.buffer(), p.position(), flags, tsn, m.streamId, m.unordered ? 0 : m.ssn,
                m.ppid, m.data, offset, n));
            queue.fragmented(m, n);
            wrote = true;
            t3.startIfStopped(nowMillis, rto.rto());
        }
        return wrote;
    }
}
