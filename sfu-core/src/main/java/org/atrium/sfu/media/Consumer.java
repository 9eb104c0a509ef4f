package org.atrium.sfu.media;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;
import org.atrium.sfu.rtcp.SenderReportGenerator;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.srtp.SrtpSession;

/**
 * One receiver's copy of a {@link Producer}'s stream.
 *
 * <p>It owns its outgoing SSRC and its numbering, so that what the receiver sees stays one
 * continuous stream whatever happens upstream: a new publisher SSRC, a switch to another
 * simulcast encoding, temporal layers left out. Its {@link LayerSelector} picks what to
 * forward; {@link SequenceMap}s keep sequence numbers and VP8 picture ids free of the gaps
 * that packets left out would make, and rebase them, the timestamp and TL0PICIDX on a
 * switch so that the decoder sees neither a jump nor a step back. A history of what each
 * sent sequence number was lets NACKs be answered across switches. It starts paused and
 * is resumed once the receiver has accepted it in SDP, at which point it asks for a keyframe.
 *
 * <p>A consumer of another producer can take over a receiver's stream, SSRC and numbering
 * (a player following the active speaker): its first packet, a keyframe's, is numbered as
 * a switch of encoding is, right after the last one its predecessor sent
 * ({@link Router#connectContinuing}).
 *
 * <p>Threads: packets and retransmissions are handled by one thread at a time (the
 * receiver's forwarding lane, or the publisher's receive thread without lanes); the
 * history's ints are read by a NACK on another thread without lanes, and a cached packet
 * is checked against the sequence number it is read for.
 */
public final class Consumer {

    /** Every temporal layer, for {@link #setLayers}. */
    public static final int ALL_TEMPORAL_LAYERS = LayerSelector.ALL_TEMPORAL_LAYERS;

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
    /** The transport-wide sequence number element reserved in every packet, 0 for none. */
    private final int transportCcId;
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
    /**
     * The numbering this consumer continues, when it took over another's outgoing stream
     * ({@link Router#connectContinuing}); set before its first packet is numbered.
     */
    private volatile Continuation inherited;
    /** Whether its first packet must begin a keyframe: it continues a stream the receiver is decoding. */
    private volatile boolean keyframeStart;
    private volatile boolean resumed;
    private volatile boolean closed;
    private volatile boolean rtxEnabled;

    /** Sent sequence numbers remembered for NACKs: several seconds of a video stream. */
    private static final int HISTORY = 2048;
    private static final int HISTORY_MASK = HISTORY - 1;
    private static final long KEYFRAME_RETRY_NANOS = 500_000_000L;
    private static final int REWRITE_TOO_LARGE = -2;

    // Rewriting state, on the forwarding thread.
    private volatile LayerSelector selector;
    private final VideoPacket.Fields fields = new VideoPacket.Fields();
    /** Payload type -> {@link VideoPacket} format. */
    private final byte[] formats;
    private final SequenceMap sequences = new SequenceMap(16);
    private final SequenceMap pictureIds = new SequenceMap(15);
    private volatile boolean started;
    private long timestampDelta;
    private int tl0Delta;
    private boolean tl0Started;
    private long lastTimestamp;
    private int lastTl0PicIdx;
    private long lastSentNanos;
    private long lastKeyframeRequestNanos;
    /** Per sent sequence number & mask: that number, or -1; its source; what it was rewritten to. */
    private final int[] historySequence = new int[HISTORY];
    private final int[] historySource = new int[HISTORY];
    private final long[] historyTimestamp = new long[HISTORY];
    private final int[] historyPicture = new int[HISTORY];
    private final LongAdder layerDrops = new LongAdder();
    private final LongAdder layerSwitches = new LongAdder();

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
        this.transportCcId = capabilities.extensionId(RtpHeaderExtension.TRANSPORT_CC);
        this.senderReports = new SenderReportGenerator(producer.clockRate());
        this.selector = newSelector(producer);
        this.formats = VideoPacket.formats(capabilities);
        java.util.Arrays.fill(historySequence, -1);
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

    /** Whether retransmissions go as RTX (see {@link #setRtxEnabled}). */
    public boolean isRtxEnabled() {
        return rtxEnabled;
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
        requestKeyframe();
    }

    private static LayerSelector newSelector(Producer producer) {
        // A simulcast video starts on its lowest encoding: its first keyframe is small, and
        // the receiver's allocation raises it as soon as it knows the receiver's link.
        return producer.kind() == MediaKind.VIDEO ? new LayerSelector(!producer.isSimulcast(), 0) : null;
    }

