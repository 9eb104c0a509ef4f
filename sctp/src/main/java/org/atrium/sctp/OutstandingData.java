package org.atrium.sctp;

import static org.atrium.sctp.Tsn.le;
import static org.atrium.sctp.Tsn.lt;

import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.SackChunk;

/**
 * The sender's DATA chunks from the peer's cumulative TSN ack on: what is in flight, acknowledged
 * by gap blocks, waiting for retransmission or abandoned (RFC 3758); SACK processing with fast
 * retransmit (RFC 9260 7.2.4), the T3 reaction (6.3.3) and congestion control (7.2). Chunks refer
 * to their message's bytes; nothing is copied.
 */
final class OutstandingData {
    static final int IN_FLIGHT = 0;
    static final int ACKED = 1;
    static final int RETRANSMIT = 2;
    static final int ABANDONED = 3;

    /** One DATA chunk sent at least once. */
    static final class Sent {
        final int tsn;
        final OutgoingMessage message;
        final int offset;
        final int length;
        final int flags;
        long sentAtMillis;
        int transmissions = 1;
        int missingReports;
        int state = IN_FLIGHT;
        boolean fastRetransmitted;

        Sent(int tsn, OutgoingMessage message, int offset, int length, int flags, long sentAtMillis) {
            this.tsn = tsn;
            this.message = message;
            this.offset = offset;
            this.length = length;
            this.flags = flags;
            this.sentAtMillis = sentAtMillis;
        }
    }

    /** handleSack results. */
    static final int SACK_STALE = 0;
    static final int SACK_OK = 1;
    static final int SACK_ADVANCED = 2;
    static final int SACK_INVALID = -1;

    private final int mtu;
    private final RtoEstimator rto;
    private final SendQueue queue;

    private Sent[] ring = new Sent[64];
    private int head;
    private int size;
    private int cumAck;
    private int nextTsn;

    private long flight;
    private long peerWindow;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private int recoveryExit;
    private int waitingRetransmit;
    private boolean fastRetransmitDue;
    private boolean partialReliability;

    long retransmissions;
    long fastRetransmits;

    OutstandingData(int mtu, RtoEstimator rto, SendQueue queue) {
        this.mtu = mtu;
        this.rto = rto;
        this.queue = queue;
    }

