package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put24;
import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.s24;
import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

/**
 * One reception report block of an SR or RR (RFC 3550 6.4.1), addressed by its absolute offset.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class ReportBlock {
    public static final int LENGTH = 24;
    private static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    private static final int MIN_CUMULATIVE_LOST = -0x800000;

    private ReportBlock() {
    }

    public static long ssrc(byte[] b, int blockOff) {
        return u32(b, blockOff);
    }

    /** Fixed point with the binary point at the left edge: lost / expected * 256. */
    public static int fractionLost(byte[] b, int blockOff) {
        return u8(b, blockOff + 4);
    }

    /** Signed: duplicates can make it negative (RFC 3550 6.4.1). */
    public static int cumulativeLost(byte[] b, int blockOff) {
        return s24(b, blockOff + 5);
    }

    public static long highestSequence(byte[] b, int blockOff) {
        return u32(b, blockOff + 8);
    }

    /** In RTP timestamp units. */
    public static long jitter(byte[] b, int blockOff) {
        return u32(b, blockOff + 12);
    }

    /** The middle 32 bits of the NTP timestamp of the last SR received, 0 when none. */
    public static long lastSr(byte[] b, int blockOff) {
        return u32(b, blockOff + 16);
    }

    /** In units of 1/65536 seconds. */
    public static long delaySinceLastSr(byte[] b, int blockOff) {
        return u32(b, blockOff + 20);
    }

    /**
     * Writes a block; needs 24 bytes at {@code blockOff}. The cumulative loss saturates at the
     * 24-bit signed limits, as RFC 3550 6.4.1 asks. Returns 24.
     */
    public static int write(byte[] b, int blockOff, long ssrc, int fractionLost, int cumulativeLost,
                            long highestSequence, long jitter, long lastSr, long delaySinceLastSr) {
        put32(b, blockOff, ssrc);
        b[blockOff + 4] = (byte) fractionLost;
        put24(b, blockOff + 5, Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, cumulativeLost)));
        put32(b, blockOff + 8, highestSequence);
        put32(b, blockOff + 12, jitter);
        put32(b, blockOff + 16, lastSr);
        put32(b, blockOff + 20, delaySinceLastSr);
        return LENGTH;
    }
}
