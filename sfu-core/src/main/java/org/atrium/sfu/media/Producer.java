package org.atrium.sfu.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.Rtx;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.sfu.rtcp.ReceiveStreamStatistics;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.util.ArraySnapshots;

/**
 * One incoming track of a participant, fanned out to its {@link Consumer}s. It arrives as
 * one RTP stream, or as several simulcast encodings of a video (RFC 8853), each a
 * {@link ReceiveStream} with its own SSRC, RTX, cache and statistics.
 *
 * <p>Each packet is decrypted once by the transport; {@link #forward} hands the same
 * bytes, with the index of the encoding they belong to, to every consumer, each of which
 * picks the encoding and temporal layers it forwards and copies what it must change.
 */
public final class Producer {

    private final String id;
    private final String ownerId;
    private final String mid;
    private final MediaKind kind;

    /** An SSRC not known yet; no packet matches it. */
    public static final long UNKNOWN_SSRC = ReceiveStream.UNKNOWN_SSRC;

    private volatile ReceiveStream[] streams;
    private final StreamFactory streamFactory;
    private final SfuMetrics metrics;
    private final int clockRate;
    private final MediaCapabilities capabilities;
    /** Payload type -> {@link VideoPacket} format. */
    private final byte[] formats;
    /** The audio level of an audio producer, or null. */
    private final AudioLevelMeter audioLevel;
    private final int audioLevelExtensionId;
    private final LongAdder bytes = new LongAdder();
    private final BitrateMeter bitrate = new BitrateMeter();

    private volatile Consumer[] consumers = new Consumer[0];
    // What forward() reads: the consumers without a lane, and the others by lane.
    private volatile Consumer[] inlineConsumers = new Consumer[0];
    private volatile LaneGroup[] laneGroups = new LaneGroup[0];
    private volatile Tap[] taps = new Tap[0];
    private volatile boolean closed;

    /**
     * Sees every packet of every encoding, as forwarded, and the publisher's Sender Reports:
     * a relay link that carries the whole track to another node. Called on the thread that
     * forwards (the publisher's receive thread); must not block.
     */
    public interface Tap {
        /** A packet of encoding {@code streamIndex}, in the publisher's numbering; the bytes are the caller's. */
        void onPacket(int streamIndex, byte[] buf, int off, int len, long receivedNanos);

        void onSenderReport(int streamIndex, long ntp, long rtpTimestamp);
    }

    /**
     * A track sent as one stream.
     *
     * @see #Producer(String, String, String, MediaKind, long, long, List, PacketSink, long, long,
     *      ScheduledExecutorService, SfuMetrics, MediaCapabilities, int, long)
     */
    public Producer(String id, String ownerId, String mid, MediaKind kind, long ssrc, long rtxSsrc,
            PacketSink upstream, long feedbackSsrc, long keyframeIntervalNanos, ScheduledExecutorService timers,
            SfuMetrics metrics, MediaCapabilities capabilities, int cachedPackets, long cacheAgeNanos) {
        this(id, ownerId, mid, kind, ssrc, rtxSsrc, List.of(), upstream, feedbackSsrc, keyframeIntervalNanos, timers,
                metrics, capabilities, cachedPackets, cacheAgeNanos);
    }

    /**
     * @param id unique in the room
     * @param ownerId the publishing participant's id
     * @param mid the m-section it arrives in on the publisher's transport
     * @param ssrc the publisher's SSRC of a single-stream track, or {@link #UNKNOWN_SSRC}
     *        until {@link #bind}; ignored with rids
     * @param rtxSsrc its RTX SSRC, or {@link #UNKNOWN_SSRC}
     * @param rids the simulcast encodings' RIDs from the lowest resolution up, or empty for
     *        a track sent as one stream; their SSRCs are learnt from the packets
     * @param upstream the publisher's transport, for keyframe requests
     * @param feedbackSsrc sender SSRC of the RTCP the SFU sends to the publisher
     * @param keyframeIntervalNanos at most one keyframe request per stream per this interval
     * @param timers runs deferred keyframe requests
     * @param metrics server-wide meters
     * @param capabilities the codecs negotiated (for RTX payload types and clock rates)
     * @param cachedPackets packets of a video stream kept for retransmission (x 1500 B of memory)
     * @param cacheAgeNanos older packets are not retransmitted: they would come too late to play
     */
    public Producer(String id, String ownerId, String mid, MediaKind kind, long ssrc, long rtxSsrc, List<String> rids,
            PacketSink upstream, long feedbackSsrc, long keyframeIntervalNanos, ScheduledExecutorService timers,
            SfuMetrics metrics, MediaCapabilities capabilities, int cachedPackets, long cacheAgeNanos) {
        this.id = id;
        this.ownerId = ownerId;
        this.mid = mid;
        this.kind = kind;
        this.metrics = metrics;
        this.capabilities = capabilities;
        this.formats = VideoPacket.formats(capabilities);
        this.audioLevelExtensionId = capabilities.extensionId(RtpHeaderExtension.AUDIO_LEVEL);
        this.clockRate = capabilities.codecs(kind).get(0).clockRate();
        this.audioLevel = kind == MediaKind.AUDIO && audioLevelExtensionId > 0 ? new AudioLevelMeter() : null;
        this.streamFactory = (index, rid, streamSsrc, streamRtxSsrc) -> new ReceiveStream(index, rid, kind, clockRate,
                streamSsrc, streamRtxSsrc, upstream, feedbackSsrc, keyframeIntervalNanos, timers, metrics, cachedPackets,
                cacheAgeNanos);
        this.streams = makeStreams(rids, ssrc, rtxSsrc);
    }

