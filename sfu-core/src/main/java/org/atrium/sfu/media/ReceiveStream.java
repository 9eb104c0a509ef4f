package org.atrium.sfu.media;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.rtcp.ReceiveStreamStatistics;
import org.atrium.sfu.stats.SfuMetrics;

/**
 * One RTP stream a publisher sends for a track: the single stream of a plain track, or one
 * simulcast encoding (RFC 8853) of a video track, with its RTX stream. It keeps what the
 * SFU needs per incoming stream: reception statistics, the packet cache for receivers'
 * NACKs, its own NACKs upstream, keyframe requests aimed at its SSRC, and the bitrate of
 * each temporal layer for the bandwidth allocation.
 *
 * <p>Its SSRCs are known from SDP or learnt from the first packets that carry its RID
 * (RFC 8852); until then it is unbound and matches no packet.
 */
public final class ReceiveStream {

    /** An SSRC not known yet; no packet matches it. */
    public static final long UNKNOWN_SSRC = -1;
    /** Temporal layers whose bitrate is measured apart (VP8 sends at most 4 ids, 0-3). */
    public static final int MAX_TEMPORAL_LAYERS = 4;
    private static final int MAX_NACKS_PER_PACKET = 64;

    private final int index;
    private final String rid;
    private final MediaKind kind;
    private final int clockRate;
    private final PacketSink upstream;
    private final long feedbackSsrc;
    private final SfuMetrics metrics;
    private volatile long ssrc;
    private volatile long rtxSsrc;
    private final ReceiveStreamStatistics statistics = new ReceiveStreamStatistics();
    /**
     * Made at the first packet (by the receive thread, the cache's one writer): an encoding
     * announced but never sent, or switched off, holds no packet memory.
     */
    private volatile PacketCache cache;
    private final int cachedPackets;
    private final long cacheAgeNanos;
    private final NackGenerator nacks;
    private final KeyframeRequester keyframes;
    /** Timer thread only. */
    private final int[] lostScratch;
    private final byte[] nackScratch;
    private final byte[] pli = new byte[Pli.LENGTH];
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder[] layerBytes = new LongAdder[MAX_TEMPORAL_LAYERS];
    private final BitrateMeter[] layerBitrates = new BitrateMeter[MAX_TEMPORAL_LAYERS];
    private final BitrateMeter bitrate = new BitrateMeter();
    private final LongAdder retransmissionsReceived = new LongAdder();
    private final LongAdder nacksSent = new LongAdder();
    private final LongAdder keyframeRequests = new LongAdder();
    private volatile long lastPacketNanos;
    /** Frame size from its last keyframe, 0 before one. */
    private volatile int width;
    private volatile int height;
    /** The publisher's last Sender Report for this stream, guarded by this. */
    private long srNtp;
    private long srRtp;
    private long srArrivalNanos;
    private boolean haveSr;
    private volatile boolean closed;

    ReceiveStream(int index, String rid, MediaKind kind, int clockRate, long ssrc, long rtxSsrc, PacketSink upstream,
            long feedbackSsrc, long keyframeIntervalNanos, ScheduledExecutorService timers, SfuMetrics metrics,
            int cachedPackets, long cacheAgeNanos) {
        this.index = index;
        this.rid = rid;
        this.kind = kind;
        this.clockRate = clockRate;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.upstream = upstream;
        this.feedbackSsrc = feedbackSsrc;
        this.metrics = metrics;
        boolean video = kind == MediaKind.VIDEO;
        this.cachedPackets = cachedPackets;
        this.cacheAgeNanos = cacheAgeNanos;
        this.nacks = video ? new NackGenerator(NackGenerator.Config.DEFAULT) : null;
        this.lostScratch = video ? new int[MAX_NACKS_PER_PACKET] : null;
        this.nackScratch = video ? new byte[16 + 4 * MAX_NACKS_PER_PACKET] : null;
        this.keyframes = new KeyframeRequester(keyframeIntervalNanos, timers, this::sendPli);
        for (int i = 0; i < MAX_TEMPORAL_LAYERS; i++) {
            layerBytes[i] = new LongAdder();
            layerBitrates[i] = new BitrateMeter();
        }
    }

    /** Its place among the track's encodings: 0 is the lowest resolution. */
    public int index() {
        return index;
    }

    /** Its RID (RFC 8851), or null for a track sent without simulcast. */
    public String rid() {
        return rid;
    }

    public long ssrc() {
        return ssrc;
    }

    public long rtxSsrc() {
        return rtxSsrc;
    }

    public boolean isBound() {
        return ssrc != UNKNOWN_SSRC;
    }

    /** Sets the SSRC learnt from signalling or from the RID extension of a packet. */
    void bind(long ssrc) {
        this.ssrc = ssrc;
    }

    void bindRtx(long rtxSsrc) {
        this.rtxSsrc = rtxSsrc;
    }

