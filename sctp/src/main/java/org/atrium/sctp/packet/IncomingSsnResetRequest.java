package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.i32;

/**
 * Incoming SSN Reset Request parameter (RFC 6525 4.2): the peer asks us to reset our outgoing
 * streams. WebRTC closes channels with outgoing requests only; this is read so it can be denied.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 14       |  Parameter Length = 8 + 2 * N |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Re-configuration Request Sequence Number             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IncomingSsnResetRequest {
    public static final int FIXED_LENGTH = 8;

    private IncomingSsnResetRequest() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= FIXED_LENGTH && (len - FIXED_LENGTH) % 2 == 0
            && Parameter.type(b, off) == Parameter.INCOMING_SSN_RESET_REQUEST && Parameter.length(b, off) == len;
    }

    public static int requestSequence(byte[] b, int off) {
        return i32(b, off + 4);
    }
}
