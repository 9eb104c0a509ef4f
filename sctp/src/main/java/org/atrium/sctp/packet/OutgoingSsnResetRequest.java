package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;

/**
 * Outgoing SSN Reset Request parameter (RFC 6525 4.1): the sender resets its outgoing streams once
 * the receiver has everything up to the sender's last assigned TSN. No stream listed means all.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 13       | Parameter Length = 16 + 2 * N |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Re-configuration Request Sequence Number            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Re-configuration Response Sequence Number           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Sender's Last Assigned TSN                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class OutgoingSsnResetRequest {
    public static final int FIXED_LENGTH = 16;

    private OutgoingSsnResetRequest() {
    }

    /** The parameter at {@code off} whose length field {@code len} is 16 plus whole stream numbers. */
    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= FIXED_LENGTH && (len - FIXED_LENGTH) % 2 == 0
            && Parameter.type(b, off) == Parameter.OUTGOING_SSN_RESET_REQUEST && Parameter.length(b, off) == len;
    }

    public static int requestSequence(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static int responseSequence(byte[] b, int off) {
        return i32(b, off + 8);
    }

    public static int senderLastAssignedTsn(byte[] b, int off) {
        return i32(b, off + 12);
    }

    public static int streamCount(byte[] b, int off) {
        return (Parameter.length(b, off) - FIXED_LENGTH) / 2;
    }

    public static int streamId(byte[] b, int off, int i) {
        return u16(b, off + FIXED_LENGTH + 2 * i);
    }

    /** Writes the parameter for {@code streams[0, count)}, padded; returns the padded length. */
    public static int write(byte[] b, int off, int requestSequence, int responseSequence, int lastAssignedTsn,
                            int[] streams, int count) {
        Parameter.writeHeader(b, off, Parameter.OUTGOING_SSN_RESET_REQUEST, FIXED_LENGTH + 2 * count);
        put32(b, off + 4, requestSequence);
        put32(b, off + 8, responseSequence);
        put32(b, off + 12, lastAssignedTsn);
        for (int i = 0; i < count; i++) {
            put16(b, off + FIXED_LENGTH + 2 * i, streams[i]);
        }
        return Chunk.pad(b, off, FIXED_LENGTH + 2 * count);
    }
}
