package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;

/**
 * FORWARD TSN (RFC 3758 3.2): the receiver moves its cumulative TSN to the new one, and for each
 * listed ordered stream skips the stream sequence numbers up to the one given.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      New Cumulative TSN                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Stream-1              |       Stream Sequence-1       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ForwardTsnChunk {
    public static final int FIXED_LENGTH = 8;

    private ForwardTsnChunk() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= FIXED_LENGTH && Chunk.type(b, off) == ChunkType.FORWARD_TSN
            && Chunk.length(b, off) == len && (len - FIXED_LENGTH) % 4 == 0;
    }

    public static int newCumulativeTsn(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static int streamCount(byte[] b, int off) {
        return (Chunk.length(b, off) - FIXED_LENGTH) / 4;
    }

    public static int streamId(byte[] b, int off, int i) {
        return u16(b, off + FIXED_LENGTH + 4 * i);
    }

    public static int ssn(byte[] b, int off, int i) {
        return u16(b, off + FIXED_LENGTH + 4 * i + 2);
    }

    /** Writes a FORWARD TSN listing {@code (streams[i], ssns[i])} for {@code i < count}; returns its length. */
    public static int write(byte[] b, int off, int newCumulativeTsn, int[] streams, int[] ssns, int count) {
        int len = FIXED_LENGTH + 4 * count;
        Chunk.writeHeader(b, off, ChunkType.FORWARD_TSN, 0, len);
        put32(b, off + 4, newCumulativeTsn);
        for (int i = 0; i < count; i++) {
            put16(b, off + FIXED_LENGTH + 4 * i, streams[i]);
            put16(b, off + FIXED_LENGTH + 4 * i + 2, ssns[i]);
        }
        return len;
    }
}
