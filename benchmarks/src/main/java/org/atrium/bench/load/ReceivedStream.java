package org.atrium.bench.load;

/**
 * What a receiver knows of one incoming RTP stream (RFC 3550 A.1 and A.8): extended
 * highest sequence number, packets received, interarrival jitter, and the last Sender
 * Report, from which it writes report blocks. Written by the receive thread; the
 * reporting thread reads the fields, which may lag by a packet.
 */
final class ReceivedStream {

    final long ssrc;
    final int clockRate;
    final boolean video;
    private long baseSequence = -1;
    volatile long highestSequence = -1;
    volatile long received;
    volatile long retransmitted;
    private double jitter;
    private boolean haveTransit;
    private long firstArrivalNanos;
    private long lastTransit;
    volatile double jitterMillis;
    /** The middle 32 bits of the last SR's NTP time, and when it arrived; 0 before one. */
    volatile long lastSrCompact;
    volatile long lastSrArrivalNanos;
    boolean awaitingKeyframe;
    long lastPliNanos;
    private long expectedPrior;
    private long receivedPrior;

    ReceivedStream(long ssrc, int clockRate, boolean video) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        this.video = video;
        this.awaitingKeyframe = video;
    }

    /**
     * Counts an original (not retransmitted) packet; returns how many sequence numbers it
     * skipped (0 when in order, negative for a late or duplicate packet).
     */
    long onPacket(int sequence, long rtpTimestamp, long arrivalNanos) {
        long extended;
        long gap;
        if (baseSequence < 0) {
            extended = sequence;
            baseSequence = extended;
            highestSequence = extended;
            gap = 0;
        } else {
            long highest = highestSequence;
            int delta = (short) (sequence - (int) (highest & 0xFFFF));
            extended = highest + delta;
            gap = delta - 1;
            if (delta > 0) {
                highestSequence = extended;
            }
        }
        received++;
        updateJitter(rtpTimestamp, arrivalNanos);
        return gap;
    }

    /** A retransmission (RTX) arrived: it recovers a lost packet. */
    void onRetransmission() {
        retransmitted++;
        received++;
    }

    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        if (!haveTransit) {
            firstArrivalNanos = arrivalNanos;
        }
        long arrival = (arrivalNanos - firstArrivalNanos) / 1000 * clockRate / 1_000_000; // in RTP units
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < (1L << 30)) { // ignore the 32-bit timestamp wrap
                jitter += (d - jitter) / 16.0;
                jitterMillis = jitter * 1000.0 / clockRate;
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }

    long expected() {
        return baseSequence < 0 ? 0 : highestSequence - baseSequence + 1;
    }

    long lost() {
        return Math.max(0, expected() - received);
    }

    /** Writes this stream's RR block (RFC 3550 6.4.1) and starts the next interval. */
    int writeReportBlock(byte[] b, int off, long nowNanos) {
        long expected = expected();
        long receivedNow = received;
        long expectedInterval = expected - expectedPrior;
        long lostInterval = expectedInterval - (receivedNow - receivedPrior);
        expectedPrior = expected;
        receivedPrior = receivedNow;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long lsr = lastSrCompact;
        long dlsr = lsr == 0 ? 0 : ((nowNanos - lastSrArrivalNanos) << 16) / 1_000_000_000L;
        return org.atrium.rtp.ReportBlock.write(b, off, ssrc, Math.min(255, fraction), (int) Math.min(lost(),
                Integer.MAX_VALUE), highestSequence & 0xFFFFFFFFL, (long) jitter, lsr, dlsr);
    }
}
