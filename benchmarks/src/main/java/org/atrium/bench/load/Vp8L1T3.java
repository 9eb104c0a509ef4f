package org.atrium.bench.load;

/**
 * The VP8 payload descriptor (RFC 7741 4.2) of a stream with three temporal layers and one
 * spatial layer (L1T3), as libwebrtc sends each simulcast encoding: a 15-bit picture id,
 * TL0PICIDX, and TID with the layer sync bit Y. Frames follow the pattern TID 0, 2, 1, 2;
 * frames 1 and 2 of it reference the base layer only, so they carry Y. A keyframe is TID 0
 * with Y, and restarts the pattern. Shared by the load generator and the JMH benchmarks.
 *
 * <pre>
 *   X|S|PID   I|L|T   M|PictureID(15)   TL0PICIDX   TID|Y|KEYIDX   [VP8 payload header]
 * </pre>
 */
public final class Vp8L1T3 {

    /** Bytes of the descriptor written by {@link #write}. */
    public static final int DESCRIPTOR_LENGTH = 6;
    /** Frames in the temporal pattern. */
    public static final int PATTERN = 4;
    private static final int[] TEMPORAL_LAYER = {0, 2, 1, 2};

    private Vp8L1T3() {
    }

    /** The temporal layer of frame {@code index} of the pattern (counted from the last keyframe). */
    public static int temporalLayer(long index) {
        return TEMPORAL_LAYER[(int) (index & (PATTERN - 1))];
    }

    /** Whether frame {@code index} of the pattern references the base layer only (Y bit). */
    public static boolean layerSync(long index) {
        int at = (int) (index & (PATTERN - 1));
        return at == 1 || at == 2;
    }

    /**
     * Writes the descriptor at {@code at}, and on the first packet of a frame the one-byte
     * VP8 payload header after it (P clear on a keyframe, show_frame set).
     *
     * @return bytes written: {@link #DESCRIPTOR_LENGTH}, plus 1 on a frame's first packet
     */
    public static int write(byte[] b, int at, boolean startOfFrame, boolean keyframe, int pictureId, int tl0PicIdx,
            int temporalLayer, boolean layerSync) {
        b[at] = (byte) (0x80 | (startOfFrame ? 0x10 : 0)); // X, S, partition 0
        b[at + 1] = (byte) 0xE0; // I, L, T
        b[at + 2] = (byte) (0x80 | (pictureId >>> 8) & 0x7F); // M: 15-bit picture id
        b[at + 3] = (byte) pictureId;
        b[at + 4] = (byte) tl0PicIdx;
        b[at + 5] = (byte) (temporalLayer << 6 | (layerSync ? 0x20 : 0));
        if (!startOfFrame) {
            return DESCRIPTOR_LENGTH;
        }
        b[at + DESCRIPTOR_LENGTH] = (byte) (keyframe ? 0x10 : 0x11);
        return DESCRIPTOR_LENGTH + 1;
    }
}
