package org.atrium.rtp;

import static org.atrium.rtp.Bytes.u8;

/**
 * A compound RTCP packet: RTCP packets back to back (RFC 3550 6.1). The first packet is not
 * required to be SR or RR because browsers negotiate reduced-size RTCP (RFC 5506), whose packets
 * may be a lone feedback message.
 */
public final class RtcpCompound {
    private RtcpCompound() {
    }

    /** Returns null when every packet in the buffer is well-formed, otherwise why the first bad one is not. */
    public static PacketError validate(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len)) {
            return PacketError.OUT_OF_BOUNDS;
        }
        if (len == 0) {
            return PacketError.TOO_SHORT;
        }
        int end = off + len;
        for (int pos = off; pos < end; pos += RtcpHeader.lengthInBytes(b, pos)) {
            PacketError error = checkPacket(b, pos, end - pos);
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    /**
     * Checks the single packet starting at {@code pos} with {@code remaining} bytes left in the
     * compound: the common header, padding, and the minimum size its type needs so that the
     * views' fixed-position accessors stay inside it.
     */
    static PacketError checkPacket(byte[] b, int pos, int remaining) {
        if (remaining < RtcpHeader.LENGTH) {
            return PacketError.TOO_SHORT;
        }
        if (RtcpHeader.version(b, pos) != 2) {
            return PacketError.BAD_VERSION;
        }
        int type = RtcpHeader.packetType(b, pos);
        if (type < RtcpPacketType.MIN || type > RtcpPacketType.MAX) {
            return PacketError.BAD_RTCP_TYPE;
        }
        int length = RtcpHeader.lengthInBytes(b, pos);
        if (length > remaining) {
            return PacketError.BAD_RTCP_LENGTH;
        }
        int content = length;
        if (RtcpHeader.padding(b, pos)) {
            int padding = u8(b, pos + length - 1);
            if (padding == 0 || padding > length - RtcpHeader.LENGTH) {
                return PacketError.BAD_PADDING;
            }
            content -= padding;
        }
        int count = RtcpHeader.countOrFormat(b, pos);
        switch (type) {
            case RtcpPacketType.SR:
                return content >= SenderReport.MIN_LENGTH + ReportBlock.LENGTH * count ? null : PacketError.BAD_RTCP_LENGTH;
            case RtcpPacketType.RR:
                return content >= ReceiverReport.MIN_LENGTH + ReportBlock.LENGTH * count ? null : PacketError.BAD_RTCP_LENGTH;
            case RtcpPacketType.BYE:
                return content >= RtcpHeader.LENGTH + 4 * count ? null : PacketError.BAD_RTCP_LENGTH;
            case RtcpPacketType.RTPFB:
            case RtcpPacketType.PSFB:
                return content >= RtcpFeedback.HEADER_LENGTH ? null : PacketError.TRUNCATED_FEEDBACK;
            case RtcpPacketType.APP:
                // RFC 3550 6.7: header, SSRC and 4-character name.
                return content >= 12 ? null : PacketError.BAD_RTCP_LENGTH;
            default:
                return null;
        }
    }
}
