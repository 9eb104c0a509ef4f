package org.atrium.sfu.media;

import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.H264Payload;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;

/**
 * What layer selection reads from a video packet, in place: the codec by payload type,
 * then the keyframe, frame start and temporal layer from its payload descriptor. VP8
 * carries temporal layers (RFC 7741 4.2); H264 simulcast has spatial layers only, so each
 * H264 packet is temporal layer 0 and its keyframes are IDR access units.
 */
final class VideoPacket {

    static final int OTHER = 0;
    static final int VP8 = 1;
    static final int H264 = 2;

    /** Temporal layer of a packet that names none: the base layer. */
    static final int BASE_LAYER = 0;

    private VideoPacket() {
    }

    /**
     * VP8, H264 or OTHER for each of the 128 payload types of the negotiated capabilities:
     * made once per producer and consumer, so that a packet's format is one array read.
     */
    static byte[] formats(MediaCapabilities capabilities) {
        byte[] formats = new byte[128];
        for (RtpCodec codec : capabilities.codecs()) {
            if (codec.name().equalsIgnoreCase("VP8")) {
                formats[codec.payloadType()] = VP8;
            } else if (codec.name().equalsIgnoreCase("H264")) {
                formats[codec.payloadType()] = H264;
            }
        }
        return formats;
    }

    /** The format of a packet, from a table of {@link #formats}. */
    static int format(byte[] buf, int off, byte[] formats) {
        return formats[RtpPacket.payloadType(buf, off)];
    }

    /** The temporal layer id of a packet of {@code format}, or -1 when it names none or is too short. */
    static int temporalLayer(byte[] buf, int off, int len, int format) {
        if (format != VP8) {
            return -1;
        }
        int payloadOff = RtpPacket.payloadOffset(buf, off, len);
        int payloadLen = RtpPacket.payloadLength(buf, off, len);
        return payloadLen > 0 ? Vp8PayloadDescriptor.temporalLayer(buf, payloadOff, payloadLen) : -1;
    }

    /**
     * Reads one packet into {@code into}; returns false when the payload is too short for
     * its codec's descriptor (such a packet is forwarded as it is, never switched on).
     */
    static boolean read(byte[] buf, int off, int len, int format, Fields into) {
        into.clear();
        int payloadOff = RtpPacket.payloadOffset(buf, off, len);
        int payloadLen = RtpPacket.payloadLength(buf, off, len);
        if (payloadLen <= 0) {
            return false;
        }
        if (format == VP8) {
            if (Vp8PayloadDescriptor.length(buf, payloadOff, payloadLen) < 0) {
                return false;
            }
            into.keyframe = Vp8PayloadDescriptor.isKeyframe(buf, payloadOff, payloadLen);
            into.beginningOfFrame = Vp8PayloadDescriptor.isBeginningOfFrame(buf, payloadOff);
            int tid = Vp8PayloadDescriptor.temporalLayer(buf, payloadOff, payloadLen);
            into.temporalLayer = tid < 0 ? BASE_LAYER : tid;
            into.layerSync = Vp8PayloadDescriptor.isLayerSync(buf, payloadOff, payloadLen);
            into.pictureId = Vp8PayloadDescriptor.pictureId(buf, payloadOff, payloadLen);
            into.tl0PicIdx = Vp8PayloadDescriptor.tl0PicIdx(buf, payloadOff, payloadLen);
            return true;
        }
        if (format == H264) {
            into.keyframe = H264Payload.isKeyframe(buf, payloadOff, payloadLen);
            into.beginningOfFrame = into.keyframe;
            return true;
        }
        return false;
    }

    /**
     * The frame size a VP8 keyframe's first packet declares (RFC 6386 9.1: after the 3-byte
     * frame tag, the start code 9d 01 2a, then 14-bit width and height), as
     * {@code width << 16 | height}; -1 for any other packet.
     */
    static int vp8KeyframeSize(byte[] buf, int off, int len) {
        int payloadOff = RtpPacket.payloadOffset(buf, off, len);
        int payloadLen = RtpPacket.payloadLength(buf, off, len);
        if (payloadLen <= 0 || !Vp8PayloadDescriptor.isKeyframe(buf, payloadOff, payloadLen)) {
            return -1;
        }
        int at = payloadOff + Vp8PayloadDescriptor.length(buf, payloadOff, payloadLen);
        if (payloadOff + payloadLen - at < 10 || (buf[at + 3] & 0xFF) != 0x9d || (buf[at + 4] & 0xFF) != 0x01
                || (buf[at + 5] & 0xFF) != 0x2a) {
            return -1;
        }
        int width = ((buf[at + 7] & 0x3F) << 8) | (buf[at + 6] & 0xFF);
        int height = ((buf[at + 9] & 0x3F) << 8) | (buf[at + 8] & 0xFF);
        return width << 16 | height;
    }

    /** One packet's layer fields; reused, one per forwarding thread. */
    static final class Fields {
        boolean keyframe;
        boolean beginningOfFrame;
        int temporalLayer;
        boolean layerSync;
        /** VP8 picture id, or -1. */
        int pictureId;
        /** VP8 TL0PICIDX, or -1. */
        int tl0PicIdx;

        void clear() {
            keyframe = false;
            beginningOfFrame = false;
            temporalLayer = BASE_LAYER;
            layerSync = false;
            pictureId = -1;
            tl0PicIdx = -1;
        }
    }
}
