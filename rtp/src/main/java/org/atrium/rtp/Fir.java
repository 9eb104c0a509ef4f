package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

/**
 * Full Intra Request (RFC 5104 4.3.1): payload-specific feedback with FMT 4. The media source SSRC
 * of the common header is unused (0); each FCI entry names the target SSRC. The sequence number
 * lets the media sender tell a repeated request from a new one.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SSRC                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Fir {
    public static final int ENTRY_LENGTH = 8;
    public static final int LENGTH_ONE_ENTRY = RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH;

    private Fir() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return RtcpFeedback.is(b, off, len, RtcpPacketType.PSFB, RtcpPacketType.FMT_FIR, ENTRY_LENGTH);
    }

    public static int entryCount(byte[] b, int off) {
        return RtcpFeedback.fciLength(b, off) / ENTRY_LENGTH;
    }

    public static long entrySsrc(byte[] b, int off, int i) {
        return u32(b, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i);
    }

    public static int entrySequence(byte[] b, int off, int i) {
        return u8(b, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i + 4);
    }

    /** Writes a FIR with one entry; needs 20 bytes at {@code off}. Returns 20. */
    public static int write(byte[] b, int off, long senderSsrc, long targetSsrc, int seqNr) {
        RtcpFeedback.writeHeader(b, off, RtcpPacketType.PSFB, RtcpPacketType.FMT_FIR, LENGTH_ONE_ENTRY, senderSsrc, 0);
        int entry = off + RtcpFeedback.HEADER_LENGTH;
        put32(b, entry, targetSsrc);
        put32(b, entry + 4, (long) (seqNr & 0xFF) << 24);
        return LENGTH_ONE_ENTRY;
    }
}
