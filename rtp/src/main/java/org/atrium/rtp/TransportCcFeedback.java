package org.atrium.rtp;

import static org.atrium.rtp.Bytes.s24;
import static org.atrium.rtp.Bytes.u16;
import static org.atrium.rtp.Bytes.u8;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * 3.1): transport-layer feedback with FMT 15. This view reads the fixed fields; the packet status
 * chunks and receive deltas follow them at {@link #CHUNKS_OFFSET}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 reference time                | fb pkt. count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          packet chunk         |         packet chunk          |
 * :                               :                               :
 * |         recv delta            |  recv delta   | zero padding  |
 * </pre>
 */
public final class TransportCcFeedback {
    public static final int CHUNKS_OFFSET = RtcpFeedback.HEADER_LENGTH + 8;
    /** The reference time counts multiples of 64 ms (section 3.1). */
    public static final long REFERENCE_TIME_UNIT_MICROS = 64_000;

    private TransportCcFeedback() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return RtcpFeedback.is(b, off, len, RtcpPacketType.RTPFB, RtcpPacketType.FMT_TRANSPORT_CC, 8);
    }

    public static int baseSequence(byte[] b, int off) {
        return u16(b, off + 12);
    }

    public static int packetStatusCount(byte[] b, int off) {
        return u16(b, off + 14);
    }

    /** Signed 24-bit, in units of 64 ms. */
    public static int referenceTime(byte[] b, int off) {
        return s24(b, off + 16);
    }

    public static long referenceTimeMicros(byte[] b, int off) {
        return referenceTime(b, off) * REFERENCE_TIME_UNIT_MICROS;
    }

    /** Counts feedback messages sent, modulo 256, so the media sender can detect lost feedback. */
    public static int feedbackPacketCount(byte[] b, int off) {
        return u8(b, off + 19);
    }
}
