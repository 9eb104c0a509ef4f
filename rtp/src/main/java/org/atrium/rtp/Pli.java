package org.atrium.rtp;

/**
 * Picture Loss Indication (RFC 4585 6.3.1): a payload-specific feedback message with FMT 1 and
 * no FCI, asking the sender of the media SSRC for a keyframe.
 */
public final class Pli {
    public static final int LENGTH = RtcpFeedback.HEADER_LENGTH;

    private Pli() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return RtcpFeedback.is(b, off, len, RtcpPacketType.PSFB, RtcpPacketType.FMT_PLI, 0);
    }

    /** Writes a PLI; needs 12 bytes at {@code off}. Returns 12. */
    public static int write(byte[] b, int off, long senderSsrc, long mediaSsrc) {
        return RtcpFeedback.writeHeader(b, off, RtcpPacketType.PSFB, RtcpPacketType.FMT_PLI, LENGTH,
            senderSsrc, mediaSsrc);
    }
}
