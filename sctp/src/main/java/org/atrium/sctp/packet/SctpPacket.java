package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;

import java.util.zip.CRC32C;

/**
 * The SCTP common header (RFC 9260 3.1) and its CRC32C checksum (RFC 9260 6.8, Appendix A).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Verification Tag                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Checksum                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The CRC is computed over the whole packet with the checksum field zero, and stored least
 * significant byte first: the bytes on the wire are the CRC register as the reflected algorithm
 * leaves it (checked against captured packets in SctpPacketTest).
 */
public final class SctpPacket {
    public static final int HEADER_LENGTH = 12;

    private SctpPacket() {
    }

    /** True when the bytes can hold a common header; chunks are checked by {@link ChunkIterator}. */
    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= HEADER_LENGTH;
    }

    public static int sourcePort(byte[] b, int off) {
        return u16(b, off);
    }

    public static int destinationPort(byte[] b, int off) {
        return u16(b, off + 2);
    }

    public static int verificationTag(byte[] b, int off) {
        return i32(b, off + 4);
    }

    /** The checksum as the wire carries it, big-endian (so 0xc06e8b36 for bytes c0 6e 8b 36). */
    public static int checksumField(byte[] b, int off) {
        return i32(b, off + 8);
    }

    public static boolean checksumValid(byte[] b, int off, int len) {
        return checksumField(b, off) == Integer.reverseBytes(crc32c(b, off, len));
    }

    public static void writeHeader(byte[] b, int off, int sourcePort, int destinationPort, int verificationTag) {
        put16(b, off, sourcePort);
        put16(b, off + 2, destinationPort);
        put32(b, off + 4, verificationTag);
        put32(b, off + 8, 0);
    }

    /** Fills in the checksum of the finished packet {@code b[off, off + len)}. */
    public static void seal(byte[] b, int off, int len) {
        put32(b, off + 8, 0);
        put32(b, off + 8, Integer.reverseBytes(crc32c(b, off, len)));
    }

    private static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(b, off + HEADER_LENGTH, len - HEADER_LENGTH);
        return (int) crc.getValue();
    }

    private static final byte[] ZEROS = new byte[4];
}
