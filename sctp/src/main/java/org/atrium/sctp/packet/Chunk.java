package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put8;
import static org.atrium.sctp.packet.Bytes.u16;
import static org.atrium.sctp.packet.Bytes.u8;

/**
 * The chunk header every chunk starts with (RFC 9260 3.2). The length counts the header and the
 * value but not the padding to a multiple of 4 that follows.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                          Chunk Value                          /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Chunk {
    public static final int HEADER_LENGTH = 4;

    private Chunk() {
    }

    public static int type(byte[] b, int off) {
        return u8(b, off);
    }

    public static int flags(byte[] b, int off) {
        return u8(b, off + 1);
    }

    public static int length(byte[] b, int off) {
        return u16(b, off + 2);
    }

    /** Writes a chunk header; returns {@link #HEADER_LENGTH}. */
    public static int writeHeader(byte[] b, int off, int type, int flags, int length) {
        put8(b, off, type);
        put8(b, off + 1, flags);
        put16(b, off + 2, length);
        return HEADER_LENGTH;
    }

    /** Sets the length of a chunk whose variable part was written after its header. */
    public static void setLength(byte[] b, int off, int length) {
        put16(b, off + 2, length);
    }

    /** Zeroes the padding after a chunk of {@code length} bytes; returns the padded length. */
    public static int pad(byte[] b, int off, int length) {
        int padded = Bytes.pad4(length);
        for (int i = off + length; i < off + padded; i++) {
            b[i] = 0;
        }
        return padded;
    }
}