    /**
     * Records a decrypted packet: statistics, the cache, the NACK generator, and the bytes
     * of its temporal layer.
     *
     * @param temporalLayer 0-3, or 0 when the codec has none
     */
    void onPacket(byte[] buf, int off, int len, long receivedNanos, int temporalLayer) {
        lastPacketNanos = receivedNanos;
        packets.increment();
        bytes.add(len);
        layerBytes[Math.min(temporalLayer, MAX_TEMPORAL_LAYERS - 1)].add(len);
        int sequence = RtpPacket.sequenceNumber(buf, off);
        statistics.onPacket(sequence, RtpPacket.timestamp(buf, off), receivedNanos, clockRate, len);
        if (nacks != null) {
            nacks.onPacket(sequence, receivedNanos);
            PacketCache stored = cache;
            if (stored == null) {
                stored = new PacketCache(cachedPackets, cacheAgeNanos);
                cache = stored;
            }
            stored.put(buf, off, len, receivedNanos);
        }
    }

    /** Whether a restored retransmission is one the SFU asked for (and so not a duplicate). */
    boolean acceptRetransmission(int sequence, long receivedNanos) {
        if (nacks == null || !nacks.onPacket(sequence, receivedNanos)) {
            return false;
        }
        retransmissionsReceived.increment();
        return true;
    }

    /** Copies a cached packet of this stream; its length, or -1 when it is not (or no longer) cached. */
    int cachedPacket(int sequence, byte[] dst, int dstOff, long nowNanos) {
        PacketCache stored = cache;
        return stored == null ? -1 : stored.get(sequence, dst, dstOff, nowNanos);
    }

    /** Sends the NACKs due for gaps in this stream; asks for a keyframe when too much is lost. */
    void sendNacks(long nowNanos) {
        if (nacks == null || closed || !isBound()) {
            return;
        }
        int count = nacks.collectNacks(lostScratch, nowNanos);
        if (count > 0) {
            int length = Nack.write(nackScratch, 0, feedbackSsrc, ssrc, lostScratch, count);
            if (length > 0 && upstream.sendRtcp(nackScratch, 0, length)) {
                nacksSent.add(count);
                metrics.nacksSent(count);
            }
        }
        if (nacks.takeKeyframeRequest()) {
            requestKeyframe();
        }
    }

    void setRoundTripTime(long rttNanos) {
        if (nacks != null) {
            nacks.setRtt(rttNanos);
        }
    }

    /** Asks for a keyframe of this stream (PLI on its SSRC), throttled. */
    boolean requestKeyframe() {
        return !closed && keyframes.request();
    }

    private boolean sendPli() {
        long mediaSsrc = ssrc;
        if (closed || mediaSsrc == UNKNOWN_SSRC) {
            return false;
        }
        boolean sent;
        synchronized (pli) {
            int len = Pli.write(pli, 0, feedbackSsrc, mediaSsrc);
            sent = upstream.sendRtcp(pli, 0, len);
        }
        if (sent) {
            keyframeRequests.increment();
            metrics.keyframeRequestSent();
        }
        return sent;
    }

    /** The publisher's Sender Report for this stream. */
    synchronized void onSenderReport(long ntp, long rtpTimestamp, long nowNanos) {
        statistics.onSenderReport(ntp, rtpTimestamp, nowNanos);
        srNtp = ntp;
        srRtp = rtpTimestamp;
        srArrivalNanos = nowNanos;
        haveSr = true;
    }

    /** Hands the last Sender Report to a consumer that starts forwarding this stream. */
    synchronized void replaySenderReport(Consumer consumer) {
        if (haveSr) {
            consumer.senderReports().onPublisherSenderReport(srNtp, srRtp, srArrivalNanos);
        }
    }

    void setFrameSize(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** Frame width of its last keyframe, 0 when none was seen. */
    public int width() {
        return width;
    }

    /** Frame height of its last keyframe, 0 when none was seen. */
    public int height() {
        return height;
    }

    /** When the last packet arrived (System.nanoTime), 0 before the first. */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    public ReceiveStreamStatistics statistics() {
        return statistics;
    }

    public long packetCount() {
        return packets.sum();
    }

    public long byteCount() {
        return bytes.sum();
    }

    public long bitrate() {
        return bitrate.bitsPerSecond();
    }

    /** Bits per second of temporal layer {@code layer} alone, over the last sampling interval. */
    public long layerBitrate(int layer) {
        return layerBitrates[layer].bitsPerSecond();
    }

    void sampleBitrate(long nowNanos) {
        bitrate.sample(nowNanos, bytes.sum());
        for (int i = 0; i < MAX_TEMPORAL_LAYERS; i++) {
            layerBitrates[i].sample(nowNanos, layerBytes[i].sum());
        }
    }

    public long retransmissionsReceived() {
        return retransmissionsReceived.sum();
    }

    public long nacksSent() {
        return nacksSent.sum();
    }

    public long keyframeRequestCount() {
        return keyframeRequests.sum();
    }

    int clockRate() {
        return clockRate;
    }

    MediaKind kind() {
        return kind;
    }

    void close() {
        closed = true;
        keyframes.cancel();
    }

    @Override
    public String toString() {
        return "ReceiveStream[" + index + (rid == null ? "" : " rid=" + rid) + " ssrc=" + ssrc + "]";
    }
}
