package org.atrium.sfu.media;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.sfu.rtcp.ReceiveStreamStatistics;
import org.atrium.sfu.stats.SfuCounters;
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
    /** An SSRC not known yet; no packet matches it. */
    public static final long UNKNOWN_SSRC = -1;

    private volatile long ssrc;
    private volatile long rtxSsrc;
    private final PacketSink upstream;
    private final long feedbackSsrc;
    private final SfuCounters counters;
    private final KeyframeRequester keyframes;
    private final int clockRate;
    private final ReceiveStreamStatistics statistics = new ReceiveStreamStatistics();
    /** The audio level of an audio producer, or null. */
    private final AudioLevelMeter audioLevel;
    private final int audioLevelExtensionId;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder keyframeRequests = new LongAdder();
    private final byte[] pli = new byte[Pli.LENGTH];

    private volatile Consumer[] consumers = new Consumer[0];
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
     * @param counters server-wide counters
     * @param audioLevelExtensionId id of the RFC 6464 audio level extension, 0 if not negotiated
     * @param clockRate RTP clock rate of its codecs
     */
    public Producer(String id, String ownerId, String mid, MediaKind kind, long ssrc, long rtxSsrc,
            PacketSink upstream, long feedbackSsrc, long keyframeIntervalNanos, ScheduledExecutorService timers,
            SfuCounters counters, int audioLevelExtensionId, int clockRate) {
        this.id = id;
        this.ownerId = ownerId;
        this.mid = mid;
        this.kind = kind;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.upstream = upstream;
        this.feedbackSsrc = feedbackSsrc;
        this.counters = counters;
        this.keyframes = new KeyframeRequester(keyframeIntervalNanos, timers, this::sendPli);
        this.audioLevelExtensionId = audioLevelExtensionId;
        this.clockRate = clockRate;
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
        statistics.onPacket(RtpPacket.sequenceNumber(buf, off), RtpPacket.timestamp(buf, off), receivedNanos,
                clockRate, len);
        if (audioLevel != null) {
            long found = HeaderExtensions.find(buf, off, len, audioLevelExtensionId);
            if (found >= 0 && HeaderExtensions.dataLength(found) >= 1) {
                byte data = buf[HeaderExtensions.dataOffset(found)];
                audioLevel.onLevel(AudioLevel.level(data), AudioLevel.voiceActivity(data), receivedNanos);
            }
        }
        for (Consumer consumer : consumers) {
            consumer.send(buf, off, len);
        }
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
            counters.keyframeRequestSent();
        }
        return sent;
    }

    synchronized void addConsumer(Consumer consumer) {
        consumers = ArraySnapshots.with(consumers, consumer);
    }

    synchronized void removeConsumer(Consumer consumer) {
        consumers = ArraySnapshots.without(consumers, consumer);
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

    public long keyframeRequestCount() {
        return keyframeRequests.sum();
    }

    /** Stops forwarding. Its consumers are closed by the router. */
    public void close() {
        closed = true;
        keyframes.cancel();
        consumers = new Consumer[0];
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind.sdpName() + " ssrc=" + ssrc + "]";
    }
}
