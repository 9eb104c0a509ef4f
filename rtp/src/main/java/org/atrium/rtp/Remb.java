package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

/**
 * Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 2.2): application layer
 * feedback (PSFB, FMT 15) tagged "REMB". The media source SSRC of the common header is 0; the
 * SSRCs the estimate applies to follow the bitrate, which is mantissa * 2^exp bits per second.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ...                                                          |
 * </pre>
 */
public final class Remb {
    /** "REMB" in ASCII. */
    public static final long IDENTIFIER = 0x52454D42L;
    private static final int MAX_MANTISSA = (1 << 18) - 1;

    private Remb() {
    }

    /** True for a PSFB/AFB message tagged "REMB" whose SSRC list fits inside it. */
    public static boolean is(byte[] b, int off, int len) {
        return RtcpFeedback.is(b, off, len, RtcpPacketType.PSFB, RtcpPacketType.FMT_AFB, 8)
            && u32(b, off + 12) == IDENTIFIER
            && RtcpFeedback.fciLength(b, off) >= 8 + 4 * ssrcCount(b, off);
    }

    public static int ssrcCount(byte[] b, int off) {
        return u8(b, off + 16);
    }

    /** Bits per second; saturates at {@link Long#MAX_VALUE} for exponents that would overflow. */
    public static long bitrate(byte[] b, int off) {
        int exp = u8(b, off + 17) >>> 2;
        long mantissa = (b[off + 17] & 0x03L) << 16 | (u8(b, off + 18) << 8) | u8(b, off + 19);
        if (mantissa != 0 && exp > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }

    public static long ssrc(byte[] b, int off, int i) {
        return u32(b, off + 20 + 4 * i);
    }

    /**
     * Writes a REMB for {@code ssrcs[0, count)}. The bitrate is rounded down to 18 significant
     * bits. Returns the bytes written (20 + 4 * count), or -1 when count is outside 0..255 or the
     * message does not fit in {@code b}.
     */
    public static int write(byte[] b, int off, long senderSsrc, long bitrate, long[] ssrcs, int count) {
        int length = 20 + 4 * count;
        if (count < 0 || count > 255 || bitrate < 0 || !Bytes.hasRoom(b, off, length)) {
            return -1;
        }
        RtcpFeedback.writeHeader(b, off, RtcpPacketType.PSFB, RtcpPacketType.FMT_AFB, length, senderSsrc, 0);
        put32(b, off + 12, IDENTIFIER);
        int exp = 0;
        long mantissa = bitrate;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1;
            exp++;
        }
        put32(b, off + 16, (long) count << 24 | (long) exp << 18 | mantissa);
        for (int i = 0; i < count; i++) {
            put32(b, off + 20 + 4 * i, ssrcs[i]);
        }
        return length;
    }
}
