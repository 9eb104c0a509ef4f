package org.atrium.sctp.packet;

import java.nio.charset.StandardCharsets;

/**
 * ABORT (RFC 9260 3.3.7). The T bit says the verification tag is the sender's own (reflected),
 * as when it has no association state. Zero or more error causes follow.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 6    |  Reserved   |T|           Length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \               Zero or more Error Causes                       /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class AbortChunk {
    public static final int FLAG_T = 0x01;

    private AbortChunk() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= Chunk.HEADER_LENGTH && Chunk.type(b, off) == ChunkType.ABORT
            && Chunk.length(b, off) == len;
    }

    public static boolean reflectedTag(byte[] b, int off) {
        return (Chunk.flags(b, off) & FLAG_T) != 0;
    }

    /**
     * A readable description of the first error cause, e.g. "user initiated abort: Close called",
     * or "no cause".
     */
    public static String describe(byte[] b, int off, int len) {
        ParameterIterator causes = new ParameterIterator().reset(b, off + Chunk.HEADER_LENGTH, len - Chunk.HEADER_LENGTH);
        if (!causes.next()) {
            return "no cause";
        }
        int code = causes.type();
        if (code == ErrorCause.USER_INITIATED_ABORT || code == ErrorCause.PROTOCOL_VIOLATION) {
            String text = new String(b, causes.valueOffset(), Math.min(causes.valueLength(), 256), StandardCharsets.UTF_8);
            return (code == ErrorCause.USER_INITIATED_ABORT ? "user initiated abort: " : "protocol violation: ") + text;
        }
        return "error cause " + code;
    }

    /** Writes an ABORT with one cause of {@code causeCode} and {@code text} as its value; returns the padded length. */
    public static int write(byte[] b, int off, boolean reflectedTag, int causeCode, byte[] text) {
        int clen = Parameter.write(b, off + Chunk.HEADER_LENGTH, causeCode, text, 0, text.length);
        Chunk.writeHeader(b, off, ChunkType.ABORT, reflectedTag ? FLAG_T : 0,
            Chunk.HEADER_LENGTH + Parameter.HEADER_LENGTH + text.length);
        return Chunk.HEADER_LENGTH + clen;
    }
}
