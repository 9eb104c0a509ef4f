package org.atrium.sctp.packet;

/**
 * COOKIE ECHO (RFC 9260 3.3.11): the State Cookie value from the INIT ACK, returned unchanged.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 10   |Chunk  Flags   |         Length                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                     Cookie                                    /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class CookieEchoChunk {
    private CookieEchoChunk() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= Chunk.HEADER_LENGTH && Chunk.type(b, off) == ChunkType.COOKIE_ECHO
            && Chunk.length(b, off) == len;
    }

    public static int cookieOffset(int off) {
        return off + Chunk.HEADER_LENGTH;
    }

    public static int cookieLength(byte[] b, int off) {
        return Chunk.length(b, off) - Chunk.HEADER_LENGTH;
    }

    public static int write(byte[] b, int off, byte[] cookie, int cOff, int cLen) {
        Chunk.writeHeader(b, off, ChunkType.COOKIE_ECHO, 0, Chunk.HEADER_LENGTH + cLen);
        System.arraycopy(cookie, cOff, b, off + Chunk.HEADER_LENGTH, cLen);
        return Chunk.pad(b, off, Chunk.HEADER_LENGTH + cLen);
    }
}
