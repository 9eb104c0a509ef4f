package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;

/**
 * DATA (RFC 9260 3.3.1). Flags: I (7.2.2 immediate SACK, RFC 7053), U unordered, B first fragment,
 * E last fragment. A DATA chunk with no user data is invalid (RFC 9260 6.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 0    |  Res  |I|U|B|E|           Length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              TSN                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Stream Identifier S      |   Stream Sequence Number n    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Payload Protocol Identifier                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                 User Data (seq n of Stream S)                 /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class DataChunk {
    public static final int HEADER_LENGTH = 16;
    public static final int FLAG_END = 0x01;
    public static final int FLAG_BEGIN = 0x02;
    public static final int FLAG_UNORDERED = 0x04;
    public static final int FLAG_IMMEDIATE = 0x08;

    private DataChunk() {
    }

    /** A DATA chunk of {@code len} bytes (its length field) with at least one byte of user data. */
    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len > HEADER_LENGTH && Chunk.type(b, off) == ChunkType.DATA
            && Chunk.length(b, off) == len;
    }

    public static int tsn(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static int streamId(byte[] b, int off) {
        return u16(b, off + 8);
    }

    public static int ssn(byte[] b, int off) {
        return u16(b, off + 10);
    }

    public static int ppid(byte[] b, int off) {
        return i32(b, off + 12);
    }

    public static boolean begin(byte[] b, int off) {
        return (Chunk.flags(b, off) & FLAG_BEGIN) != 0;
    }

    public static boolean end(byte[] b, int off) {
        return (Chunk.flags(b, off) & FLAG_END) != 0;
    }

    public static boolean unordered(byte[] b, int off) {
        return (Chunk.flags(b, off) & FLAG_UNORDERED) != 0;
    }

    public static int payloadOffset(int off) {
        return off + HEADER_LENGTH;
    }

    public static int payloadLength(byte[] b, int off) {
        return Chunk.length(b, off) - HEADER_LENGTH;
    }

    /** Writes a DATA chunk carrying {@code data[dOff, dOff + dLen)}, padded; returns the padded length. */
    public static int write(byte[] b, int off, int flags, int tsn, int streamId, int ssn, int ppid,
                            byte[] data, int dOff, int dLen) {
        Chunk.writeHeader(b, off, ChunkType.DATA, flags, HEADER_LENGTH + dLen);
        put32(b, off + 4, tsn);
        put16(b, off + 8, streamId);
        put16(b, off + 10, ssn);
        put32(b, off + 12, ppid);
        System.arraycopy(data, dOff, b, off + HEADER_LENGTH, dLen);
        return Chunk.pad(b, off, HEADER_LENGTH + dLen);
    }
}
