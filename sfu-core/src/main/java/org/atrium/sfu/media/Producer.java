package org.atrium.sfu.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.Rtx;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.sfu.rtcp.ReceiveStreamStatistics;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.util.ArraySnapshots;

/**
 * One incoming track of a participant: an RTP stream (plus its RTX stream, if any)
 * arriving on the publisher's transport, fanned out to its {@link Consumer}s.
 *
 * <p>Each packet is decrypted once by the transport; {@link #forward} hands the same
 * bytes to every consumer, each of which copies what it must change.
 */
public final class Producer {

    private final String id;
    private final String ownerId;
    private final String mid;
    private final MediaKind kind;
    private static final int MAX_NACKS_PER_PACKET = 64;

    /** An SSRC not known yet; no packet matches it. */
    public static final long UNKNOWN_SSRC = -1;

    private volatile long ssrc;
    private volatile long rtxSsrc;
    private final PacketSink upstream;
    private final long feedbackSsrc;
    private final SfuMetrics metrics;
    private final KeyframeRequester keyframes;
    private final int clockRate;
    private final ReceiveStreamStatistics statistics = new ReceiveStreamStatistics();
    private final MediaCapabilities capabilities;
    /** Video only: the last packets, for receivers' NACKs, and the SFU's own NACKs upstream. */
    private final PacketCache cache;
    private final NackGenerator nacks;
    /** Timer thread only. */
    private final int[] lostScratch;
    private final byte[] nackScratch;
    private final LongAdder retransmissionsReceived = new LongAdder();
    private final LongAdder nacksSent = new LongAdder();
    /** The audio level of an audio producer, or null. */
    private final AudioLevelMeter audioLevel;
    private final int audioLevelExtensionId;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder keyframeRequests = new LongAdder();
    private final byte[] pli = new byte[Pli.LENGTH];
    private final BitrateMeter bitrate = new BitrateMeter();

    private volatile Consumer[] consumers = new Consumer[0];
    // What forward() reads: the consumers without a lane, and the others by lane.
    private volatile Consumer[] inlineConsumers = new Consumer[0];
    private volatile LaneGroup[] laneGroups = new LaneGroup[0];
    private volatile boolean closed;

    /**
     * @param id unique in the room
     * @param ownerId the publishing participant's id
     * @param mid the m-section it arrives in on the publisher's transport
     * @param ssrc the publisher's SSRC for it, or {@link #UNKNOWN_SSRC} until {@link #bind}
     * @param rtxSsrc its RTX SSRC, or {@link #UNKNOWN_SSRC}
     * @param upstream the publisher's transport, for keyframe requests
     * @param feedbackSsrc sender SSRC of the RTCP the SFU sends to the publisher
     * @param keyframeIntervalNanos at most one keyframe request per this interval
     * @param timers runs deferred keyframe requests
     * @param metrics server-wide meters
     * @param audioLevelExtensionId id of the RFC 6464 audio level extension, 0 if not negotiated
     * @param capabilities the codecs negotiated (for RTX payload types and clock rates)
     * @param cachedPackets packets of a video stream kept for retransmission (x 1500 B of memory)
     * @param cacheAgeNanos older packets are not retransmitted: they would come too late to play
     */
    public Producer(String id, String ownerId, String mid, MediaKind kind, long ssrc, long rtxSsrc,
            PacketSink upstream, long feedbackSsrc, long keyframeIntervalNanos, ScheduledExecutorService timers,
            SfuMetrics metrics, MediaCapabilities capabilities, int cachedPackets, long cacheAgeNanos) {
        this.id = id;
        this.ownerId = ownerId;
        this.mid = mid;
        this.kind = kind;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.upstream = upstream;
        this.feedbackSsrc = feedbackSsrc;
        this.metrics = metrics;
        this.keyframes = new KeyframeRequester(keyframeIntervalNanos, timers, this::sendPli);
        this.capabilities = capabilities;
        this.audioLevelExtensionId = capabilities.extensionId(RtpHeaderExtension.AUDIO_LEVEL);
        this.clockRate = capabilities.codecs(kind).get(0).clockRate();
        boolean video = kind == MediaKind.VIDEO;
        this.cache = video ? new PacketCache(cachedPackets, cacheAgeNanos) : null;
        this.nacks = video ? new NackGenerator(NackGenerator.Config.DEFAULT) : null;
        this.lostScratch = video ? new int[MAX_NACKS_PER_PACKET] : null;
        this.nackScratch = video ? new byte[16 + 4 * MAX_NACKS_PER_PACKET] : null;
        this.audioLevel = kind == MediaKind.AUDIO && audioLevelExtensionId > 0 ? new AudioLevelMeter() : null;
    }

