package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;
import static org.atrium.sctp.packet.Bytes.u32;

/**
 * INIT (RFC 9260 3.3.2) and INIT ACK (3.3.3), which share their fixed part; parameters follow.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 1/2  |  Chunk Flags  |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Initiate Tag                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Advertised Receiver Window Credit (a_rwnd)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Number of Outbound Streams   |  Number of Inbound Streams    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Initial TSN                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \              Optional/Variable-Length Parameters              /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class InitChunk {
    public static final int FIXED_LENGTH = 20;

    private InitChunk() {
    }

    /** An INIT or INIT ACK ({@code type}) whose fixed part fits in {@code len}. */
    public static boolean is(byte[] b, int off, int len, int type) {
        return Bytes.inBounds(b, off, len) && len >= FIXED_LENGTH && Chunk.type(b, off) == type
            && Chunk.length(b, off) == len;
    }

    public static int initiateTag(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static long advertisedWindow(byte[] b, int off) {
        return u32(b, off + 8);
    }

    public static int outboundStreams(byte[] b, int off) {
        return u16(b, off + 12);
    }

    public static int inboundStreams(byte[] b, int off) {
        return u16(b, off + 14);
    }

    public static int initialTsn(byte[] b, int off) {
        return i32(b, off + 16);
    }

    public static int parametersOffset(int off) {
        return off + FIXED_LENGTH;
    }

    public static int parametersLength(byte[] b, int off) {
        return Chunk.length(b, off) - FIXED_LENGTH;
    }

    /** Writes the fixed part with a provisional length; append parameters, then {@link Chunk#setLength}. */
    public static int writeFixed(byte[] b, int off, int type, int initiateTag, long advertisedWindow,
                                 int outboundStreams, int inboundStreams, int initialTsn) {
        Chunk.writeHeader(b, off, type, 0, FIXED_LENGTH);
        put32(b, off + 4, initiateTag);
        put32(b, off + 8, advertisedWindow);
        put16(b, off + 12, outboundStreams);
        put16(b, off + 14, inboundStreams);
        put32(b, off + 16, initialTsn);
        return FIXED_LENGTH;
    }
}