    /** The producer's encodings changed before any was forwarded: start over with them. */
    void resetLayers() {
        LayerSelector current = selector;
        selector = keyframeStart && current != null ? new LayerSelector(false, clampSpatial(current.targetSpatial()))
                : newSelector(producer);
    }

    private int clampSpatial(int spatial) {
        return spatial == LayerSelector.NONE ? spatial : Math.max(0, Math.min(spatial, producer.streamCount() - 1));
    }

    /**
     * Where the receiver's stream stands after what this consumer sent: what a consumer
     * taking over its SSRC continues from. Sequence numbers, picture ids and TL0PICIDX are
     * the last ones sent; -1 when none was.
     *
     * @param started whether the receiver has been sent anything on this SSRC
     * @param lastSentNanos when the last packet was sent, on {@link System#nanoTime()}'s clock
     * @param nextRtxSequence the sequence number of the next RTX packet
     * @param packetsSent packets sent on the SSRC so far, which its Sender Reports count on
     *     (RFC 3550 6.4.1: the count is of the SSRC, not of one source forwarded on it)
     * @param octetsSent their payload octets
     */
    public record Continuation(boolean started, int lastSequence, long lastTimestamp, long lastSentNanos,
            boolean tl0Started, int lastTl0PicIdx, int lastPictureId, int nextRtxSequence, long packetsSent,
            long octetsSent) {

        /** Nothing sent yet: the next consumer starts from random points, as a first one does. */
        public static final Continuation NONE = new Continuation(false, -1, 0, 0, false, -1, -1, -1, 0, 0);
    }

    /**
     * Where the receiver's stream stands now (see {@link Continuation}); a consumer that has
     * sent nothing yet passes on what it inherited. Readable after {@link #close()}, but
     * only where its numbering is not moving: on the thread that forwards it, or once that
     * thread is known to have left it (see {@link Router#connectContinuing}).
     */
    public Continuation continuation() {
        if (!started) {
            Continuation from = inherited;
            return from != null ? from : Continuation.NONE;
        }
        return new Continuation(true, sequences.lastOutput(), lastTimestamp, lastSentNanos, tl0Started, lastTl0PicIdx,
                pictureIds.lastOutput(), rtxSequence.get() & 0xFFFF, senderReports.packetsSent(),
                senderReports.octetsSent());
    }

    /**
     * Makes this consumer, not yet attached, start as the continuation of a receiver's stream:
     * at a keyframe (the receiver is decoding the stream, so a delta frame of another source
     * would corrupt its picture), of the encoding {@code spatial} (clamped to the producer's;
     * {@link LayerSelector#NONE} to start paused).
     */
    void startAsContinuation(int spatial) {
        keyframeStart = true;
        if (producer.kind() == MediaKind.VIDEO) {
            selector = new LayerSelector(false, clampSpatial(spatial));
        }
    }

    /**
     * Takes over the numbering of the stream this consumer continues. Runs before its
     * first packet is numbered, on the thread that forwards to the receiver.
     */
    void inherit(Continuation from) {
        if (from.started()) {
            rtxSequence.set(from.nextRtxSequence());
            senderReports.continueCounts(from.packetsSent(), from.octetsSent());
        }
        inherited = from;
    }

    /** Asks the publisher for a keyframe of the encoding this receiver gets, or is switching to. */
    private void requestKeyframe() {
        LayerSelector selector = this.selector;
        if (selector == null) {
            return;
        }
        int target = selector.targetSpatial();
        int spatial = target != LayerSelector.NONE ? target : selector.currentSpatial();
        if (spatial != LayerSelector.NONE) {
            producer.requestKeyframe(spatial);
        }
    }

    /**
     * Sets what this receiver gets: an encoding (0 = the lowest; {@link LayerSelector#NONE}
     * pauses the video) and the highest temporal layer. A change of encoding takes effect
     * at its next keyframe, which is asked for now.
     */
    public void setLayers(int spatial, int temporal) {
        LayerSelector selector = this.selector;
        if (selector == null) {
            return;
        }
        int clamped = spatial == LayerSelector.NONE ? spatial
                : Math.max(0, Math.min(spatial, producer.streamCount() - 1));
        int before = selector.targetSpatial();
        selector.setTarget(clamped, temporal);
        if (clamped != before && clamped != LayerSelector.NONE && resumed) {
            producer.requestKeyframe(clamped);
        }
    }

