package org.atrium.sctp.packet;

/**
 * The Supported Extensions parameter (RFC 5061 4.2.7): a list of chunk types, one byte each, that
 * the sender understands. WebRTC peers list FORWARD TSN (RFC 3758) and RE-CONFIG (RFC 6525).
 */
public final class SupportedExtensions {
    private SupportedExtensions() {
    }

    /** True when the parameter at {@code off} (of length field {@code len}) lists {@code chunkType}. */
    public static boolean lists(byte[] b, int off, int len, int chunkType) {
        for (int i = off + Parameter.HEADER_LENGTH; i < off + len; i++) {
            if (Bytes.u8(b, i) == chunkType) {
                return true;
            }
        }
        return false;
    }

    /** Writes the parameter listing {@code chunkTypes}, padded; returns the padded length. */
    public static int write(byte[] b, int off, int... chunkTypes) {
        Parameter.writeHeader(b, off, Parameter.SUPPORTED_EXTENSIONS, Parameter.HEADER_LENGTH + chunkTypes.length);
        for (int i = 0; i < chunkTypes.length; i++) {
            b[off + Parameter.HEADER_LENGTH + i] = (byte) chunkTypes[i];
        }
        return Chunk.pad(b, off, Parameter.HEADER_LENGTH + chunkTypes.length);
    }
}
