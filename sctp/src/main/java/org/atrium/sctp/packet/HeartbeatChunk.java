package org.atrium.sctp.packet;

/**
 * HEARTBEAT (RFC 9260 3.3.5) and HEARTBEAT ACK (3.3.6): one Heartbeat Info parameter, opaque to
 * the receiver, which the ACK returns unchanged.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 4/5  | Chunk  Flags  |      Heartbeat Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \            Heartbeat Information TLV (Variable-Length)        /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class HeartbeatChunk {
    private HeartbeatChunk() {
    }

    /** A HEARTBEAT or HEARTBEAT ACK ({@code type}) that starts with a Heartbeat Info parameter inside it. */
    public static boolean is(byte[] b, int off, int len, int type) {
        if (!Bytes.inBounds(b, off, len) || len < Chunk.HEADER_LENGTH + Parameter.HEADER_LENGTH
            || Chunk.type(b, off) != type || Chunk.length(b, off) != len) {
            return false;
        }
        int p = off + Chunk.HEADER_LENGTH;
        return Parameter.type(b, p) == Parameter.HEARTBEAT_INFO && Parameter.length(b, p) >= Parameter.HEADER_LENGTH
            && Parameter.length(b, p) <= len - Chunk.HEADER_LENGTH;
    }

    /** The Heartbeat Info parameter (header included) starts here. */
    public static int infoParameterOffset(int off) {
        return off + Chunk.HEADER_LENGTH;
    }

    public static int infoOffset(int off) {
        return off + Chunk.HEADER_LENGTH + Parameter.HEADER_LENGTH;
    }

    public static int infoLength(byte[] b, int off) {
        return Parameter.length(b, off + Chunk.HEADER_LENGTH) - Parameter.HEADER_LENGTH;
    }

    /** Writes a HEARTBEAT or HEARTBEAT ACK carrying {@code info[iOff, iOff + iLen)}; returns the padded length. */
    public static int write(byte[] b, int off, int type, byte[] info, int iOff, int iLen) {
        int plen = Parameter.write(b, off + Chunk.HEADER_LENGTH, Parameter.HEARTBEAT_INFO, info, iOff, iLen);
        Chunk.writeHeader(b, off, type, 0, Chunk.HEADER_LENGTH + Parameter.HEADER_LENGTH + iLen);
        return Chunk.HEADER_LENGTH + plen;
    }
}