    public String id() {
        return id;
    }

    public String ownerId() {
        return ownerId;
    }

    public String mid() {
        return mid;
    }

    public MediaKind kind() {
        return kind;
    }

    public long ssrc() {
        return ssrc;
    }

    public long rtxSsrc() {
        return rtxSsrc;
    }

    /** True once the publisher's SSRC is known. */
    public boolean isBound() {
        return ssrc != UNKNOWN_SSRC;
    }

    /**
     * Sets the SSRCs of a producer announced before they were known. Consumers are not
     * affected: their own SSRCs and numbering carry on.
     */
    public void bind(long ssrc, long rtxSsrc) {
        this.rtxSsrc = rtxSsrc;
        this.ssrc = ssrc;
    }

    public boolean isClosed() {
        return closed;
    }

    /** A decrypted packet of this producer's main SSRC, to every consumer. */
    public void forward(byte[] buf, int off, int len, long receivedNanos) {
        packets.increment();
        bytes.add(len);
        int sequence = RtpPacket.sequenceNumber(buf, off);
        statistics.onPacket(sequence, RtpPacket.timestamp(buf, off), receivedNanos, clockRate, len);
        if (cache != null) {
            nacks.onPacket(sequence, receivedNanos);
            cache.put(buf, off, len, receivedNanos);
        }
        if (audioLevel != null) {
            long found = HeaderExtensions.find(buf, off, len, audioLevelExtensionId);
            if (found >= 0 && HeaderExtensions.dataLength(found) >= 1) {
                byte data = buf[HeaderExtensions.dataOffset(found)];
                audioLevel.onLevel(AudioLevel.level(data), AudioLevel.voiceActivity(data), receivedNanos);
            }
        }
        for (Consumer consumer : inlineConsumers) {
            consumer.send(buf, off, len, receivedNanos);
        }
        for (LaneGroup group : laneGroups) {
            group.lane().forward(buf, off, len, receivedNanos, group.consumers());
        }
    }

    /**
     * A packet of this producer's RTX stream (RFC 4588): a retransmission the SFU asked
     * for is restored and forwarded like the original; anything else (a retransmission
     * of a packet already forwarded, a bandwidth probe of padding only) is dropped.
     */
    public void forwardRetransmission(byte[] buf, int off, int len, long receivedNanos) {
        if (nacks == null || !isBound()) {
            return;
        }
        RtpCodec codec = capabilities.codecForPayloadType(RtpPacket.payloadType(buf, off));
        if (codec == null || codec.rtxPayloadType() != RtpPacket.payloadType(buf, off)) {
            return;
        }
        int restored = Rtx.unwrap(buf, off, len, ssrc, codec.payloadType());
        if (restored < 0) {
            return;
        }
        if (nacks.onPacket(RtpPacket.sequenceNumber(buf, off), receivedNanos)) {
            retransmissionsReceived.increment();
            forward(buf, off, restored, receivedNanos);
        }
    }

    /**
     * Copies a cached packet of this producer's own numbering into {@code dst}.
     *
     * @return its length, or -1 when it is not (or no longer) cached
     */
    public int cachedPacket(int sequence, byte[] dst, int dstOff, long nowNanos) {
        return cache == null ? -1 : cache.get(sequence, dst, dstOff, nowNanos);
    }

