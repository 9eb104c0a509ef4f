package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u16;
import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

/**
 * An RTP packet as a view over {@code (byte[] b, int off, int len)} (RFC 3550 section 5.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   defined by profile          |            length             |  (X=1, RFC 3550 5.3.1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 header extension (length 32-bit words)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  payload ...  | padding ... | padding count   |  (P=1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Accessors taking only {@code (b, off)} read the fixed header and need 12 bytes; the ones
 * taking {@code len} are meaningful only after {@link #validate} returned null.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    private RtpPacket() {
    }

    /** Returns null for a well-formed RTP packet, otherwise why it is not one. */
    public static PacketError validate(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len)) {
            return PacketError.OUT_OF_BOUNDS;
        }
        if (len < FIXED_HEADER_LENGTH) {
            return PacketError.TOO_SHORT;
        }
        if (version(b, off) != VERSION) {
            return PacketError.BAD_VERSION;
        }
        int header = FIXED_HEADER_LENGTH + 4 * csrcCount(b, off);
        if (header > len) {
            return PacketError.BAD_CSRC_COUNT;
        }
        if (hasExtension(b, off)) {
            if (header + 4 > len) {
                return PacketError.BAD_EXTENSION_LENGTH;
            }
            header += 4 + 4 * u16(b, off + header + 2);
            if (header > len) {
                return PacketError.BAD_EXTENSION_LENGTH;
            }
        }
        if (hasPadding(b, off)) {
            // RFC 3550 5.1: the last octet counts the padding, itself included.
            int padding = u8(b, off + len - 1);
            if (padding == 0 || padding > len - header) {
                return PacketError.BAD_PADDING;
            }
        }
        return null;
    }

    public static int version(byte[] b, int off) {
        return u8(b, off) >>> 6;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static int sequenceNumber(byte[] b, int off) {
        return u16(b, off + 2);
    }

    public static long timestamp(byte[] b, int off) {
        return u32(b, off + 4);
    }

    public static long ssrc(byte[] b, int off) {
        return u32(b, off + 8);
    }

    public static long csrc(byte[] b, int off, int i) {
        return u32(b, off + FIXED_HEADER_LENGTH + 4 * i);
    }

    /** Fixed header, CSRC list and the whole extension block (its 4-byte profile word included). */
    public static int headerLength(byte[] b, int off, int len) {
        int header = FIXED_HEADER_LENGTH + 4 * csrcCount(b, off);
        if (hasExtension(b, off)) {
            header += 4 + 4 * u16(b, off + header + 2);
        }
        return header;
    }

    public static int paddingLength(byte[] b, int off, int len) {
        return hasPadding(b, off) ? u8(b, off + len - 1) : 0;
    }

    /** Absolute index of the payload in {@code b}. */
    public static int payloadOffset(byte[] b, int off, int len) {
        return off + headerLength(b, off, len);
    }

    public static int payloadLength(byte[] b, int off, int len) {
        return len - headerLength(b, off, len) - paddingLength(b, off, len);
    }

    /** The 16-bit "defined by profile" field (0xBEDE, 0x100X for RFC 8285), or -1 when X is clear. */
    public static int extensionProfile(byte[] b, int off, int len) {
        if (!hasExtension(b, off)) {
            return -1;
        }
        return u16(b, off + FIXED_HEADER_LENGTH + 4 * csrcCount(b, off));
    }

    /** Absolute index of the extension data (after the profile/length word), or -1 when X is clear. */
    public static int extensionOffset(byte[] b, int off, int len) {
        if (!hasExtension(b, off)) {
            return -1;
        }
        return off + FIXED_HEADER_LENGTH + 4 * csrcCount(b, off) + 4;
    }

    /** Length in bytes of the extension data (after the profile/length word), or -1 when X is clear. */
    public static int extensionLength(byte[] b, int off, int len) {
        if (!hasExtension(b, off)) {
            return -1;
        }
        return 4 * u16(b, off + FIXED_HEADER_LENGTH + 4 * csrcCount(b, off) + 2);
    }

    public static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7F);
    }

    public static void setPayloadType(byte[] b, int off, int payloadType) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public static void setSequenceNumber(byte[] b, int off, int sequenceNumber) {
        put16(b, off + 2, sequenceNumber);
    }

    public static void setTimestamp(byte[] b, int off, long timestamp) {
        put32(b, off + 4, timestamp);
    }

    public static void setSsrc(byte[] b, int off, long ssrc) {
        put32(b, off + 8, ssrc);
    }

    public static void setExtension(byte[] b, int off, boolean extension) {
        b[off] = (byte) (extension ? b[off] | 0x10 : b[off] & ~0x10);
    }

    public static void setPadding(byte[] b, int off, boolean padding) {
        b[off] = (byte) (padding ? b[off] | 0x20 : b[off] & ~0x20);
    }

    /**
     * Writes a 12-byte fixed header with version 2, no padding, no extension and no CSRCs, as a
     * start for building packets (tests, load generation, probing). Returns 12.
     */
    public static int writeHeader(byte[] b, int off, boolean marker, int payloadType, int sequenceNumber,
                                  long timestamp, long ssrc) {
        b[off] = (byte) (VERSION << 6);
        b[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        put16(b, off + 2, sequenceNumber);
        put32(b, off + 4, timestamp);
        put32(b, off + 8, ssrc);
        return FIXED_HEADER_LENGTH;
    }
}
