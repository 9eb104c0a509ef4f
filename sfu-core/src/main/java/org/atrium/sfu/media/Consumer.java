package org.atrium.sfu.media;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.sfu.rtcp.SenderReportGenerator;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.srtp.SrtpSession;

/**
 * One receiver's copy of a {@link Producer}'s stream.
 *
 * <p>It owns its outgoing SSRC and its sequence number and timestamp offsets, so that
 * what the receiver sees stays one continuous stream whatever happens upstream (a new
 * publisher SSRC, later a simulcast layer switch). It starts paused and is resumed once
 * the receiver has accepted it in SDP, at which point it asks for a keyframe.
 */
public final class Consumer {

    /** Largest packet forwarded; larger ones are dropped (they could not cross the path anyway). */
    public static final int MAX_PACKET = 1500;

    private static final ThreadLocal<byte[]> SCRATCH =
            ThreadLocal.withInitial(() -> new byte[MAX_PACKET + SrtpSession.MAX_TRAILER]);
    /** For retransmissions, on the receiver's thread: the cached original, then the RTX packet. */
    private static final ThreadLocal<byte[][]> RETRANSMISSION_SCRATCH = ThreadLocal.withInitial(
            () -> new byte[][] {new byte[MAX_PACKET], new byte[MAX_PACKET + Rtx.OSN_LENGTH + SrtpSession.MAX_TRAILER]});

