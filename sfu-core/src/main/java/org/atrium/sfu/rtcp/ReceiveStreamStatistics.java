package org.atrium.sfu.rtcp;

import org.atrium.rtp.ReportBlock;

/**
 * Reception statistics of one incoming RTP stream (one per producer), and the report block
 * the SFU sends its publisher about it (RFC 3550 6.4.1).
 *
 * <ul>
 * <li>Sequence numbers are tracked as RFC 3550 A.1 does: extended to 32 bits by counting
 * wraps, a new source is accepted after {@value #MIN_SEQUENTIAL} packets in sequence
 * (probation), and a jump of more than {@value #MAX_DROPOUT} (or back more than
 * {@value #MAX_MISORDER}) is taken for a restart of the sender only when the next packet
 * follows it.
 * <li>Expected, lost and fraction lost follow RFC 3550 A.3; the fraction covers the interval
 * since the previous report block.
 * <li>Interarrival jitter follows RFC 3550 A.8, in timestamp units, scaled by 16 internally.
 * <li>LSR and DLSR come from the last sender report of the stream (RFC 3550 6.4.1).
 * </ul>
 *
 * <p>Thread-safety: {@link #onPacket} and {@link #onSenderReport} are called by the thread
 * receiving the stream, {@link #writeReportBlock} and the accessors by a report timer. All
 * share one private lock, held for a few dozen instructions; the receive thread therefore
 * pays one uncontended monitor enter per packet, and the timer, which takes the lock once a
 * second or so, almost never makes it wait. No method allocates or throws.
 */
public final class ReceiveStreamStatistics {

    /** Packets in sequence needed to accept a source (RFC 3550 A.1). */
    public static final int MIN_SEQUENTIAL = 2;
    /** Largest forward jump still taken for loss rather than a restart (RFC 3550 A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward step still taken for reordering rather than a restart (RFC 3550 A.1). */
    public static final int MAX_MISORDER = 100;

    private static final int SEQ_MOD = 1 << 16;

    // Verdicts of updateSequence.
    private static final int NOT_COUNTED = 0;
    private static final int ADVANCED = 1;
    private static final int LATE = 2;

    private final Object lock = new Object();

    // RFC 3550 A.1 source state, guarded by lock.
    private boolean seen;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq = SEQ_MOD + 1;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    // RFC 3550 A.8, guarded by lock.
    private boolean haveTransit;
    private int transit;
    private long jitterQ4;
    private int clockRate;

    // Totals and the last report, guarded by lock.
    private long packets;
    private long bytes;
    private int lastFractionLost;

    // Last sender report (RFC 3550 6.4.1), guarded by lock.
    private long lastSrCompact;
    private long lastSrArrivalNanos;

    /**
     * One RTP packet of the stream, decrypted and accepted by the transport.
     *
     * @param sequence its sequence number, 0..65535
     * @param rtpTimestamp its timestamp, 0..2^32-1
     * @param arrivalNanos when it arrived, on the monotonic clock of the other calls
     * @param clockRate the timestamp rate of its payload type, Hz
     * @param bytes its length, for the byte count
     */
    public void onPacket(int sequence, long rtpTimestamp, long arrivalNanos, int clockRate, int bytes) {
        synchronized (lock) {
            packets++;
            this.bytes += bytes;
            int verdict = updateSequence(sequence & 0xFFFF);
            // Only packets that advance the sequence update the jitter: a late packet's transit
            // compared with its successor's measures reordering, not jitter (libwebrtc does the
            // same). Not-counted packets (probation, a stray jump) have no place in the stream.
            if (verdict == ADVANCED) {
                updateJitter(rtpTimestamp, arrivalNanos, clockRate);
            }
        }
    }

    /** RFC 3550 A.1 update_seq(), returning NOT_COUNTED, ADVANCED or LATE. */
    private int updateSequence(int seq) {
        if (!seen) {
            seen = true;
            initSequence(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    return ADVANCED;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return NOT_COUNTED;
        } else if (delta < MAX_DROPOUT) {
            if (delta == 0) {
                received++;
                return LATE;
            }
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
            received++;
            return ADVANCED;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            if (seq != badSeq) {
                // Either a stray packet or the first of a restarted sender: decide on the next.
                badSeq = (seq + 1) & 0xFFFF;
                return NOT_COUNTED;
            }
            // Two packets in sequence after a jump: the sender restarted (RFC 3550 A.1).
            initSequence(seq);
            received++;
            return ADVANCED;
        }
        // Otherwise a duplicate or a reordered packet: counted, as RFC 3550 A.1 does, so that
        // duplicates can make the cumulative loss negative (6.4.1).
        received++;
        return LATE;
    }

    /** RFC 3550 A.1 init_seq(); also forgets the transit, whose timestamps restarted too. */
    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
        haveTransit = false;
    }

