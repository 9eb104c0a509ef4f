package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put32;

/**
 * SHUTDOWN (RFC 9260 3.3.8): the sender's cumulative TSN ack. SHUTDOWN ACK (8), COOKIE ACK (11)
 * and SHUTDOWN COMPLETE (14, whose T bit means as in ABORT) are a bare chunk header.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 7    | Chunk  Flags  |      Length = 8               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Cumulative TSN Ack                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ShutdownChunk {
    public static final int LENGTH = 8;

    private ShutdownChunk() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len == LENGTH && Chunk.type(b, off) == ChunkType.SHUTDOWN
            && Chunk.length(b, off) == LENGTH;
    }

    public static int cumulativeTsnAck(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static int write(byte[] b, int off, int cumulativeTsnAck) {
        Chunk.writeHeader(b, off, ChunkType.SHUTDOWN, 0, LENGTH);
        put32(b, off + 4, cumulativeTsnAck);
        return LENGTH;
    }
}
