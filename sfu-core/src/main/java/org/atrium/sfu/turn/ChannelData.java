package org.atrium.sfu.turn;

/**
 * ChannelData messages (RFC 8656 12.4): application data to or from a bound peer behind a
 * 4-byte header instead of a 36-byte Send or Data indication.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Channel Number        |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                       Application Data                        /
 * </pre>
 */
final class ChannelData {

    static final int HEADER = 4;
    static final int MIN_CHANNEL = 0x4000;
    /**
     * RFC 8656 11 narrowed the range to 0x4000-0x4FFF so that ChannelData can share a port with
     * DTLS and RTP (RFC 7983); RFC 5766 allowed up to 0x7FFF, and clients still use it (coturn's
     * turnutils do). A TURN server's own port carries nothing else, so both are taken here.
     */
    static final int MAX_CHANNEL = 0x7FFF;

    private ChannelData() {
    }

    /** RFC 8656 12 (and RFC 5766 11): first two bits 01 are a ChannelData message; STUN starts 00. */
    static boolean isChannelData(byte[] buf, int off, int len) {
        return len >= HEADER && (buf[off] & 0xC0) == 0x40;
    }

    static int channel(byte[] buf, int off) {
        return StunIntegrity.readShort(buf, off);
    }

    /** The Length field, or -1 when the message is shorter than it says (RFC 8656 12.6: discard). */
    static int dataLength(byte[] buf, int off, int len) {
        int length = StunIntegrity.readShort(buf, off + 2);
        return HEADER + length <= len ? length : -1;
    }

    static boolean validChannel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /**
     * A new ChannelData message carrying {@code len} bytes; padded to a multiple of four over a
     * stream, where the next message must start aligned (RFC 8656 12.5); not over UDP, where it may be left out.
     */
    static byte[] write(int channel, byte[] buf, int off, int len, boolean stream) {
        int size = HEADER + (stream ? (len + 3) & ~3 : len);
        byte[] out = new byte[size];
        StunIntegrity.writeShort(out, 0, channel);
        StunIntegrity.writeShort(out, 2, len);
        System.arraycopy(buf, off, out, HEADER, len);
        return out;
    }
}
