package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u32;

/**
 * Sender report (RFC 3550 6.4.1). Report blocks follow the sender info; read them with
 * {@link ReportBlock} at {@link #reportBlockOffset}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (24 bytes each)                 |
 * </pre>
 */
public final class SenderReport {
    /** Header, sender SSRC and sender info: an SR without report blocks. */
    public static final int MIN_LENGTH = 28;

    private SenderReport() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= MIN_LENGTH
            && RtcpHeader.packetType(b, off) == RtcpPacketType.SR
            && RtcpHeader.lengthInBytes(b, off) <= len
            && RtcpHeader.lengthInBytes(b, off) >= MIN_LENGTH + ReportBlock.LENGTH * reportCount(b, off);
    }

    public static long senderSsrc(byte[] b, int off) {
        return u32(b, off + 4);
    }

    /** The 64-bit NTP timestamp: seconds since 1900 in the high word, the fraction in the low word. */
    public static long ntpTimestamp(byte[] b, int off) {
        return u32(b, off + 8) << 32 | u32(b, off + 12);
    }

    /** The middle 32 bits of the NTP timestamp, echoed as LSR in report blocks (RFC 3550 6.4.1). */
    public static long compactNtp(byte[] b, int off) {
        return (ntpTimestamp(b, off) >>> 16) & 0xFFFFFFFFL;
    }

    public static long rtpTimestamp(byte[] b, int off) {
        return u32(b, off + 16);
    }

    public static long packetCount(byte[] b, int off) {
        return u32(b, off + 20);
    }

    public static long octetCount(byte[] b, int off) {
        return u32(b, off + 24);
    }

    public static int reportCount(byte[] b, int off) {
        return RtcpHeader.countOrFormat(b, off);
    }

    public static int reportBlockOffset(byte[] b, int off, int i) {
        return off + MIN_LENGTH + ReportBlock.LENGTH * i;
    }

    /**
     * Writes the header and sender info of an SR carrying {@code reportCount} (0..31) blocks, which
     * the caller then writes with {@link ReportBlock#write} at {@link #reportBlockOffset}. Returns
     * the whole length (28 + 24 * reportCount), or -1 when it does not fit in {@code b}.
     */
    public static int write(byte[] b, int off, long senderSsrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount, int reportCount) {
        int length = MIN_LENGTH + ReportBlock.LENGTH * reportCount;
        if (reportCount < 0 || reportCount > 31 || !Bytes.hasRoom(b, off, length)) {
            return -1;
        }
        RtcpHeader.write(b, off, reportCount, RtcpPacketType.SR, length);
        put32(b, off + 4, senderSsrc);
        put32(b, off + 8, ntpTimestamp >>> 32);
        put32(b, off + 12, ntpTimestamp);
        put32(b, off + 16, rtpTimestamp);
        put32(b, off + 20, packetCount);
        put32(b, off + 24, octetCount);
        return length;
    }
}