    private final String id;
    private final Producer producer;
    private final String receiverId;
    private final long ssrc;
    private final long rtxSsrc;
    private final AtomicInteger rtxSequence = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 15));
    private final MediaCapabilities capabilities;
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder nacksReceived = new LongAdder();
    private final PacketSink downstream;
    private final byte[] extensionIdMap;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final SenderReportGenerator senderReports;
    private final SfuMetrics metrics;
    private final BitrateMeter bitrate = new BitrateMeter();
    /** What the receiver last reported of this stream (RFC 3550 6.4.1 report block). */
    private volatile int reportedFractionLost;
    private volatile long reportedCumulativeLost;
    private volatile long reportedJitter;
    private final LongAdder pliReceived = new LongAdder();
    private final LongAdder firReceived = new LongAdder();

    private final ForwardingLane lane;
    private volatile boolean resumed;
    private volatile boolean closed;
    private volatile boolean rtxEnabled;

    // Rewriting state, written by the thread forwarding the producer's packets and read
    // for retransmissions (the same thread when the receiver has a lane): the deltas are
    // set before started.
    private volatile boolean started;
    private volatile int sequenceDelta;
    private volatile long timestampDelta;

    /**
     * @param ssrc the SSRC the receiver sees, unique on the receiver's transport
     * @param rtxSsrc the SSRC of its retransmissions (RFC 4588), or -1 when it has none
     * @param extensionIdMap sender extension id -> receiver extension id, 0 = removed
     */
    public Consumer(String id, Producer producer, String receiverId, long ssrc, long rtxSsrc, PacketSink downstream,
            byte[] extensionIdMap, MediaCapabilities capabilities, SfuMetrics metrics) {
        this(id, producer, receiverId, ssrc, rtxSsrc, downstream, null, extensionIdMap, capabilities, metrics);
    }

    /** @param lane the receiver's forwarding lane, or null to send on the producer's receiving thread */
    public Consumer(String id, Producer producer, String receiverId, long ssrc, long rtxSsrc, PacketSink downstream,
            ForwardingLane lane, byte[] extensionIdMap, MediaCapabilities capabilities, SfuMetrics metrics) {
        this.lane = lane;
        this.metrics = metrics;
        this.id = id;
        this.producer = producer;
        this.receiverId = receiverId;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.capabilities = capabilities;
        this.downstream = downstream;
        this.extensionIdMap = extensionIdMap.clone();
        this.senderReports = new SenderReportGenerator(producer.clockRate());
    }

    public String id() {
        return id;
    }

    public Producer producer() {
        return producer;
    }

    public String receiverId() {
        return receiverId;
    }

    public MediaKind kind() {
        return producer.kind();
    }

    /** The SSRC the receiver sees. */
    public long ssrc() {
        return ssrc;
    }

    /** The SSRC of its RTX stream, or -1. */
    public long rtxSsrc() {
        return rtxSsrc;
    }

    /** Whether the receiver accepted RTX; otherwise retransmissions repeat the original packet. */
    public void setRtxEnabled(boolean enabled) {
        rtxEnabled = enabled && rtxSsrc >= 0;
    }

    public boolean isResumed() {
        return resumed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Starts forwarding (the receiver has accepted the stream) and asks for a keyframe. */
    public void resume() {
        if (closed || resumed) {
            return;
        }
        resumed = true;
        if (producer.kind() == MediaKind.VIDEO) {
            producer.requestKeyframe();
        }
    }

    /**
     * Copies one of the producer's packets, rewrites it for this receiver and sends it.
     * The source bytes are not changed: other consumers read them after this one.
     */
    void send(byte[] buf, int off, int len, long receivedNanos) {
        if (!resumed || closed) {
            return;
        }
        if (!started) {
            // Random starting points (RFC 3550 5.1), so that nothing about the
            // publisher's numbering leaks and later rewrites start from a clean state.
            ThreadLocalRandom random = ThreadLocalRandom.current();
            sequenceDelta = (random.nextInt(1 << 15) - RtpPacket.sequenceNumber(buf, off)) & 0xFFFF;
            timestampDelta = (random.nextLong(1L << 32) - RtpPacket.timestamp(buf, off)) & 0xFFFFFFFFL;
            senderReports.setTimestampOffset(timestampDelta);
            started = true;
        }
        byte[] out = SCRATCH.get();
        int n = rewrite(buf, off, len, out);
        if (n < 0) {
            dropped.increment();
            metrics.drop(DropReason.TOO_LARGE);
            return;
        }
        int payloadLength = RtpPacket.payloadLength(out, 0, n);
        if (downstream.sendRtp(out, 0, n)) {
            packets.increment();
            bytes.add(n);
            senderReports.onPacketSent(payloadLength);
            metrics.forwarded(producer.kind(), n, System.nanoTime() - receivedNanos);
        } else {
            dropped.increment();
        }
    }

    /**
     * Copies a packet of the producer into {@code out} as this receiver sees it: its
     * extensions remapped, and its sequence number, timestamp and SSRC this consumer's.
     *
     * @return the length, or -1 when it does not fit {@link #MAX_PACKET}
     */
    private int rewrite(byte[] src, int off, int len, byte[] out) {
        int n = len <= MAX_PACKET ? HeaderExtensions.copyWithExtensions(src, off, len, out, 0, extensionIdMap) : -1;
        if (n < 0 || n > MAX_PACKET) {
            return -1;
        }
        RtpPacket.setSequenceNumber(out, 0, (RtpPacket.sequenceNumber(out, 0) + sequenceDelta) & 0xFFFF);
        RtpPacket.setTimestamp(out, 0, (RtpPacket.timestamp(out, 0) + timestampDelta) & 0xFFFFFFFFL);
        RtpPacket.setSsrc(out, 0, ssrc);
        return n;
    }

    /**
     * Answers the receiver's NACK for one sequence number of this consumer (RFC 4585
     * 6.2.1) from the producer's cache: as RTX (RFC 4588) when the receiver accepted it,
     * else as the original packet again. Runs on the receiver's thread.
     *
     * @return true if a retransmission was sent
     */
    public boolean retransmit(int consumerSequence, long nowNanos) {
        nacksReceived.increment();
        if (!resumed || closed || !started) {
            return false;
        }
        byte[][] scratch = RETRANSMISSION_SCRATCH.get();
        byte[] cached = scratch[0];
        byte[] out = scratch[1];
        int length = producer.cachedPacket(toProducerSequence(consumerSequence), cached, 0, nowNanos);
        if (length < 0) {
            metrics.retransmissionMissed();
            return false;
        }
        byte[] rewritten = SCRATCH.get();
        int n = rewrite(cached, 0, length, rewritten);
        if (n < 0) {
            return false;
        }
        boolean sent;
        if (rtxEnabled) {
            RtpCodec codec = capabilities.codecForPayloadType(RtpPacket.payloadType(rewritten, 0));
            if (codec == null || !codec.hasRtx()) {
                return false;
            }
            int rtxLength = Rtx.wrap(rewritten, 0, n, out, 0, rtxSsrc, codec.rtxPayloadType(),
                    rtxSequence.getAndIncrement() & 0xFFFF);
            sent = rtxLength > 0 && downstream.sendRtp(out, 0, rtxLength);
            n = rtxLength;
        } else {
            sent = downstream.sendRtp(rewritten, 0, n);
        }
        if (sent) {
            retransmissions.increment();
            bytes.add(n);
            metrics.retransmitted(producer.kind(), n);
        }
        return sent;
    }

    /**
     * The receiver NACKed one of this consumer's sequence numbers: the retransmission is
     * sent on the receiver's lane, after what is already queued for it, or at once when
     * the receiver has none.
     */
    public void onNack(int consumerSequence, long nowNanos) {
        if (lane == null) {
            retransmit(consumerSequence, nowNanos);
        } else {
            lane.retransmit(this, consumerSequence, nowNanos);
        }
    }

    /** The receiver's forwarding lane, or null. */
    ForwardingLane lane() {
        return lane;
    }

    /** Sequence numbers the receiver has NACKed. */
    public long nackedCount() {
        return nacksReceived.sum();
    }

    public long retransmissionCount() {
        return retransmissions.sum();
    }

    /** The producer's sequence number for a sequence number this consumer sent. */
    public int toProducerSequence(int consumerSequence) {
        return (consumerSequence - sequenceDelta) & 0xFFFF;
    }

    /** The SFU's own Sender Reports for this stream (RFC 3550 6.4.1). */
    public SenderReportGenerator senderReports() {
        return senderReports;
    }

    public long packetCount() {
        return packets.sum();
    }

    public long byteCount() {
        return bytes.sum();
    }

    public long droppedCount() {
        return dropped.sum();
    }

    /** The receiver's keyframe request for this stream (RFC 4585 PLI, RFC 5104 FIR). */
    public void onKeyframeRequest(boolean fir) {
        if (fir) {
            firReceived.increment();
            metrics.firReceived();
        } else {
            pliReceived.increment();
            metrics.pliReceived();
        }
        producer.requestKeyframe();
    }

    /** A report block of the receiver about this stream. */
    public void onReceiverReport(int fractionLost, long cumulativeLost, long jitter) {
        reportedFractionLost = fractionLost;
        reportedCumulativeLost = cumulativeLost;
        reportedJitter = jitter;
    }

    /** Loss the receiver reported in its last report block, in 1/256 (RFC 3550 6.4.1). */
    public int reportedFractionLost() {
        return reportedFractionLost;
    }

    /** Packets the receiver reported lost in all, which may be negative with duplicates. */
    public long reportedCumulativeLost() {
        return reportedCumulativeLost;
    }

    /** Interarrival jitter the receiver reported, in milliseconds. */
    public double reportedJitterMillis() {
        return reportedJitter * 1000.0 / producer.clockRate();
    }

    public long pliCount() {
        return pliReceived.sum();
    }

    public long firCount() {
        return firReceived.sum();
    }

    /** Bits per second sent over the last sampling interval. */
    public long bitrate() {
        return bitrate.bitsPerSecond();
    }

    /** Takes a bitrate sample; called by the server's timer about once a second. */
    public void sampleBitrate(long nowNanos) {
        bitrate.sample(nowNanos, bytes.sum());
    }

    /** Stops it; called by the router. */
    void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "Consumer[" + id + " of " + producer.id() + " to " + receiverId + " ssrc=" + ssrc + "]";
    }
}
