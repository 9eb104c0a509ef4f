package org.atrium.sfu.rtcp;

import org.atrium.rtp.SenderReport;

/**
 * The sender reports the SFU writes for one outgoing stream (one per consumer), RFC 3550
 * 6.4.1, and the round-trip time measured from the receiver's reports about it.
 *
 * <p>A receiver aligns the streams of one CNAME (audio and video) by their SRs: each SR pins
 * an RTP timestamp to an NTP time. The consumer rewrites timestamps with its own offset, so
 * the publisher's SRs cannot be passed on as they are. This class instead writes an SR whose
 * NTP time is the SFU's now and whose RTP timestamp is the publisher's timestamp for the same
 * instant, extrapolated from the publisher's last SR at the clock rate, plus the consumer's
 * offset, modulo 2^32. The receiver's NTP-to-RTP line is then the publisher's line, moved by
 * the offset along the RTP axis and by (SFU clock - publisher clock + one-way delay of the
 * SR) along the NTP axis. The second shift is common to all the publisher's streams up to the
 * difference in delay of their SRs (usually a millisecond or two), so lip sync survives.
 *
 * <p>Before the publisher has sent an SR for the stream, {@link #writeSenderReport} writes
 * nothing: any mapping made up from packet arrival times would differ from the one of the
 * publisher's other streams by their capture and send delays, mis-aligning audio and video,
 * and the receiver would jump when the real mapping appeared. With no SR a receiver simply
 * plays the streams unsynchronized for their first second.
 *
 * <p>Thread-safety: {@link #onPacketSent} is called by the one thread forwarding the stream
 * and only increments single-writer volatile counters. {@link #onPublisherSenderReport},
 * {@link #setTimestampOffset} and {@link #writeSenderReport} (receive threads and a report
 * timer, each about once a second) share a private lock; {@link #onReportBlock} writes one
 * volatile. No method but the constructor allocates or throws.
 */
public final class SenderReportGenerator {

    private final int clockRate;
    private final Object lock = new Object();

    // Written only by the forwarding thread; volatile so that the timer reads fresh values.
    private volatile long packetsSent;
    private volatile long octetsSent;

    // The publisher's last SR and the consumer's offset, guarded by lock.
    private boolean haveMapping;
    private long publisherNtp;
    private long publisherRtpTimestamp;
    private long publisherSrArrivalNanos;
    private boolean haveOffset;
    private long timestampOffset;

    private volatile long roundTripTimeNanos = RoundTripTime.UNKNOWN;

    /**
     * @param clockRate the stream's RTP timestamp rate, Hz (90000 for video, 48000 for Opus)
     */
    public SenderReportGenerator(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    public int clockRate() {
        return clockRate;
    }

    /**
     * The publisher's latest SR for the stream: its NTP-to-RTP mapping, anchored at the SR's
     * arrival on the monotonic clock of {@link #writeSenderReport}'s {@code nowNanos}.
     */
    public void onPublisherSenderReport(long ntp64, long rtpTimestamp, long arrivalNanos) {
        synchronized (lock) {
            publisherNtp = ntp64;
            publisherRtpTimestamp = rtpTimestamp & 0xFFFFFFFFL;
            publisherSrArrivalNanos = arrivalNanos;
            haveMapping = true;
        }
    }

    /**
     * The consumer's timestamp offset: consumer timestamp = publisher timestamp + offset
     * (mod 2^32). Set once the consumer has chosen it, and again whenever it changes.
     */
    public void setTimestampOffset(long offset) {
        synchronized (lock) {
            timestampOffset = offset & 0xFFFFFFFFL;
            haveOffset = true;
        }
    }

    /**
     * One packet sent to the receiver. Called by the forwarding thread only.
     *
     * @param payloadOctets its payload length, header and padding excluded (RFC 3550 6.4.1)
     */
    public void onPacketSent(int payloadOctets) {
        // Single writer: a plain read-modify-write of a volatile loses no update.
        packetsSent = packetsSent + 1;
        octetsSent = octetsSent + payloadOctets;
    }

    /**
     * Starts the counts where those of the stream this one continues on the same SSRC stood,
     * so that the receiver's Sender Reports keep counting up. Called by the forwarding
     * thread, before its first {@link #onPacketSent}.
     */
    public void continueCounts(long packets, long octets) {
        packetsSent = packets;
        octetsSent = octets;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long octetsSent() {
        return octetsSent;
    }

    /**
     * The RTP timestamp the receiver would see on a packet captured now, or -1 while the
     * publisher's mapping or the consumer's offset is unknown.
     */
    public long rtpTimestampAt(long nowNanos) {
        synchronized (lock) {
            if (!haveMapping || !haveOffset) {
                return -1;
            }
            long elapsedTicks = NtpTime.nanosToTicks(nowNanos - publisherSrArrivalNanos, clockRate);
            return (publisherRtpTimestamp + elapsedTicks + timestampOffset) & 0xFFFFFFFFL;
        }
    }

    /**
     * Writes an SR without report blocks for the consumer's SSRC at {@code off}.
     *
     * @param consumerSsrc the SSRC the receiver sees
     * @param nowNtp64 the SFU's wall clock now, as NTP (also what {@link #onReportBlock} gets)
     * @param nowNanos now on the monotonic clock of {@link #onPublisherSenderReport}
     * @return the bytes written ({@link SenderReport#MIN_LENGTH}); 0 while no publisher SR or
     *     consumer offset is known (see the class comment); -1 when it does not fit in {@code b}
     */
    public int writeSenderReport(byte[] b, int off, long consumerSsrc, long nowNtp64, long nowNanos) {
        long rtpTimestamp = rtpTimestampAt(nowNanos);
        if (rtpTimestamp < 0) {
            return 0;
        }
        // Counts wrap modulo 2^32 as RFC 3550 6.4.1 allows; put32 keeps the low word.
        return SenderReport.write(b, off, consumerSsrc, nowNtp64, rtpTimestamp, packetsSent, octetsSent, 0);
    }

    /**
     * A report block about this stream from its receiver (in an RR or SR it sent): updates
     * the round-trip time when the block echoes one of our SRs (RFC 3550 6.4.1).
     *
     * @param arrivalNtp64 the SFU's wall clock when the report arrived, as NTP
     */
    public void onReportBlock(long lastSr, long delaySinceLastSr, long arrivalNtp64) {
        long rtt = RoundTripTime.computeNanos(lastSr, delaySinceLastSr, NtpTime.compact(arrivalNtp64));
        if (rtt != RoundTripTime.UNKNOWN) {
            roundTripTimeNanos = rtt;
        }
    }

    /** The last round-trip time measured to the receiver, or {@link RoundTripTime#UNKNOWN}. */
    public long roundTripTimeNanos() {
        return roundTripTimeNanos;
    }
}
