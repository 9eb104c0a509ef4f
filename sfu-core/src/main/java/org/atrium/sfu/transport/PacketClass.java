package org.atrium.sfu.transport;

/**
 * What a datagram on the shared 5-tuple carries, from its first byte (RFC 7983 7) and,
 * for RTP versus RTCP, its second (RFC 5761 4).
 */
enum PacketClass {
    STUN,
    DTLS,
    RTP,
    RTCP,
    UNKNOWN;

    static PacketClass of(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int first = buf[off] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (len < 2) {
                return UNKNOWN;
            }
            int second = buf[off + 1] & 0xFF;
            // RTCP packet types 192-223 appear here; RTP payload types 64-95 are never
            // used, so the marker bit plus payload type cannot fall in that range.
            return second >= 192 && second <= 223 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
