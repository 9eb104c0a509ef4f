package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.u16;
import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

/**
 * The header common to all RTCP packets (RFC 3550 6.4.1), and the sender SSRC that follows it in
 * every type the SFU handles.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |    length (32-bit words - 1)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtcpHeader {
    public static final int LENGTH = 4;

    private RtcpHeader() {
    }

    /**
     * RFC 5761 4 / RFC 7983: a packet in the RTP/RTCP range whose second byte is an RTCP packet
     * type (192..223) is RTCP; otherwise it is RTP (payload types 64..95 must not be used).
     */
    public static boolean looksLikeRtcp(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len) || len < LENGTH || (b[off] & 0xC0) != 0x80) {
            return false;
        }
        int type = u8(b, off + 1);
        return type >= RtcpPacketType.MIN && type <= RtcpPacketType.MAX;
    }

    public static int version(byte[] b, int off) {
        return u8(b, off) >>> 6;
    }

    public static boolean padding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    /** RC, SC or FMT depending on the packet type. */
    public static int countOrFormat(byte[] b, int off) {
        return b[off] & 0x1F;
    }

    public static int packetType(byte[] b, int off) {
        return u8(b, off + 1);
    }

    /** The whole packet, header and padding included. */
    public static int lengthInBytes(byte[] b, int off) {
        return (u16(b, off + 2) + 1) * 4;
    }

    public static long senderSsrc(byte[] b, int off) {
        return u32(b, off + 4);
    }

    /** Padding octets at the end of this packet (RFC 3550 6.4.1), 0 when P is clear. */
    public static int paddingLength(byte[] b, int off) {
        return padding(b, off) ? u8(b, off + lengthInBytes(b, off) - 1) : 0;
    }

    /** Writes a header without padding. Returns 4. */
    public static int write(byte[] b, int off, int countOrFormat, int packetType, int lengthInBytes) {
        b[off] = (byte) (0x80 | (countOrFormat & 0x1F));
        b[off + 1] = (byte) packetType;
        put16(b, off + 2, lengthInBytes / 4 - 1);
        return LENGTH;
    }
}
