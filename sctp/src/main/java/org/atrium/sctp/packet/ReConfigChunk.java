package org.atrium.sctp.packet;

/**
 * RE-CONFIG (RFC 6525 3.1): one or two re-configuration parameters (requests or responses), read
 * with a {@link ParameterIterator} over {@link #parametersOffset} and {@link #parametersLength}.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type = 130    |  Chunk Flags  |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                  Re-configuration Parameter                   /
 * \             Re-configuration Parameter (optional)             /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReConfigChunk {
    private ReConfigChunk() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= Chunk.HEADER_LENGTH + Parameter.HEADER_LENGTH
            && Chunk.type(b, off) == ChunkType.RE_CONFIG && Chunk.length(b, off) == len;
    }

    public static int parametersOffset(int off) {
        return off + Chunk.HEADER_LENGTH;
    }

    public static int parametersLength(byte[] b, int off) {
        return Chunk.length(b, off) - Chunk.HEADER_LENGTH;
    }

    /** Writes the header of a RE-CONFIG whose {@code parametersLength} bytes of parameters follow it. */
    public static int writeHeader(byte[] b, int off, int parametersLength) {
        return Chunk.writeHeader(b, off, ChunkType.RE_CONFIG, 0, Chunk.HEADER_LENGTH + parametersLength);
    }
}
