package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u32;

/**
 * Receiver report (RFC 3550 6.4.2): the SR without sender info. Report blocks are read with
 * {@link ReportBlock} at {@link #reportBlockOffset}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (24 bytes each)                 |
 * </pre>
 */
public final class ReceiverReport {
    /** Header and sender SSRC: an empty RR. */
    public static final int MIN_LENGTH = 8;

    private ReceiverReport() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= MIN_LENGTH
            && RtcpHeader.packetType(b, off) == RtcpPacketType.RR
            && RtcpHeader.lengthInBytes(b, off) <= len
            && RtcpHeader.lengthInBytes(b, off) >= MIN_LENGTH + ReportBlock.LENGTH * reportCount(b, off);
    }

    public static long senderSsrc(byte[] b, int off) {
        return u32(b, off + 4);
    }

    public static int reportCount(byte[] b, int off) {
        return RtcpHeader.countOrFormat(b, off);
    }

    public static int reportBlockOffset(byte[] b, int off, int i) {
        return off + MIN_LENGTH + ReportBlock.LENGTH * i;
    }

    /**
     * Writes the header of an RR carrying {@code reportCount} (0..31) blocks, which the caller then
     * writes with {@link ReportBlock#write} at {@link #reportBlockOffset}. Returns the whole
     * length (8 + 24 * reportCount), or -1 when it does not fit in {@code b}.
     */
    public static int write(byte[] b, int off, long senderSsrc, int reportCount) {
        int length = MIN_LENGTH + ReportBlock.LENGTH * reportCount;
        if (reportCount < 0 || reportCount > 31 || !Bytes.hasRoom(b, off, length)) {
            return -1;
        }
        RtcpHeader.write(b, off, reportCount, RtcpPacketType.RR, length);
        put32(b, off + 4, senderSsrc);
        return length;
    }
}
