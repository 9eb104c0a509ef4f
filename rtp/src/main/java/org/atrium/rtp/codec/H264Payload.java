package org.atrium.rtp.codec;

/**
 * Keyframe detection in H.264 RTP payloads (RFC 6184 5.6-5.8): a single NAL unit, a STAP-A
 * aggregate, or an FU-A fragment.
 *
 * <pre>
 * NAL unit header:   +---------------+      FU header:   +---------------+
 *                    |0|1|2|3|4|5|6|7|                   |0|1|2|3|4|5|6|7|
 *                    +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *                    |F|NRI|  Type   |                   |S|E|R|  Type   |
 *                    +---------------+                   +---------------+
 *
 * STAP-A: [NAL header, type 24] ([16-bit NALU size] [NAL unit]) ...
 * FU-A:   [FU indicator, type 28] [FU header] [fragment]
 * </pre>
 */
public final class H264Payload {
    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    private H264Payload() {
    }

    public static int nalType(byte[] b, int payloadOff) {
        return b[payloadOff] & 0x1F;
    }

    /**
     * True when the payload starts a key frame: an IDR slice or an SPS, directly, inside a STAP-A,
     * or as the first fragment of an FU-A. False for malformed payloads.
     */
    public static boolean isKeyframe(byte[] b, int payloadOff, int payloadLen) {
        if (payloadLen < 1) {
            return false;
        }
        int type = nalType(b, payloadOff);
        if (type == STAP_A) {
            int end = payloadOff + payloadLen;
            for (int pos = payloadOff + 1; pos + 2 < end; ) {
                int size = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
                if (size == 0 || pos + 2 + size > end) {
                    return false;
                }
                if (isKeyNal(nalType(b, pos + 2))) {
                    return true;
                }
                pos += 2 + size;
            }
            return false;
        }
        if (type == FU_A) {
            return payloadLen >= 2 && (b[payloadOff + 1] & 0x80) != 0 && isKeyNal(b[payloadOff + 1] & 0x1F);
        }
        return isKeyNal(type);
    }

    private static boolean isKeyNal(int type) {
        return type == NAL_IDR || type == NAL_SPS;
    }
}
