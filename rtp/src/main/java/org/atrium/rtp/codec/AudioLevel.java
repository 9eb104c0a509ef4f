package org.atrium.rtp.codec;

/**
 * The client-to-mixer audio level header extension (RFC 6464 3): one data byte.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |V|   level     |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class AudioLevel {
    /** The level that means silence (digital silence is reported as 127). */
    public static final int SILENCE = 127;

    private AudioLevel() {
    }

    /** The sender's voice activity flag (meaningful when negotiated with vad=on). */
    public static boolean voiceActivity(byte data) {
        return (data & 0x80) != 0;
    }

    /** Level in -dBov, 0 (loudest) to 127 (silence). */
    public static int level(byte data) {
        return data & 0x7F;
    }

    public static byte encode(boolean voiceActivity, int level) {
        return (byte) ((voiceActivity ? 0x80 : 0) | Math.max(0, Math.min(SILENCE, level)));
    }
}
