package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.u16;

/**
 * RTP retransmission payload format (RFC 4588 section 4), session-multiplexed as WebRTC uses it:
 * the retransmission stream has its own SSRC and payload type and its own sequence numbers, and
 * its payload is the original sequence number (OSN) followed by the original payload.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Marker, timestamp, CSRCs and header extensions are those of the original packet (RFC 4588
 * section 4). Stateless, allocation-free and thread-safe.
 */
public final class Rtx {
    /** Length of the original sequence number field that precedes the payload. */
    public static final int OSN_LENGTH = 2;

    /** {@link #wrap} or {@link #unwrap}: the input is not a well-formed packet, or does not fit. */
    public static final int MALFORMED = -1;

    /**
     * {@link #unwrap}: an RTX packet with no payload beyond its padding. Senders use these as
     * bandwidth probes (nothing to recover); the caller drops them after any congestion-control
     * accounting.
     */
    public static final int PADDING_ONLY = -2;

    private Rtx() {
    }

    /**
     * Builds the RTX packet for an original packet into {@code dst}: same header with the RTX
     * SSRC, payload type and sequence number, then the OSN, then the original payload.
     *
     * <p>The original padding is not carried: it belongs to the original packet's transmission
     * (alignment or probing), not to its content (RFC 3550 5.1), so the RTX packet has P clear.
     *
     * <p>{@code dst} may be {@code src} at the same offset, with 2 bytes of room after
     * {@code len}; any other overlap of the two regions is not supported.
     *
     * @return the RTX packet's length, or {@link #MALFORMED} when the original is not a valid RTP
     *     packet or {@code dst} has no room for it
     */
    public static int wrap(byte[] src, int off, int len, byte[] dst, int dstOff, long rtxSsrc, int rtxPayloadType,
                           int rtxSequence) {
        if (RtpPacket.validate(src, off, len) != null) {
            return MALFORMED;
        }
        int header = RtpPacket.headerLength(src, off, len);
        int payload = RtpPacket.payloadLength(src, off, len);
        int rtxLength = header + OSN_LENGTH + payload;
        if (!Bytes.hasRoom(dst, dstOff, rtxLength)) {
            return MALFORMED;
        }
        int osn = RtpPacket.sequenceNumber(src, off);
        // Payload first: when wrapping in place it moves 2 bytes right over itself (arraycopy copies
        // overlapping ranges as if through a temporary), and the header copy is then a no-op.
        System.arraycopy(src, off + header, dst, dstOff + header + OSN_LENGTH, payload);
        System.arraycopy(src, off, dst, dstOff, header);
        put16(dst, dstOff + header, osn);
        RtpPacket.setPadding(dst, dstOff, false);
        RtpPacket.setPayloadType(dst, dstOff, rtxPayloadType);
        RtpPacket.setSequenceNumber(dst, dstOff, rtxSequence & 0xFFFF);
        RtpPacket.setSsrc(dst, dstOff, rtxSsrc);
        return rtxLength;
    }

    /**
     * Turns an RTX packet back into the original packet, in place: the OSN becomes the sequence
     * number and is removed, and the SSRC and payload type become the original ones. Padding the
     * RTX packet carries is kept, still valid since it stays at the end.
     *
     * @return the restored packet's length ({@code len - 2}), {@link #PADDING_ONLY} for a packet
     *     with no payload beyond padding, or {@link #MALFORMED} when it is not a valid RTP packet or
     *     its payload is too short to hold an OSN
     */
    public static int unwrap(byte[] b, int off, int len, long originalSsrc, int originalPayloadType) {
        if (RtpPacket.validate(b, off, len) != null) {
            return MALFORMED;
        }
        int header = RtpPacket.headerLength(b, off, len);
        int payload = RtpPacket.payloadLength(b, off, len);
        if (payload == 0) {
            return PADDING_ONLY;
        }
        if (payload < OSN_LENGTH) {
            return MALFORMED;
        }
        int osn = u16(b, off + header);
        int from = off + header + OSN_LENGTH;
        System.arraycopy(b, from, b, off + header, off + len - from);
        RtpPacket.setSequenceNumber(b, off, osn);
        RtpPacket.setPayloadType(b, off, originalPayloadType);
        RtpPacket.setSsrc(b, off, originalSsrc);
        return len - OSN_LENGTH;
    }

    /** The original sequence number of a valid RTX packet that is not {@link #PADDING_ONLY}. */
    public static int originalSequenceNumber(byte[] b, int off, int len) {
        return u16(b, off + RtpPacket.headerLength(b, off, len));
    }
}