    /**
     * @param partialReliability whether the peer takes FORWARD TSN; without it nothing may be
     *                           abandoned (the peer would wait for it forever), so every
     *                           message is retransmitted until acknowledged
     */
    void init(int initialTsn, long peerWindow, boolean partialReliability) {
        this.partialReliability = partialReliability;
        this.cumAck = initialTsn - 1;
        this.nextTsn = initialTsn;
        this.peerWindow = peerWindow;
        // RFC 9260 7.2.1: initial cwnd = min(4*MTU, max(2*MTU, 4404)); ssthresh = the peer's a_rwnd.
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4404));
        this.ssthresh = peerWindow;
    }

    int nextTsn() {
        return nextTsn;
    }

    int cumulativeAck() {
        return cumAck;
    }

    long flight() {
        return flight;
    }

    long cwnd() {
        return cwnd;
    }

    long peerWindow() {
        return peerWindow;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Whether new data of {@code bytes} may go out now (RFC 9260 6.1 rules A and B). */
    boolean canSend(int bytes) {
        return flight < cwnd && (peerWindow >= bytes || flight == 0);
    }

    /** Records a newly sent chunk with the next TSN; returns that TSN. */
    int add(OutgoingMessage m, int offset, int length, int flags, long nowMillis) {
        if (size == ring.length) {
            Sent[] bigger = new Sent[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) % ring.length];
            }
            ring = bigger;
            head = 0;
        }
        int tsn = nextTsn++;
        ring[(head + size) % ring.length] = new Sent(tsn, m, offset, length, flags, nowMillis);
        size++;
        flight += length;
        peerWindow = Math.max(0, peerWindow - length);
        return tsn;
    }

    private Sent at(int i) {
        return ring[(head + i) % ring.length];
    }

    /** The chunk with {@code tsn}, or null when it is not outstanding. */
    private Sent get(int tsn) {
        int i = tsn - (cumAck + 1);
        return i >= 0 && i < size ? at(i) : null;
    }

    /**
     * Processes the SACK at {@code b[off]} (already validated by {@link SackChunk#is}). Miss
     * indications follow HTNA (7.2.4): only TSNs below the highest newly acknowledged count, or
     * all reported missing when in fast recovery and the cumulative ack advanced.
     */
    int handleSack(byte[] b, int off, long nowMillis) {
        return ack(SackChunk.cumulativeTsnAck(b, off), SackChunk.advertisedWindow(b, off), b, off,
            SackChunk.gapCount(b, off), nowMillis);
    }

    /** The cumulative TSN ack of a SHUTDOWN (RFC 9260 9.2), with the last known window. */
    int handleCumulativeAck(int cum, long nowMillis) {
        return ack(cum, -1, null, 0, 0, nowMillis);
    }

    private int ack(int cum, long window, byte[] b, int off, int gaps, long nowMillis) {
        if (lt(cum, cumAck)) {
            return SACK_STALE;
        }
        if (!lt(cum, nextTsn)) {
            return SACK_INVALID;
        }
        for (int g = 0; g < gaps; g++) {
            int start = SackChunk.gapStart(b, off, g);
            int end = SackChunk.gapEnd(b, off, g);
            if (start == 0 || start > end || !lt(cum + end, nextTsn)) {
                return SACK_INVALID;
            }
        }
        long flightBefore = flight;
        boolean advanced = lt(cumAck, cum);
        long bytesAcked = 0;
        int highestNewlyAcked = cumAck;
        boolean newlyAcked = false;
        long rtt = -1;
        while (size > 0 && le(at(0).tsn, cum)) {
            Sent s = at(0);
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
            if (s.state == IN_FLIGHT || s.state == RETRANSMIT) {
                bytesAcked += s.length;
                newlyAcked = true;
                highestNewlyAcked = s.tsn;
                if (s.transmissions == 1) {
                    rtt = nowMillis - s.sentAtMillis;
                }
            }
            leave(s);
        }
        cumAck = cum;
        for (int g = 0; g < gaps; g++) {
            int start = cum + SackChunk.gapStart(b, off, g);
            int end = cum + SackChunk.gapEnd(b, off, g);
            for (int tsn = start; le(tsn, end); tsn++) {
                Sent s = get(tsn);
                if (s != null && (s.state == IN_FLIGHT || s.state == RETRANSMIT)) {
                    bytesAcked += s.length;
                    newlyAcked = true;
                    if (lt(highestNewlyAcked, tsn)) {
                        highestNewlyAcked = tsn;
                    }
                    if (s.transmissions == 1) {
                        rtt = nowMillis - s.sentAtMillis;
                    }
                    leave(s);
                    s.state = ACKED;
                }
            }
        }
        if (gaps > 0 && newlyAcked) {
            int highestGapAcked = cum + SackChunk.gapEnd(b, off, gaps - 1);
            int limit = fastRecovery && advanced ? highestGapAcked : highestNewlyAcked;
            for (int i = 0; i < size; i++) {
                Sent s = at(i);
                if (!lt(s.tsn, limit)) {
                    break;
                }
                if (s.state == IN_FLIGHT && ++s.missingReports >= 3 && !s.fastRetransmitted) {
                    s.fastRetransmitted = true;
                    fastRetransmits++;
                    enterFastRecovery();
                    markForRetransmission(s, nowMillis);
                    fastRetransmitDue = true;
                }
            }
        }
        if (window >= 0) {
            peerWindow = Math.max(0, window - flight);
        }
        if (advanced) {
            if (cwnd <= ssthresh) {
                if (!fastRecovery && flightBefore >= cwnd) {
                    cwnd += Math.min(bytesAcked, mtu);
                }
            } else {
                partialBytesAcked += bytesAcked;
                if (partialBytesAcked >= cwnd && flightBefore >= cwnd) {
                    partialBytesAcked -= cwnd;
                    cwnd += mtu;
                }
            }
            if (fastRecovery && !lt(cumAck, recoveryExit)) {
                fastRecovery = false;
            }
        }
        if (flight == 0) {
            partialBytesAcked = 0;
        }
        if (rtt >= 0) {
            rto.observe(rtt);
        }
        return advanced ? SACK_ADVANCED : SACK_OK;
    }

    /** A chunk leaves flight or the retransmission wait, acknowledged or abandoned. */
    private void leave(Sent s) {
        if (s.state == IN_FLIGHT) {
            flight -= s.length;
        } else if (s.state == RETRANSMIT) {
            waitingRetransmit--;
        }
    }

    private void enterFastRecovery() {
        if (!fastRecovery) {
            fastRecovery = true;
            recoveryExit = nextTsn - 1;
            ssthresh = Math.max(cwnd / 2, 4L * mtu);
            cwnd = ssthresh;
            partialBytesAcked = 0;
        }
    }

    /**
     * T3-rtx expired (RFC 9260 6.3.3): collapse cwnd to one MTU and mark everything in flight for
     * retransmission. Returns false when nothing was outstanding.
     */
    boolean expireT3(long nowMillis) {
        if (flight == 0 && waitingRetransmit == 0) {
            return false;
        }
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        for (int i = 0; i < size; i++) {
            Sent s = at(i);
            if (s.state == IN_FLIGHT) {
                markForRetransmission(s, nowMillis);
            }
        }
        return true;
    }

    /** RFC 3758 3.5 A3: a chunk that is due again but out of retransmissions or lifetime abandons its message. */
    private void markForRetransmission(Sent s, long nowMillis) {
        OutgoingMessage m = s.message;
        if (partialReliability && (m.abandoned || (m.maxRetransmits >= 0 && s.transmissions > m.maxRetransmits)
            || m.expiresAtMillis <= nowMillis)) {
            abandon(m);
            return;
        }
        leave(s);
        s.state = RETRANSMIT;
        s.missingReports = 0;
        waitingRetransmit++;
    }

    private void abandon(OutgoingMessage m) {
        m.abandoned = true;
        for (int i = 0; i < size; i++) {
            Sent s = at(i);
            // Gap-acknowledged fragments too: the FORWARD TSN must reach past every fragment of
            // the message, or the peer keeps those it has as a message that never completes.
            if (s.message == m && s.state != ABANDONED) {
                leave(s);
                s.state = ABANDONED;
            }
        }
        if (m.fragmented > 0 && m.remaining() > 0) {
            // Part of the message was never sent, so no chunk of it past what the peer already
            // has would be abandoned, and no FORWARD TSN would reach past its first fragments or
            // skip its SSN. A placeholder end fragment with the next TSN does (as dcSCTP does).
            add(m, m.fragmented, 0, DataChunk.FLAG_END | (m.unordered ? DataChunk.FLAG_UNORDERED : 0), 0);
            at(size - 1).state = ABANDONED;
        }
        queue.discardRemainder(m);
    }

    boolean hasRetransmissions() {
        return waitingRetransmit > 0;
    }

    /** True once after a fast retransmit was triggered: one packet may go out regardless of cwnd. */
    boolean takeFastRetransmit() {
        boolean due = fastRetransmitDue;
        fastRetransmitDue = false;
        return due;
    }

    /** The oldest chunk waiting for retransmission whose payload fits in {@code room}, or null. */
    Sent nextRetransmission(int room) {
        if (waitingRetransmit == 0) {
            return null;
        }
        for (int i = 0; i < size; i++) {
            Sent s = at(i);
            if (s.state == RETRANSMIT && s.length <= room) {
                return s;
            }
        }
        return null;
    }

    void retransmitted(Sent s, long nowMillis) {
        waitingRetransmit--;
        s.state = IN_FLIGHT;
        s.transmissions++;
        s.sentAtMillis = nowMillis;
        flight += s.length;
        peerWindow = Math.max(0, peerWindow - s.length);
        retransmissions++;
    }

    /**
     * The Advanced.Peer.Ack.Point (RFC 3758 3.5 C1): the highest TSN such that every chunk up to
     * it is acknowledged or abandoned, and at least one abandoned; equal to the cumulative ack when
     * there is nothing to forward. For each ordered stream skipped, {@code streams/ssns} get its
     * highest abandoned SSN; {@code count[0]} their number (at most {@code streams.length}).
     */
    int advancedPeerAckPoint(int[] streams, int[] ssns, int[] count) {
        int point = cumAck;
        int n = 0;
        for (int i = 0; i < size; i++) {
            Sent s = at(i);
            if (s.state == ABANDONED) {
                if (!s.message.unordered) {
                    int j = 0;
                    while (j < n && streams[j] != s.message.streamId) {
                        j++;
                    }
                    if (j == n) {
                        if (n == streams.length) {
                            break; // the rest goes in the next FORWARD TSN
                        }
                        streams[n++] = s.message.streamId;
                    }
                    ssns[j] = s.message.ssn;
                }
                point = s.tsn;
            } else if (s.state != ACKED) {
                break;
            }
        }
        count[0] = n;
        return point;
    }
}
