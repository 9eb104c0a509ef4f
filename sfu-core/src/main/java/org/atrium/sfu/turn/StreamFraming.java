package org.atrium.sfu.turn;

/**
 * How TURN messages follow each other on a TCP or TLS stream (RFC 8656 12.5): each is either a
 * STUN message (first two bits 00; 20-byte header whose length field counts the attributes,
 * always a multiple of 4) or a ChannelData message (first two bits 01; 4-byte header whose length
 * counts the application data, padded to a multiple of 4 on a stream).
 *
 * <pre>
 *  STUN:         0 0 | type (14 bits) | length (16) | magic cookie | transaction id (96) | attributes
 *  ChannelData:  0 1 | channel (14)   | length (16) | data, padded to 4 bytes on a stream
 * </pre>
 */
final class StreamFraming {

    /** Bytes needed to know a message's length. */
    static final int HEADER = 4;
    static final int STUN_HEADER = 20;

    private StreamFraming() {}

    /**
     * The whole length on the stream of the message whose first four bytes are at {@code off}, or
     * -1 when those bytes start neither kind of message (the stream cannot be resynchronised).
     */
    static int messageLength(byte[] buf, int off) {
        int first = buf[off] & 0xFF;
        int length = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
        switch (first >>> 6) {
            case 0:
                return (length & 3) == 0 ? STUN_HEADER + length : -1;
            case 1:
                return HEADER + ((length + 3) & ~3);
            default:
                return -1;
        }
    }

    /** Whether the message at {@code off} is STUN by its first two bits (00); its first four bytes must be there. */
    static boolean isStun(byte[] buf, int off) {
        return (buf[off] & 0xC0) == 0;
    }

    /** Whether the STUN header at {@code off} carries the magic cookie (RFC 8489 5); its first eight bytes must be there. */
    static boolean hasMagicCookie(byte[] buf, int off) {
        return StunIntegrity.readInt(buf, off + 4) == StunScan.MAGIC_COOKIE;
    }

    /**
     * The length of the message itself, without the stream's padding: what the engine gets. The
     * padding of a ChannelData message is not part of it (RFC 8656 12.5).
     */
    static int unpaddedLength(byte[] buf, int off) {
        int first = buf[off] & 0xFF;
        int length = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
        return (first >>> 6) == 1 ? HEADER + length : STUN_HEADER + length;
    }
}
