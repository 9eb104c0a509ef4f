package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;

import java.nio.charset.StandardCharsets;

/**
 * Source description (RFC 3550 6.5). Iterate its chunks and items with {@link SdesIterator}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |  chunk 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    CNAME=1    |     length    | user and domain name        ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ... END=0 and null octets to the next 32-bit boundary         |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class Sdes {
    public static final int END = 0;
    public static final int CNAME = 1;

    private Sdes() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= RtcpHeader.LENGTH
            && RtcpHeader.packetType(b, off) == RtcpPacketType.SDES
            && RtcpHeader.lengthInBytes(b, off) <= len;
    }

    public static int chunkCount(byte[] b, int off) {
        return RtcpHeader.countOrFormat(b, off);
    }

    /**
     * The first CNAME in the packet decoded as UTF-8, or null when there is none or the packet is
     * malformed before it. Allocates the String: for the control path only.
     */
    public static String cname(byte[] b, int off, int len) {
        SdesIterator items = new SdesIterator();
        items.reset(b, off, len);
        while (items.nextItem()) {
            if (items.itemType() == CNAME) {
                return new String(b, items.itemOffset(), items.itemLength(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * Writes an SDES packet with one chunk holding a CNAME item. Returns the bytes written, or -1
     * when the CNAME is longer than 255 bytes in UTF-8 or the packet does not fit in {@code b}.
     */
    public static int writeCname(byte[] b, int off, long ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255) {
            return -1;
        }
        // Chunk: SSRC, type, length, text, then at least one null octet up to a 32-bit boundary.
        int chunk = (4 + 2 + text.length + 1 + 3) & ~3;
        int length = RtcpHeader.LENGTH + chunk;
        if (!Bytes.hasRoom(b, off, length)) {
            return -1;
        }
        RtcpHeader.write(b, off, 1, RtcpPacketType.SDES, length);
        put32(b, off + 4, ssrc);
        b[off + 8] = (byte) CNAME;
        b[off + 9] = (byte) text.length;
        System.arraycopy(text, 0, b, off + 10, text.length);
        for (int i = off + 10 + text.length; i < off + length; i++) {
            b[i] = 0;
        }
        return length;
    }
}
