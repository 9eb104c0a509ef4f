package org.atrium.sfu.transport;

import java.nio.charset.StandardCharsets;

/**
 * Reads the receiving agent's ufrag from a STUN Binding Request (RFC 8489 5, 14.3; RFC 8445
 * 7.2.2: USERNAME is "receiver-ufrag:sender-ufrag") without decoding the whole message, so
 * that a flood of junk from strangers costs a few comparisons each.
 */
final class StunUsername {

    private static final int HEADER = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int USERNAME = 0x0006;
    /** RFC 8489 14.3: at most 513 bytes. */
    private static final int MAX_USERNAME = 513;

    private StunUsername() {
    }

    /**
     * Whether this is a STUN message: RFC 7983's first byte, as {@link PacketClass} demultiplexes,
     * and RFC 8489's magic cookie. What the port gives ice4j instead of the session's handler.
     */
    static boolean isStun(byte[] b, int off, int len) {
        return len >= HEADER && PacketClass.of(b, off, len) == PacketClass.STUN && getInt(b, off + 4) == MAGIC_COOKIE;
    }

    /** The local ufrag a Binding Request names, or null when this is not one with a USERNAME. */
    static String localUfrag(byte[] b, int off, int len) {
        if (!isStun(b, off, len) || (((b[off] & 0xff) << 8) | (b[off + 1] & 0xff)) != BINDING_REQUEST) {
            return null;
        }
        int messageLength = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if ((messageLength & 3) != 0 || HEADER + messageLength > len) {
            return null;
        }
        int end = off + HEADER + messageLength;
        int at = off + HEADER;
        while (at + 4 <= end) {
            int type = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
            int length = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            int value = at + 4;
            if (value + length > end) {
                return null;
            }
            if (type == USERNAME) {
                if (length == 0 || length > MAX_USERNAME) {
                    return null;
                }
                int colon = value;
                while (colon < value + length && b[colon] != ':') {
                    colon++;
                }
                if (colon == value) {
                    return null;
                }
                return new String(b, value, colon - value, StandardCharsets.UTF_8);
            }
            at = value + ((length + 3) & ~3);
        }
        return null;
    }

    private static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
