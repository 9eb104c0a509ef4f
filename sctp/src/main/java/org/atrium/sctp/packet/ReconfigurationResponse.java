package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put32;

/**
 * Re-configuration Response parameter (RFC 6525 4.4). The two next-TSN fields only answer an
 * SSN/TSN reset request, which WebRTC does not use; they are neither written nor read here.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 16       |      Parameter Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Re-configuration Response Sequence Number             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Result                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Sender's Next TSN (optional)                |
 * |                  Receiver's Next TSN (optional)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReconfigurationResponse {
    public static final int LENGTH = 12;

    public static final int SUCCESS_NOTHING_TO_DO = 0;
    public static final int SUCCESS_PERFORMED = 1;
    public static final int DENIED = 2;
    public static final int ERROR_WRONG_SSN = 3;
    public static final int ERROR_REQUEST_ALREADY_IN_PROGRESS = 4;
    public static final int ERROR_BAD_SEQUENCE_NUMBER = 5;
    public static final int IN_PROGRESS = 6;

    private ReconfigurationResponse() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && (len == LENGTH || len == LENGTH + 8)
            && Parameter.type(b, off) == Parameter.RECONFIGURATION_RESPONSE && Parameter.length(b, off) == len;
    }

    public static int responseSequence(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static int result(byte[] b, int off) {
        return i32(b, off + 8);
    }

    public static int write(byte[] b, int off, int responseSequence, int result) {
        Parameter.writeHeader(b, off, Parameter.RECONFIGURATION_RESPONSE, LENGTH);
        put32(b, off + 4, responseSequence);
        put32(b, off + 8, result);
        return LENGTH;
    }
}
