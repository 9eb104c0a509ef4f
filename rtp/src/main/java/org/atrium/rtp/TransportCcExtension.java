package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.u16;

/**
 * The transport-wide sequence number header extension
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 2): one counter shared by every RTP packet
 * a sender puts on a transport (media, retransmissions and padding alike), so the receiver's
 * feedback can describe the whole transport's arrivals.
 *
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | L=1   |transport-wide sequence number |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Stateless and allocation-free; safe from any thread.
 */
public final class TransportCcExtension {
    public static final String URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** The element's data is the 16-bit sequence number, nothing else (section 2). */
    public static final int DATA_LENGTH = 2;

    private TransportCcExtension() {
    }

    /**
     * The transport-wide sequence number (0..65535) of a validated RTP packet, or -1 when the
     * packet has no element with {@code id} or that element is not 2 bytes long.
     */
    public static int sequence(byte[] b, int off, int len, int id) {
        long found = HeaderExtensions.find(b, off, len, id);
        if (found < 0 || HeaderExtensions.dataLength(found) != DATA_LENGTH) {
            return -1;
        }
        return u16(b, HeaderExtensions.dataOffset(found));
    }

    /**
     * Overwrites the sequence number of the element with {@code id} in place. Returns false, leaving
     * the packet unchanged, when there is no such 2-byte element.
     */
    public static boolean setSequence(byte[] b, int off, int len, int id, int sequence) {
        long found = HeaderExtensions.find(b, off, len, id);
        if (found < 0 || HeaderExtensions.dataLength(found) != DATA_LENGTH) {
            return false;
        }
        put16(b, HeaderExtensions.dataOffset(found), sequence);
        return true;
    }
}
