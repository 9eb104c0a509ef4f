package org.atrium.rtp.codec;

/**
 * The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 4.2), read in place.
 * Methods taking {@code payloadLen} check it; the others expect {@link #length} to have returned a
 * positive value.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   | (present when M = 1: 15-bit picture id)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The VP8 payload header (RFC 7741 4.3) follows at the start of partition 0; its lowest bit P is
 * 0 for a key frame.
 */
public final class Vp8PayloadDescriptor {
    private static final int X = 0x80;
    private static final int N = 0x20;
    private static final int S = 0x10;
    private static final int I = 0x80;
    private static final int L = 0x40;
    private static final int T = 0x20;
    private static final int K = 0x10;
    private static final int M = 0x80;

    private Vp8PayloadDescriptor() {
    }

    /** Bytes of descriptor before the VP8 payload, or -1 when the payload is too short to hold it. */
    public static int length(byte[] b, int payloadOff, int payloadLen) {
        if (payloadLen < 1) {
            return -1;
        }
        int n = 1;
        if ((b[payloadOff] & X) != 0) {
            if (payloadLen < 2) {
                return -1;
            }
            int ext = b[payloadOff + 1];
            n = 2;
            if ((ext & I) != 0) {
                if (payloadLen < n + 1) {
                    return -1;
                }
                n += (b[payloadOff + n] & M) != 0 ? 2 : 1;
            }
            if ((ext & L) != 0) {
                n++;
            }
            if ((ext & (T | K)) != 0) {
                n++;
            }
        }
        return n <= payloadLen ? n : -1;
    }

    public static boolean isStartOfPartition(byte[] b, int payloadOff) {
        return (b[payloadOff] & S) != 0;
    }

    /** Set when the frame is not used as a reference, so dropping it harms no other frame. */
    public static boolean isNonReference(byte[] b, int payloadOff) {
        return (b[payloadOff] & N) != 0;
    }

    public static int partitionIndex(byte[] b, int payloadOff) {
        return b[payloadOff] & 0x07;
    }

    /** The 7- or 15-bit picture id, or -1 when absent. */
    public static int pictureId(byte[] b, int payloadOff, int payloadLen) {
        if (length(b, payloadOff, payloadLen) < 0 || (b[payloadOff] & X) == 0 || (b[payloadOff + 1] & I) == 0) {
            return -1;
        }
        int first = b[payloadOff + 2] & 0xFF;
        if ((first & M) == 0) {
            return first;
        }
        return (first & 0x7F) << 8 | (b[payloadOff + 3] & 0xFF);
    }

    /** True when the picture id is 15 bits wide (M bit set); meaningful when {@link #pictureId} is not -1. */
    public static boolean hasLongPictureId(byte[] b, int payloadOff) {
        return (b[payloadOff + 2] & M) != 0;
    }

    /** TL0PICIDX, or -1 when absent. */
    public static int tl0PicIdx(byte[] b, int payloadOff, int payloadLen) {
        int at = optionalFieldOffset(b, payloadOff, payloadLen, L);
        return at < 0 ? -1 : b[at] & 0xFF;
    }

    /** The temporal layer index TID, or -1 when absent. */
    public static int temporalLayer(byte[] b, int payloadOff, int payloadLen) {
        int at = optionalFieldOffset(b, payloadOff, payloadLen, T);
        return at < 0 ? -1 : (b[at] & 0xFF) >>> 6;
    }

    /**
     * The layer sync bit Y (RFC 7741 4.2): set when this frame depends only on the base
     * layer, so a receiver may start decoding its temporal layer here. False when absent.
     */
    public static boolean isLayerSync(byte[] b, int payloadOff, int payloadLen) {
        int at = optionalFieldOffset(b, payloadOff, payloadLen, T);
        return at >= 0 && (b[at] & 0x20) != 0;
    }

    /** True for the first packet of a frame: S set and partition index 0 (RFC 7741 4.2). */
    public static boolean isBeginningOfFrame(byte[] b, int payloadOff) {
        return (b[payloadOff] & S) != 0 && (b[payloadOff] & 0x07) == 0;
    }

    /**
     * Overwrites the picture id in place, keeping its width: a 7-bit field takes the low
     * 7 bits, a 15-bit one the low 15. Does nothing when the descriptor has none.
     *
     * @return false when the descriptor has no picture id
     */
    public static boolean setPictureId(byte[] b, int payloadOff, int payloadLen, int pictureId) {
        if (pictureId(b, payloadOff, payloadLen) < 0) {
            return false;
        }
        int at = payloadOff + 2;
        if ((b[at] & M) != 0) {
            b[at] = (byte) (M | (pictureId >>> 8) & 0x7F);
            b[at + 1] = (byte) pictureId;
        } else {
            b[at] = (byte) (pictureId & 0x7F);
        }
        return true;
    }

    /** Overwrites TL0PICIDX in place; false when the descriptor has none. */
    public static boolean setTl0PicIdx(byte[] b, int payloadOff, int payloadLen, int tl0PicIdx) {
        int at = optionalFieldOffset(b, payloadOff, payloadLen, L);
        if (at < 0) {
            return false;
        }
        b[at] = (byte) tl0PicIdx;
        return true;
    }

    /** True for the first packet of a key frame: start of partition 0 and P clear in the VP8 payload header. */
    public static boolean isKeyframe(byte[] b, int payloadOff, int payloadLen) {
        int n = length(b, payloadOff, payloadLen);
        if (n < 0 || n >= payloadLen || !isStartOfPartition(b, payloadOff) || partitionIndex(b, payloadOff) != 0) {
            return false;
        }
        return (b[payloadOff + n] & 0x01) == 0;
    }

    /** Absolute index of the TL0PICIDX byte (flag L) or the TID/Y/KEYIDX byte (flag T), or -1 when absent. */
    private static int optionalFieldOffset(byte[] b, int payloadOff, int payloadLen, int flag) {
        if (length(b, payloadOff, payloadLen) < 0 || (b[payloadOff] & X) == 0) {
            return -1;
        }
        int ext = b[payloadOff + 1];
        if ((ext & flag) == 0) {
            return -1;
        }
        int at = payloadOff + 2;
        if ((ext & I) != 0) {
            at += (b[at] & M) != 0 ? 2 : 1;
        }
        if (flag == T && (ext & L) != 0) {
            at++;
        }
        return at;
    }
}
