package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;
import static org.atrium.sctp.packet.Bytes.u32;

/**
 * SACK (RFC 9260 3.3.4). Gap block bounds are offsets from the cumulative TSN ack; duplicate TSNs
 * follow the gap blocks.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 3    |Chunk  Flags   |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Cumulative TSN Ack                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Advertised Receiver Window Credit (a_rwnd)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Gap Ack Block #1 Start     |     Gap Ack Block #1 End      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Duplicate TSN 1..M                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class SackChunk {
    public static final int FIXED_LENGTH = 16;

    private SackChunk() {
    }

    /** A SACK whose gap blocks and duplicate TSNs fit in its length {@code len}. */
    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= FIXED_LENGTH && Chunk.type(b, off) == ChunkType.SACK
            && Chunk.length(b, off) == len && FIXED_LENGTH + 4 * (gapCount(b, off) + duplicateCount(b, off)) <= len;
    }

    public static int cumulativeTsnAck(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static long advertisedWindow(byte[] b, int off) {
        return u32(b, off + 8);
    }

    public static int gapCount(byte[] b, int off) {
        return u16(b, off + 12);
    }

    public static int duplicateCount(byte[] b, int off) {
        return u16(b, off + 14);
    }

    /** Start of gap block {@code i}, as an offset from the cumulative TSN ack. */
    public static int gapStart(byte[] b, int off, int i) {
        return u16(b, off + FIXED_LENGTH + 4 * i);
    }

    public static int gapEnd(byte[] b, int off, int i) {
        return u16(b, off + FIXED_LENGTH + 4 * i + 2);
    }

    public static int duplicateTsn(byte[] b, int off, int i) {
        return i32(b, off + FIXED_LENGTH + 4 * (gapCount(b, off) + i));
    }

    /**
     * Writes a SACK with gap blocks {@code (gapStarts[i], gapEnds[i])} for {@code i < gaps} and
     * {@code dups} duplicate TSNs; returns its length (a multiple of 4).
     */
    public static int write(byte[] b, int off, int cumulativeTsnAck, long advertisedWindow,
                            int[] gapStarts, int[] gapEnds, int gaps, int[] duplicates, int dups) {
        int len = FIXED_LENGTH + 4 * (gaps + dups);
        Chunk.writeHeader(b, off, ChunkType.SACK, 0, len);
        put32(b, off + 4, cumulativeTsnAck);
        put32(b, off + 8, advertisedWindow);
        put16(b, off + 12, gaps);
        put16(b, off + 14, dups);
        int at = off + FIXED_LENGTH;
        for (int i = 0; i < gaps; i++, at += 4) {
            put16(b, at, gapStarts[i]);
            put16(b, at + 2, gapEnds[i]);
        }
        for (int i = 0; i < dups; i++, at += 4) {
            put32(b, at, duplicates[i]);
        }
        return len;
    }
}