    private interface StreamFactory {
        ReceiveStream create(int index, String rid, long ssrc, long rtxSsrc);
    }

    private ReceiveStream[] makeStreams(List<String> rids, long ssrc, long rtxSsrc) {
        ReceiveStream[] made = new ReceiveStream[Math.max(1, rids.size())];
        for (int i = 0; i < made.length; i++) {
            String rid = rids.isEmpty() ? null : rids.get(i);
            made[i] = streamFactory.create(i, rid, rid == null ? ssrc : UNKNOWN_SSRC, rid == null ? rtxSsrc : UNKNOWN_SSRC);
        }
        return made;
    }

    /**
     * Changes how a track announced before the publisher's answer arrives: as simulcast
     * encodings (rids) or as one stream. Only while no encoding is bound, so no packet has
     * been forwarded; its consumers start over with the new layout, and the other
     * participants' negotiation of the track is unaffected.
     *
     * @return false when an encoding is bound already (replace the producer instead)
     */
    public synchronized boolean reshape(List<String> rids, long ssrc, long rtxSsrc) {
        if (isBound()) {
            return false;
        }
        ReceiveStream[] old = streams;
        streams = makeStreams(rids, ssrc, rtxSsrc);
        for (ReceiveStream stream : old) {
            stream.close();
        }
        for (Consumer consumer : consumers) {
            consumer.resetLayers();
        }
        return true;
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

    /** Its encodings, from the lowest resolution up; one for a track without simulcast. */
    public List<ReceiveStream> streams() {
        return List.of(streams);
    }

    /** The encoding at {@code index}. */
    public ReceiveStream stream(int index) {
        return streams[index];
    }

    public int streamCount() {
        return streams.length;
    }

    /** True when it is sent as simulcast encodings identified by RID. */
    public boolean isSimulcast() {
        return streams[0].rid() != null;
    }

    /** The SSRC of its first encoding (the only one without simulcast). */
    public long ssrc() {
        return streams[0].ssrc();
    }

    /** The RTX SSRC of its first encoding. */
    public long rtxSsrc() {
        return streams[0].rtxSsrc();
    }

    /** True once the SSRC of at least one encoding is known. */
    public boolean isBound() {
        for (ReceiveStream stream : streams) {
            if (stream.isBound()) {
                return true;
            }
        }
        return false;
    }

    /** The encoding whose main SSRC this is, or null. */
    public ReceiveStream streamBySsrc(long ssrc) {
        for (ReceiveStream stream : streams) {
            if (stream.ssrc() == ssrc) {
                return stream;
            }
        }
        return null;
    }

    /** The encoding whose RTX SSRC this is, or null. */
    public ReceiveStream streamByRtxSsrc(long ssrc) {
        for (ReceiveStream stream : streams) {
            if (stream.rtxSsrc() == ssrc) {
                return stream;
            }
        }
        return null;
    }

    /** The encoding with this RID, or null. */
    public ReceiveStream streamByRid(String rid) {
        for (ReceiveStream stream : streams) {
            if (rid.equals(stream.rid())) {
                return stream;
            }
        }
        return null;
    }

    /**
     * Sets the SSRCs of a single-stream producer announced before they were known.
     * Consumers are not affected: their own SSRCs and numbering carry on.
     */
    public void bind(long ssrc, long rtxSsrc) {
        streams[0].bindRtx(rtxSsrc);
        streams[0].bind(ssrc);
    }

    /** Binds an encoding's SSRC, learnt from the RID extension of its packets. */
    public void bindStream(ReceiveStream stream, long ssrc) {
        stream.bind(ssrc);
    }

    /** Binds an encoding's RTX SSRC, learnt from the repaired-RID extension. */
    public void bindRtxStream(ReceiveStream stream, long rtxSsrc) {
        stream.bindRtx(rtxSsrc);
    }

    public boolean isClosed() {
        return closed;
    }

    /** A decrypted packet of the track's first encoding, to every consumer. */
    public void forward(byte[] buf, int off, int len, long receivedNanos) {
        forward(streams[0], buf, off, len, receivedNanos);
    }

    /** A decrypted packet of one of its encodings, to every consumer. */
    public void forward(ReceiveStream stream, byte[] buf, int off, int len, long receivedNanos) {
        bytes.add(len);
        int temporalLayer = 0;
        if (kind == MediaKind.VIDEO) {
            int format = VideoPacket.format(buf, off, formats);
            temporalLayer = Math.max(0, VideoPacket.temporalLayer(buf, off, len, format));
            if (temporalLayer == 0 && format == VideoPacket.VP8) {
                int size = VideoPacket.vp8KeyframeSize(buf, off, len);
                if (size > 0) {
                    stream.setFrameSize(size >>> 16, size & 0xFFFF);
                }
            }
        }
        stream.onPacket(buf, off, len, receivedNanos, temporalLayer);
        if (audioLevel != null) {
            long found = HeaderExtensions.find(buf, off, len, audioLevelExtensionId);
            if (found >= 0 && HeaderExtensions.dataLength(found) >= 1) {
                byte data = buf[HeaderExtensions.dataOffset(found)];
                audioLevel.onLevel(AudioLevel.level(data), AudioLevel.voiceActivity(data), receivedNanos);
            }
        }
        int index = stream.index();
        for (Tap tap : taps) {
            tap.onPacket(index, buf, off, len, receivedNanos);
        }
        for (Consumer consumer : inlineConsumers) {
            consumer.send(index, buf, off, len, receivedNanos);
        }
        for (LaneGroup group : laneGroups) {
            group.lane().forward(index, buf, off, len, receivedNanos, group.consumers());
        }
    }

    /**
     * Which of its streams an SSRC names: {@code 2 * encoding} for an encoding's media stream,
     * {@code 2 * encoding + 1} for its RTX stream, -1 for none. For {@link #receive}, so that
     * a caller can count the packet before it is forwarded.
     */
    public int streamOf(long ssrc) {
        ReceiveStream[] current = streams;
        for (int i = 0; i < current.length; i++) {
            if (current[i].ssrc() == ssrc) {
                return 2 * i;
            }
            if (current[i].rtxSsrc() == ssrc) {
                return 2 * i + 1;
            }
        }
        return -1;
    }

    /** A decrypted packet of the stream {@link #streamOf} named: forwarded, or restored and forwarded. */
    public void receive(int stream, byte[] buf, int off, int len, long receivedNanos) {
        ReceiveStream encoding = streams[stream >>> 1];
        if ((stream & 1) == 0) {
            forward(encoding, buf, off, len, receivedNanos);
        } else {
            forwardRetransmission(encoding, buf, off, len, receivedNanos);
        }
    }

    /** True when the SSRC is one of its encodings', as media or RTX stream. */
    public boolean usesSsrc(long ssrc) {
        return streamOf(ssrc) >= 0;
    }

    /**
     * A packet of an encoding's RTX stream (RFC 4588): a retransmission the SFU asked
     * for is restored and forwarded like the original; anything else (a retransmission
     * of a packet already forwarded, a bandwidth probe of padding only) is dropped.
     */
    public void forwardRetransmission(ReceiveStream stream, byte[] buf, int off, int len, long receivedNanos) {
        if (kind != MediaKind.VIDEO || !stream.isBound()) {
            return;
        }
        RtpCodec codec = capabilities.codecForPayloadType(RtpPacket.payloadType(buf, off));
        if (codec == null || codec.rtxPayloadType() != RtpPacket.payloadType(buf, off)) {
            return;
        }
        int restored = Rtx.unwrap(buf, off, len, stream.ssrc(), codec.payloadType());
        if (restored < 0) {
            return;
        }
        if (stream.acceptRetransmission(RtpPacket.sequenceNumber(buf, off), receivedNanos)) {
            forward(stream, buf, off, restored, receivedNanos);
        }
    }

    /** As {@link #forwardRetransmission(ReceiveStream, byte[], int, int, long)} for the first encoding. */
    public void forwardRetransmission(byte[] buf, int off, int len, long receivedNanos) {
        forwardRetransmission(streams[0], buf, off, len, receivedNanos);
    }

    /**
     * Copies a cached packet of one encoding, in the publisher's numbering, into {@code dst}.
     *
     * @return its length, or -1 when it is not (or no longer) cached
     */
    public int cachedPacket(int streamIndex, int sequence, byte[] dst, int dstOff, long nowNanos) {
        return streams[streamIndex].cachedPacket(sequence, dst, dstOff, nowNanos);
    }

    /** As {@link #cachedPacket(int, int, byte[], int, long)} for the first encoding. */
    public int cachedPacket(int sequence, byte[] dst, int dstOff, long nowNanos) {
        return cachedPacket(0, sequence, dst, dstOff, nowNanos);
    }

    /**
     * Sends the generic NACKs (RFC 4585 6.2.1) that are due for gaps in its streams, so
     * that upstream loss is repaired once for all receivers; asks for a keyframe when
     * too much went missing to repair. Called by the server's timer.
     */
    public void sendNacks(long nowNanos) {
        if (closed) {
            return;
        }
        for (ReceiveStream stream : streams) {
            stream.sendNacks(nowNanos);
        }
    }

    /** Sets the round-trip time to the publisher, which spaces NACK retries. */
    public void setRoundTripTime(long rttNanos) {
        for (ReceiveStream stream : streams) {
            stream.setRoundTripTime(rttNanos);
        }
    }

    public long retransmissionsReceived() {
        long sum = 0;
        for (ReceiveStream stream : streams) {
            sum += stream.retransmissionsReceived();
        }
        return sum;
    }

    public long nacksSent() {
        long sum = 0;
        for (ReceiveStream stream : streams) {
            sum += stream.nacksSent();
        }
        return sum;
    }

    /**
     * Asks the publisher for a keyframe of every encoding it sends (RFC 4585 6.3.1 PLI),
     * at most once per configured interval each; a request inside the interval is sent at
     * its end. A room of receivers joining at once costs one or two keyframes, and none of
     * them is left without one.
     *
     * @return true if a request was sent now, false if it was deferred or merged
     */
    public boolean requestKeyframe() {
        boolean sent = false;
        for (ReceiveStream stream : streams) {
            if (stream.isBound() || streams.length == 1) {
                sent |= requestKeyframe(stream.index());
            }
        }
        return sent;
    }

    /** Asks for a keyframe of one encoding, throttled as {@link #requestKeyframe()}. */
    public boolean requestKeyframe(int streamIndex) {
        return !closed && streams[streamIndex].requestKeyframe();
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

    /** Reception statistics (RFC 3550 A.1, A.3, A.8) of its first encoding. */
    public ReceiveStreamStatistics statistics() {
        return streams[0].statistics();
    }

    /** The publisher's Sender Report about one of its streams. */
    public void onSenderReport(ReceiveStream stream, long ntp, long rtpTimestamp, long nowNanos) {
        stream.onSenderReport(ntp, rtpTimestamp, nowNanos);
        for (Consumer consumer : consumers) {
            consumer.onPublisherSenderReport(stream.index(), ntp, rtpTimestamp, nowNanos);
        }
        for (Tap tap : taps) {
            tap.onSenderReport(stream.index(), ntp, rtpTimestamp);
        }
    }

    public synchronized void addTap(Tap tap) {
        if (closed) {
            return;
        }
        Tap[] next = java.util.Arrays.copyOf(taps, taps.length + 1);
        next[taps.length] = tap;
        taps = next;
    }

    public synchronized void removeTap(Tap tap) {
        Tap[] current = taps;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == tap) {
                Tap[] next = new Tap[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                taps = next;
                return;
            }
        }
    }

    /** The smoothed audio level in -dBov (127 = silence); silence for video. */
    public int audioLevel(long nowNanos) {
        return audioLevel == null ? AudioLevel.SILENCE : audioLevel.smoothedLevel(nowNanos);
    }

    public long packetCount() {
        long sum = 0;
        for (ReceiveStream stream : streams) {
            sum += stream.packetCount();
        }
        return sum;
    }

    public long byteCount() {
        return bytes.sum();
    }

    /** Bits per second received over the last sampling interval, all encodings together. */
    public long bitrate() {
        return bitrate.bitsPerSecond();
    }

    /** Takes a bitrate sample; called by the server's timer about once a second. */
    public void sampleBitrate(long nowNanos) {
        bitrate.sample(nowNanos, bytes.sum());
        for (ReceiveStream stream : streams) {
            stream.sampleBitrate(nowNanos);
        }
    }

    public long keyframeRequestCount() {
        long sum = 0;
        for (ReceiveStream stream : streams) {
            sum += stream.keyframeRequestCount();
        }
        return sum;
    }

    /** Stops forwarding. Its consumers are closed by the router. */
    public void close() {
        closed = true;
        for (ReceiveStream stream : streams) {
            stream.close();
        }
        synchronized (this) {
            consumers = new Consumer[0];
            taps = new Tap[0];
            groupByLane();
        }
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind.sdpName() + " ssrc=" + ssrc()
                + (streams.length > 1 ? " encodings=" + streams.length : "") + "]";
    }
}
