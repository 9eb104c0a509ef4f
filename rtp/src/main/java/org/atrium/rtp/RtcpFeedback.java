package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u32;

/**
 * The common header of RTCP feedback messages (RFC 4585 6.1). Accessors expect a packet accepted
 * by {@link RtcpIterator} or {@link RtcpCompound#validate}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                 :
 * </pre>
 */
public final class RtcpFeedback {
    public static final int HEADER_LENGTH = 12;

    private RtcpFeedback() {
    }

    /**
     * True when {@code [off, off + len)} holds a feedback message of this packet type and format
     * with at least {@code minFci} FCI bytes inside both its length field and {@code len}.
     */
    public static boolean is(byte[] b, int off, int len, int packetType, int format, int minFci) {
        return Bytes.inBounds(b, off, len)
            && len >= HEADER_LENGTH
            && RtcpHeader.version(b, off) == 2
            && RtcpHeader.packetType(b, off) == packetType
            && RtcpHeader.countOrFormat(b, off) == format
            && RtcpHeader.lengthInBytes(b, off) <= len
            && fciLength(b, off) >= minFci;
    }

    public static long senderSsrc(byte[] b, int off) {
        return u32(b, off + 4);
    }

    public static long mediaSsrc(byte[] b, int off) {
        return u32(b, off + 8);
    }

    /** Absolute index of the FCI. */
    public static int fciOffset(byte[] b, int off) {
        return off + HEADER_LENGTH;
    }

    /** FCI bytes, padding excluded. */
    public static int fciLength(byte[] b, int off) {
        return RtcpHeader.lengthInBytes(b, off) - HEADER_LENGTH - RtcpHeader.paddingLength(b, off);
    }

    /** Writes the 12-byte common header for a message of {@code lengthInBytes}. Returns 12. */
    public static int writeHeader(byte[] b, int off, int packetType, int format, int lengthInBytes,
                                  long senderSsrc, long mediaSsrc) {
        RtcpHeader.write(b, off, format, packetType, lengthInBytes);
        put32(b, off + 4, senderSsrc);
        put32(b, off + 8, mediaSsrc);
        return HEADER_LENGTH;
    }
}