    /** RFC 3550 A.8, integer form: J += |D| - J/16, with J kept scaled by 16. */
    private void updateJitter(long rtpTimestamp, long arrivalNanos, int clockRate) {
        if (clockRate <= 0) {
            return;
        }
        if (clockRate != this.clockRate) {
            // A codec with another rate: transits in the old units mean nothing any more.
            this.clockRate = clockRate;
            haveTransit = false;
        }
        // Arrival in timestamp units; only differences matter, so any origin will do and the
        // arithmetic wraps modulo 2^32 like the timestamps.
        int arrival = (int) NtpTime.nanosToTicks(arrivalNanos, clockRate);
        int newTransit = arrival - (int) rtpTimestamp;
        if (haveTransit) {
            int d = Math.abs(newTransit - transit);
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = newTransit;
        haveTransit = true;
    }

    /**
     * A sender report of this stream arrived: its compact NTP time is the next blocks' LSR and
     * its arrival the start of their DLSR (RFC 3550 6.4.1).
     *
     * @param ntp64 the SR's NTP timestamp
     * @param rtpTimestamp the SR's RTP timestamp (not needed for the block; taken so that one
     *     call site feeds every consumer of SR data)
     * @param arrivalNanos when it arrived, on the monotonic clock of the other calls
     */
    public void onSenderReport(long ntp64, long rtpTimestamp, long arrivalNanos) {
        synchronized (lock) {
            lastSrCompact = NtpTime.compact(ntp64);
            lastSrArrivalNanos = arrivalNanos;
        }
    }

    /**
     * Writes the 24-byte report block about this stream at {@code off} and starts a new loss
     * interval. Writes nothing and returns 0 while no packet has been accepted (the source is
     * unknown or still on probation: RFC 3550 6.4 reports only on sources heard from).
     *
     * @param sourceSsrc the stream's SSRC (the producer's, which may be bound after creation)
     * @param nowNanos now, on the monotonic clock of the other calls, for DLSR
     * @return {@link ReportBlock#LENGTH}, or 0, or -1 when the block does not fit in {@code b}
     */
    public int writeReportBlock(byte[] b, int off, long sourceSsrc, long nowNanos) {
        if (off < 0 || b.length - off < ReportBlock.LENGTH) {
            return -1;
        }
        synchronized (lock) {
            if (!seen || probation > 0) {
                return 0;
            }
            // RFC 3550 A.3.
            long extendedMax = cycles + maxSeq;
            long expected = extendedMax - baseSeq + 1;
            long lost = expected - received;
            long expectedInterval = expected - expectedPrior;
            long receivedInterval = received - receivedPrior;
            long lostInterval = expectedInterval - receivedInterval;
            expectedPrior = expected;
            receivedPrior = received;
            lastFractionLost = expectedInterval == 0 || lostInterval <= 0
                    ? 0 : (int) ((lostInterval << 8) / expectedInterval);
            long delaySinceLastSr = lastSrCompact == 0 ? 0 : NtpTime.nanosToCompact(nowNanos - lastSrArrivalNanos);
            int cumulativeLost = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lost));
            return ReportBlock.write(b, off, sourceSsrc, lastFractionLost, cumulativeLost,
                    extendedMax & 0xFFFFFFFFL, jitterQ4 >> 4, lastSrCompact, delaySinceLastSr);
        }
    }

    /** Every packet given to {@link #onPacket}, duplicates and probation included. */
    public long packetCount() {
        synchronized (lock) {
            return packets;
        }
    }

    /** Bytes of every packet given to {@link #onPacket}. */
    public long byteCount() {
        synchronized (lock) {
            return bytes;
        }
    }

    /** Packets counted as received by RFC 3550 A.1 since the source was (re)synchronized. */
    public long receivedCount() {
        synchronized (lock) {
            return received;
        }
    }

    /** The extended highest sequence number received (RFC 3550 A.1), or -1 before any. */
    public long extendedHighestSequence() {
        synchronized (lock) {
            return !seen || probation > 0 ? -1 : cycles + maxSeq;
        }
    }

    /** Expected minus received since synchronization (RFC 3550 A.3); negative with duplicates. */
    public long cumulativeLost() {
        synchronized (lock) {
            if (!seen || probation > 0) {
                return 0;
            }
            return cycles + maxSeq - baseSeq + 1 - received;
        }
    }

    /** The fraction lost in the last report block written, 0..255 (lost / expected * 256). */
    public int fractionLost() {
        synchronized (lock) {
            return lastFractionLost;
        }
    }

    /** Interarrival jitter in timestamp units, as a report block carries it (RFC 3550 A.8). */
    public long jitter() {
        synchronized (lock) {
            return jitterQ4 >> 4;
        }
    }

    /** Interarrival jitter in milliseconds, 0 before the clock rate is known. */
    public double jitterMillis() {
        synchronized (lock) {
            return clockRate == 0 ? 0 : jitterQ4 / 16.0 * 1000.0 / clockRate;
        }
    }
}