    /**
     * Sends the generic NACKs (RFC 4585 6.2.1) that are due for gaps in this stream, so
     * that upstream loss is repaired once for all receivers; asks for a keyframe when
     * too much went missing to repair. Called by the server's timer.
     */
    public void sendNacks(long nowNanos) {
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

    /** Sets the round-trip time to the publisher, which spaces NACK retries. */
    public void setRoundTripTime(long rttNanos) {
        if (nacks != null) {
            nacks.setRtt(rttNanos);
        }
    }

    public long retransmissionsReceived() {
        return retransmissionsReceived.sum();
    }

    public long nacksSent() {
        return nacksSent.sum();
    }

    /**
     * Asks the publisher for a keyframe (RFC 4585 6.3.1 PLI), at most once per configured
     * interval; a request inside the interval is sent at its end. A room of receivers
     * joining at once costs one or two keyframes, and none of them is left without one.
     *
     * @return true if a request was sent now, false if it was deferred or merged
     */
    public boolean requestKeyframe() {
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

    synchronized void addConsumer(Consumer consumer) {
        consumers = ArraySnapshots.with(consumers, consumer);
        groupByLane();
    }

    synchronized void removeConsumer(Consumer consumer) {
        consumers = ArraySnapshots.without(consumers, consumer);
        groupByLane();
    }

    /** The consumers of one lane, handed to it with each packet. */
    private record LaneGroup(ForwardingLane lane, Consumer[] consumers) {
    }

    /** Rebuilds the per-lane snapshots that {@link #forward} reads; on changes only. */
    private void groupByLane() {
        Map<ForwardingLane, List<Consumer>> byLane = new LinkedHashMap<>();
        List<Consumer> inline = new ArrayList<>();
        for (Consumer consumer : consumers) {
            if (consumer.lane() == null) {
                inline.add(consumer);
            } else {
                byLane.computeIfAbsent(consumer.lane(), lane -> new ArrayList<>()).add(consumer);
            }
        }
        LaneGroup[] groups = new LaneGroup[byLane.size()];
        int i = 0;
        for (Map.Entry<ForwardingLane, List<Consumer>> entry : byLane.entrySet()) {
            groups[i++] = new LaneGroup(entry.getKey(), entry.getValue().toArray(new Consumer[0]));
        }
        inlineConsumers = inline.toArray(new Consumer[0]);
        laneGroups = groups;
    }

    /** Its consumers, a snapshot. */
    public Consumer[] consumers() {
        return consumers.clone();
    }

    public int clockRate() {
        return clockRate;
    }

    /** Reception statistics (RFC 3550 A.1, A.3, A.8) of the publisher's stream. */
    public ReceiveStreamStatistics statistics() {
        return statistics;
    }

    /** The smoothed audio level in -dBov (127 = silence); silence for video. */
    public int audioLevel(long nowNanos) {
        return audioLevel == null ? AudioLevel.SILENCE : audioLevel.smoothedLevel(nowNanos);
    }

    public long packetCount() {
        return packets.sum();
    }

    public long byteCount() {
        return bytes.sum();
    }

    /** Bits per second received over the last sampling interval. */
    public long bitrate() {
        return bitrate.bitsPerSecond();
    }

    /** Takes a bitrate sample; called by the server's timer about once a second. */
    public void sampleBitrate(long nowNanos) {
        bitrate.sample(nowNanos, bytes.sum());
    }

    public long keyframeRequestCount() {
        return keyframeRequests.sum();
    }

    /** Stops forwarding. Its consumers are closed by the router. */
    public void close() {
        closed = true;
        keyframes.cancel();
        synchronized (this) {
            consumers = new Consumer[0];
            groupByLane();
        }
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind.sdpName() + " ssrc=" + ssrc + "]";
    }
}
