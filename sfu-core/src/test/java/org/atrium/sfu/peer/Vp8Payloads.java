package org.atrium.sfu.peer;

import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;

/**
 * VP8 RTP payloads as the tests write them: the payload descriptor (RFC 7741 4.2) with a
 * 15-bit picture id, TL0PICIDX and TID, then the payload header (4.3) and a 640x360 key
 * frame's start code; and the descriptor fields they read back from a whole RTP packet.
 */
public final class Vp8Payloads {

    /** The descriptor (6 bytes), then the payload header, start code and size (10 bytes). */
    public static final int FRAME_START_LENGTH = 16;

    private Vp8Payloads() {
    }

    /**
     * Writes the start of a frame that begins in this packet at {@code off}; the bytes after it
     * are left as they are. Returns the offset after it.
     */
    public static int writeFrameStart(byte[] buf, int off, int pictureId, int tl0PicIdx, int tid, boolean layerSync,
            boolean keyframe) {
        int p = off;
        buf[p++] = (byte) 0x90; // X, S, partition 0
        buf[p++] = (byte) 0xE0; // I, L, T
        buf[p++] = (byte) (0x80 | pictureId >> 8);
        buf[p++] = (byte) pictureId;
        buf[p++] = (byte) tl0PicIdx;
        buf[p++] = (byte) (tid << 6 | (layerSync ? 0x20 : 0));
        // VP8 payload header: P clear for a keyframe, then the start code and 640x360.
        buf[p++] = (byte) (keyframe ? 0x00 : 0x01);
        buf[p++] = 0;
        buf[p++] = 0;
        buf[p++] = (byte) 0x9d;
        buf[p++] = 0x01;
        buf[p++] = 0x2a;
        buf[p++] = (byte) 0x80;
        buf[p++] = 0x02;
        buf[p++] = 0x68;
        buf[p++] = 0x01;
        return p;
    }

    /** The picture id of a whole RTP packet's VP8 payload. */
    public static int pictureId(byte[] packet) {
        int off = RtpPacket.payloadOffset(packet, 0, packet.length);
        return Vp8PayloadDescriptor.pictureId(packet, off, packet.length - off);
    }

    /** The TL0PICIDX of a whole RTP packet's VP8 payload. */
    public static int tl0PicIdx(byte[] packet) {
        int off = RtpPacket.payloadOffset(packet, 0, packet.length);
        return Vp8PayloadDescriptor.tl0PicIdx(packet, off, packet.length - off);
    }

    /** The temporal layer (TID) of a whole RTP packet's VP8 payload. */
    public static int temporalLayer(byte[] packet) {
        int off = RtpPacket.payloadOffset(packet, 0, packet.length);
        return Vp8PayloadDescriptor.temporalLayer(packet, off, packet.length - off);
    }
}