    /** The encoding forwarded now (0 = the lowest), or -1 when none is (paused, or not started). */
    public int currentSpatialLayer() {
        return selector == null ? 0 : selector.currentSpatial();
    }

    /** The highest temporal layer forwarded now. */
    public int currentTemporalLayer() {
        return selector == null ? 0 : selector.currentTemporal();
    }

    /** The encoding this receiver should get, or -1 when its video is paused. */
    public int targetSpatialLayer() {
        return selector == null ? 0 : selector.targetSpatial();
    }

    /** The highest temporal layer this receiver should get. */
    public int targetTemporalLayer() {
        return selector == null ? 0 : selector.targetTemporal();
    }

    /** Packets of the forwarded encoding left out because of their temporal layer. */
    public long layerDropCount() {
        return layerDrops.sum();
    }

    /** Times the forwarded encoding changed (the first start included). */
    public long layerSwitchCount() {
        return layerSwitches.sum();
    }

    /**
     * Copies one of the producer's packets, from its encoding {@code streamIndex}, rewrites
     * it for this receiver and sends it, unless layer selection leaves it out. The source
     * bytes are not changed: other consumers read them after this one.
     */
    void send(int streamIndex, byte[] buf, int off, int len, long receivedNanos) {
        if (!resumed || closed) {
            return;
        }
        LayerSelector selector = this.selector;
        int format = VideoPacket.OTHER;
        LayerSelector.Decision decision;
        fields.clear();
        if (selector == null) {
            decision = started ? LayerSelector.Decision.FORWARD : LayerSelector.Decision.SWITCH;
        } else {
            format = VideoPacket.format(buf, off, formats);
            boolean parsed = format != VideoPacket.OTHER && VideoPacket.read(buf, off, len, format, fields);
            decision = selector.decide(streamIndex, parsed, fields.keyframe, fields.beginningOfFrame,
                    fields.temporalLayer, fields.layerSync);
        }
        switch (decision) {
            case IGNORE -> {
                if (selector.awaitsKeyframe() && streamIndex == selector.targetSpatial()
                        && receivedNanos - lastKeyframeRequestNanos > KEYFRAME_RETRY_NANOS) {
                    lastKeyframeRequestNanos = receivedNanos;
                    producer.requestKeyframe(streamIndex);
                }
                return;
            }
            case DROP -> {
                sequences.drop(RtpPacket.sequenceNumber(buf, off));
                if (fields.pictureId >= 0) {
                    pictureIds.drop(fields.pictureId);
                }
                layerDrops.increment();
                return;
            }
            case SWITCH -> rebase(streamIndex, buf, off, receivedNanos);
            case FORWARD -> {
                // numbered below
            }
        }
        byte[] out = SCRATCH.get();
        int n = rewrite(streamIndex, buf, off, len, format, out);
        if (n == REWRITE_TOO_LARGE) {
            dropped.increment();
            metrics.drop(DropReason.TOO_LARGE);
            return;
        }
        if (n < 0) {
            // Too old to number: a late packet from before a switch.
            dropped.increment();
            return;
        }
        lastSentNanos = receivedNanos;
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
     * Starts numbering a new source: the first stream from random points (RFC 3550 5.1,
     * so that nothing about the publisher's numbering leaks), a later one right after
     * what the receiver last got, its timestamp advanced by the time that passed.
     */
    private void rebase(int streamIndex, byte[] buf, int off, long receivedNanos) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long timestamp = RtpPacket.timestamp(buf, off);
        // Another consumer's stream carried on: its numbers are this one's "before".
        Continuation from = started ? null : inherited;
        boolean continues = from != null && from.started();
        if (continues) {
            lastTimestamp = from.lastTimestamp();
            lastSentNanos = from.lastSentNanos();
            tl0Started = from.tl0Started();
            lastTl0PicIdx = from.lastTl0PicIdx();
        }
        if (!started && !continues) {
            timestampDelta = (random.nextLong(1L << 32) - timestamp) & 0xFFFFFFFFL;
        } else {
            long elapsed = Math.max(1, (receivedNanos - lastSentNanos) * producer.clockRate() / 1_000_000_000L);
            timestampDelta = (lastTimestamp + elapsed - timestamp) & 0xFFFFFFFFL;
        }
        lastTimestamp = (timestamp + timestampDelta) & 0xFFFFFFFFL;
        // A map already started continues by itself; a new one continues the inherited numbers.
        sequences.rebase(RtpPacket.sequenceNumber(buf, off),
                continues ? from.lastSequence() + 1 : random.nextInt(1 << 15));
        if (fields.pictureId >= 0) {
            pictureIds.rebase(fields.pictureId,
                    continues && from.lastPictureId() >= 0 ? from.lastPictureId() + 1 : random.nextInt(1 << 15));
        }
        if (fields.tl0PicIdx >= 0) {
            int first = tl0Started ? lastTl0PicIdx + 1 : random.nextInt(256);
            tl0Delta = (first - fields.tl0PicIdx) & 0xFF;
            tl0Started = true;
        }
        senderReports.setTimestampOffset(timestampDelta);
        producer.stream(streamIndex).replaySenderReport(this);
        layerSwitches.increment();
        metrics.layerSwitched();
        started = true;
    }

    /**
     * Copies a packet of the producer into {@code out} as this receiver sees it: its
     * extensions remapped, its sequence number, timestamp, SSRC and VP8 picture numbering
     * this consumer's, and remembers what it became for NACKs.
     *
     * @return the length; {@link #REWRITE_TOO_LARGE} when it does not fit {@link #MAX_PACKET};
     *         -1 when its sequence number cannot be mapped
     */
    private int rewrite(int streamIndex, byte[] src, int off, int len, int format, byte[] out) {
        int sourceSequence = RtpPacket.sequenceNumber(src, off);
        int sequence = sequences.map(sourceSequence);
        if (sequence < 0) {
            return -1;
        }
        long timestamp = (RtpPacket.timestamp(src, off) + timestampDelta) & 0xFFFFFFFFL;
        int picture = -1;
        if (format == VideoPacket.VP8 && (fields.pictureId >= 0 || fields.tl0PicIdx >= 0)) {
            int pictureId = fields.pictureId >= 0 && pictureIds.isStarted() ? pictureIds.map(fields.pictureId) : -1;
            int tl0 = fields.tl0PicIdx >= 0 && tl0Started ? (fields.tl0PicIdx + tl0Delta) & 0xFF : -1;
            picture = packPicture(pictureId, tl0);
            if (tl0 >= 0) {
                lastTl0PicIdx = tl0;
            }
        }
        int n = copy(src, off, len, out, sequence, timestamp, format, picture);
        if (n < 0) {
            return REWRITE_TOO_LARGE;
        }
        if (isNewer(timestamp, lastTimestamp)) {
            lastTimestamp = timestamp;
        }
        int slot = sequence & HISTORY_MASK;
        historySequence[slot] = sequence;
        historySource[slot] = streamIndex << 16 | sourceSequence;
        historyTimestamp[slot] = timestamp;
        historyPicture[slot] = picture;
        return n;
    }

    /** A VP8 picture id (15 bits, or -1) and TL0PICIDX (8 bits, or -1) in one int; -1 for neither. */
    private static int packPicture(int pictureId, int tl0) {
        if (pictureId < 0 && tl0 < 0) {
            return -1;
        }
        return (pictureId < 0 ? 0xFFFF : pictureId) << 9 | (tl0 < 0 ? 0x100 : tl0);
    }

    /** Writes the receiver's copy of a packet with the numbering given; -1 when too large. */
    private int copy(byte[] src, int off, int len, byte[] out, int sequence, long timestamp, int format,
            int picture) {
        int n = len <= MAX_PACKET ? HeaderExtensions.copyWithExtensions(src, off, len, out, 0, extensionIdMap,
                transportCcId, TRANSPORT_CC_LENGTH) : -1;
        if (n < 0 || n > MAX_PACKET) {
            return -1;
        }
        RtpPacket.setSequenceNumber(out, 0, sequence);
        RtpPacket.setTimestamp(out, 0, timestamp);
        RtpPacket.setSsrc(out, 0, ssrc);
        if (format == VideoPacket.VP8 && picture >= 0) {
            int payloadOff = RtpPacket.payloadOffset(out, 0, n);
            int payloadLen = RtpPacket.payloadLength(out, 0, n);
            int pictureId = picture >>> 9;
            int tl0 = picture & 0x1FF;
            if (pictureId != 0xFFFF) {
                Vp8PayloadDescriptor.setPictureId(out, payloadOff, payloadLen, pictureId);
            }
            if (tl0 < 0x100) {
                Vp8PayloadDescriptor.setTl0PicIdx(out, payloadOff, payloadLen, tl0);
            }
        }
        return n;
    }

    /** Bytes of padding in one probe packet: the most one RTP padding count byte can say. */
    public static final int PROBE_PADDING = 255;
    private static final int TRANSPORT_CC_LENGTH = 2;

    /**
     * Sends one padding-only packet on this stream's RTX SSRC (RFC 3550 5.1 padding, as
     * libwebrtc probes): it carries nothing to decode, only bytes that congestion control
     * counts as part of a bandwidth probe. Call it where the receiver's packets are sent
     * (its lane, or any thread without lanes).
     *
     * @return false when the stream cannot carry padding (no RTX, nothing forwarded yet)
     */
    public boolean sendPadding(int cluster) {
        if (!rtxEnabled || !started || closed || transportCcId == 0) {
            return false;
        }
        RtpCodec codec = null;
        for (RtpCodec candidate : capabilities.codecs(producer.kind())) {
            if (candidate.hasRtx()) {
                codec = candidate;
                break;
            }
        }
        if (codec == null) {
            return false;
        }
        byte[] out = PADDING_SCRATCH.get();
        int n = RtpPacket.writeHeader(out, 0, false, codec.rtxPayloadType(), rtxSequence.getAndIncrement() & 0xFFFF,
                lastTimestamp, rtxSsrc);
        RtpPacket.setExtension(out, 0, true);
        // One-byte extension block with the transport-wide sequence number element, filled in
        // by the sender, then the padding whose last byte counts it.
        out[n++] = (byte) 0xBE;
        out[n++] = (byte) 0xDE;
        out[n++] = 0;
        out[n++] = 1;
        out[n++] = (byte) (transportCcId << 4 | (TRANSPORT_CC_LENGTH - 1));
        out[n++] = 0;
        out[n++] = 0;
        out[n++] = 0;
        java.util.Arrays.fill(out, n, n + PROBE_PADDING - 1, (byte) 0);
        n += PROBE_PADDING;
        out[n - 1] = (byte) PROBE_PADDING;
        RtpPacket.setPadding(out, 0, true);
        boolean sent = downstream.sendProbe(out, 0, n, cluster);
        if (sent) {
            bytes.add(n);
            metrics.paddingSent(producer.kind(), n);
        }
        return sent;
    }

    private static final ThreadLocal<byte[]> PADDING_SCRATCH =
            ThreadLocal.withInitial(() -> new byte[20 + PROBE_PADDING + SrtpSession.MAX_TRAILER]);

    /** Whether padding probes can go on this stream: RTX accepted and forwarding started. */
    public boolean canCarryPadding() {
        return rtxEnabled && started && !closed && transportCcId != 0;
    }

    private static boolean isNewer(long timestamp, long than) {
        long difference = (timestamp - than) & 0xFFFFFFFFL;
        return difference != 0 && difference < 0x80000000L;
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
        int slot = consumerSequence & HISTORY_MASK;
        int source = historySource[slot];
        long timestamp = historyTimestamp[slot];
        int picture = historyPicture[slot];
        if (historySequence[slot] != consumerSequence) {
            metrics.retransmissionMissed();
            return false;
        }
        byte[][] scratch = RETRANSMISSION_SCRATCH.get();
        byte[] cached = scratch[0];
        byte[] out = scratch[1];
        int length = producer.cachedPacket(source >>> 16, source & 0xFFFF, cached, 0, nowNanos);
        if (length < 0) {
            metrics.retransmissionMissed();
            return false;
        }
        byte[] rewritten = SCRATCH.get();
        int format = picture >= 0 ? VideoPacket.VP8 : VideoPacket.OTHER;
        int n = copy(cached, 0, length, rewritten, consumerSequence, timestamp, format, picture);
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

    /** The producer's sequence number for a sequence number this consumer sent, or -1 when not remembered. */
    public int toProducerSequence(int consumerSequence) {
        int slot = consumerSequence & HISTORY_MASK;
        return historySequence[slot] == consumerSequence ? historySource[slot] & 0xFFFF : -1;
    }

    /** The publisher's Sender Report about one of its encodings: used while that one is forwarded. */
    void onPublisherSenderReport(int streamIndex, long ntp, long rtpTimestamp, long nowNanos) {
        LayerSelector selector = this.selector;
        if (selector == null ? streamIndex == 0 : streamIndex == selector.currentSpatial()) {
            senderReports.onPublisherSenderReport(ntp, rtpTimestamp, nowNanos);
        }
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
        requestKeyframe();
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
