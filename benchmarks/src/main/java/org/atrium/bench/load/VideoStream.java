package org.atrium.bench.load;

/**
 * VP8-like video: at each frame time a burst of packets carrying the frame's share of the
 * bitrate, payload up to {@link #MAX_PAYLOAD} bytes, RTP clock 90 kHz, the marker on the
 * last packet of a frame. Each payload starts with a VP8 payload descriptor (RFC 7741 4.2:
 * S bit on the frame's first packet, 15-bit picture id) and on the first packet the VP8
 * payload header whose P bit is clear on a keyframe, so that the SFU sees real keyframes.
 * A keyframe goes out first and after each {@link #requestKeyframe} (PLI or FIR).
 *
 * <p>A simulcast encoding (one with a RID) is L1T3, as libwebrtc encodes VP8 simulcast: its
 * descriptors also carry TL0PICIDX and the temporal layer, 0, 2, 1, 2 frame after frame, with
 * the layer sync bit ({@link Vp8L1T3}); the pattern restarts at each keyframe. A single
 * stream has no temporal layers, as libwebrtc's VP8 without simulcast.
 */
final class VideoStream extends SyntheticStream {

    static final int PAYLOAD_TYPE = 96;
    static final int RTX_PAYLOAD_TYPE = 97;
    static final int CLOCK_RATE = 90_000;
    static final int MAX_PAYLOAD = 1150;
    /** A keyframe is this many times an average frame, as real encoders' keyframes are. */
    static final int KEYFRAME_FACTOR = 4;

    private final long frameIntervalNanos;
    private final int frameBytes;
    private final int ticksPerFrame;
    private final boolean temporalLayers;
    private volatile boolean keyframeRequested = true;
    private volatile long keyframesSent;
    private int pictureId;
    private int tl0PicIdx;
    /** Frames since the last keyframe. */
    private long patternIndex;

    /** @param rid the RID of a simulcast encoding (L1T3), or null for a single stream */
    VideoStream(long ssrc, String mid, String rid, ExtensionIds ids, TransportSequence transportSequence,
            PacketSink sink, long seed, int bitrateKbps, int frameRate) {
        super(ssrc, PAYLOAD_TYPE, mid, rid, ids, transportSequence, sink, seed);
        this.frameIntervalNanos = 1_000_000_000L / frameRate;
        this.frameBytes = Math.max(MIN_PAYLOAD, (int) (bitrateKbps * 1000L / 8 / frameRate));
        this.ticksPerFrame = CLOCK_RATE / frameRate;
        this.temporalLayers = rid != null;
        this.pictureId = (int) (seed >>> 8) & 0x7FFF;
        this.tl0PicIdx = (int) (seed >>> 24) & 0xFF;
    }

    @Override
    void requestKeyframe() {
        keyframeRequested = true;
    }

    long keyframesSent() {
        return keyframesSent;
    }

    @Override
    long emit(long now) {
        boolean keyframe = keyframeRequested;
        if (keyframe) {
            keyframeRequested = false;
            keyframesSent++;
        }
        patternIndex = keyframe ? 0 : patternIndex + 1;
        int temporalLayer = Vp8L1T3.temporalLayer(patternIndex);
        boolean layerSync = keyframe || Vp8L1T3.layerSync(patternIndex);
        if (temporalLayers && temporalLayer == 0) {
            tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        }
        int bytes = keyframe ? frameBytes * KEYFRAME_FACTOR : frameBytes;
        int packets = Math.max(1, (bytes + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
        int perPacket = Math.max(MIN_PAYLOAD, bytes / packets);
        for (int i = 0; i < packets; i++) {
            boolean first = i == 0;
            boolean last = i == packets - 1;
            int payload = writeHeader(last, -1);
            if (temporalLayers) {
                Vp8L1T3.write(buf, payload, first, keyframe, pictureId, tl0PicIdx, temporalLayer, layerSync);
            } else {
                buf[payload] = (byte) (0x80 | (first ? 0x10 : 0)); // X, S on the first packet, PID 0
                buf[payload + 1] = (byte) 0x80; // I: a picture id follows
                buf[payload + 2] = (byte) (0x80 | (pictureId >>> 8)); // M: 15-bit picture id
                buf[payload + 3] = (byte) pictureId;
                // VP8 payload header (RFC 7741 4.3): P (bit 0) clear on a keyframe, show_frame set.
                buf[payload + 4] = (byte) (keyframe ? 0x10 : 0x11);
            }
            stampAndSend(payload, payload + perPacket);
        }
        pictureId = (pictureId + 1) & 0x7FFF;
        rtpTimestamp = (rtpTimestamp + ticksPerFrame) & 0xFFFFFFFFL;
        nextDueNanos += frameIntervalNanos;
        if (nextDueNanos < now - frameIntervalNanos) {
            nextDueNanos = now;
        }
        return nextDueNanos;
    }
}
