package org.atrium.sfu.turn;

import java.util.Arrays;

/**
 * One walk over a STUN message's raw bytes (RFC 8489 5, 14): checks the frame, and notes where
 * MESSAGE-INTEGRITY, FINGERPRINT, the XOR-PEER-ADDRESSes and DATA are and which
 * comprehension-required attributes it does not know. ice4j's decoder keeps one attribute per
 * type, does not check that FINGERPRINT comes last, and knows no "comprehension-required"; this
 * walk does those, and is all the Send indication's data path needs.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Magic Cookie = 0x2112A442                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * then attributes: Type (16) | Length (16) | Value, padded to 4 bytes
 * </pre>
 */
final class StunScan {

    static final int HEADER = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int DATA = 0x0013;
    static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    static final int EVEN_PORT = 0x0018;
    private static final int MAX_PEERS = 32;

    /** The message type: method and class bits (RFC 8489 5). */
    final int type;
    /** Offsets in the buffer of attribute headers; -1 when absent. */
    int integrityAt = -1;
    int fingerprintAt = -1;
    int dataAt = -1;
    int familyAt = -1;
    /** EVEN-PORT: one byte of value (RFC 8656 18.3), which ice4j's decoder refuses (it wants 4). */
    int evenPortAt = -1;
    int[] peersAt = new int[0];
    /** Comprehension-required attributes (type below 0x8000) this server does not know (RFC 8489 15, 6.3.1). */
    char[] unknown = new char[0];

    private StunScan(int type) {
        this.type = type;
    }

    /** Whether the bytes can be a STUN message: top two bits zero, the magic cookie, a length that fits (RFC 8489 5, 6.3). */
    static boolean isStun(byte[] buf, int off, int len) {
        return len >= HEADER && (buf[off] & 0xC0) == 0
                && StunIntegrity.readInt(buf, off + 4) == MAGIC_COOKIE
                && StunIntegrity.readShort(buf, off + 2) == len - HEADER
                && (len & 3) == 0;
    }

    /** The walk, or null when the bytes are not a well-formed STUN message (including a FINGERPRINT that does not match). */
    static StunScan scan(byte[] buf, int off, int len) {
        if (!isStun(buf, off, len)) {
            return null;
        }
        StunScan scan = new StunScan(StunIntegrity.readShort(buf, off));
        int end = off + len;
        int at = off + HEADER;
        while (at < end) {
            if (end - at < 4 || scan.fingerprintAt >= 0) {
                return null;   // a truncated attribute header, or anything after FINGERPRINT
            }
            int type = StunIntegrity.readShort(buf, at);
            int length = StunIntegrity.readShort(buf, at + 2);
            int next = at + 4 + ((length + 3) & ~3);
            if (next > end) {
                return null;
            }
            if (type == StunIntegrity.FINGERPRINT) {
                if (length != 4 || !StunIntegrity.verifyFingerprint(buf, off, at)) {
                    return null;
                }
                scan.fingerprintAt = at;
            } else if (scan.integrityAt < 0) {
                // RFC 8489 14.5: everything after MESSAGE-INTEGRITY but FINGERPRINT is ignored.
                scan.note(type, at, length);
            }
            at = next;
        }
        return scan;
    }

    private void note(int type, int at, int length) {
        switch (type) {
            case StunIntegrity.INTEGRITY -> integrityAt = length == StunIntegrity.INTEGRITY_LENGTH ? at : -2;
            case XOR_PEER_ADDRESS -> {
                if (peersAt.length < MAX_PEERS) {
                    peersAt = Arrays.copyOf(peersAt, peersAt.length + 1);
                    peersAt[peersAt.length - 1] = at;
                }
            }
            case DATA -> {
                if (dataAt < 0) {
                    dataAt = at;
                }
            }
            case REQUESTED_ADDRESS_FAMILY -> {
                if (familyAt < 0) {
                    familyAt = at;
                }
            }
            case EVEN_PORT -> {
                if (evenPortAt < 0) {
                    evenPortAt = at;
                }
            }
            default -> {
                if (type < 0x8000 && !known(type) && unknown.length < 16) {
                    unknown = Arrays.copyOf(unknown, unknown.length + 1);
                    unknown[unknown.length - 1] = (char) type;
                }
            }
        }
    }

    /**
     * REQUESTED-ADDRESS-FAMILY's family (RFC 8656 18.1: 0x01 IPv4, 0x02 IPv6, then 3 reserved
     * bytes), 0 when absent, -1 when its length is not 4.
     */
    int requestedFamily(byte[] buf) {
        if (familyAt < 0) {
            return 0;
        }
        return StunIntegrity.readShort(buf, familyAt + 2) == 4 ? buf[familyAt + 4] & 0xFF : -1;
    }

    /** Whether the message carried a MESSAGE-INTEGRITY of the wrong length (then it cannot be verified). */
    boolean integrityMalformed() {
        return integrityAt == -2;
    }

    int method() {
        return type & 0x3EEF;
    }

    /** 0 request, 1 indication, 2 success response, 3 error response (RFC 8489 5: bits C1, C0). */
    int messageClass() {
        return ((type >>> 7) & 2) | ((type >>> 4) & 1);
    }

    /** Comprehension-required attributes of TURN and STUN that requests to this server may carry. */
    private static boolean known(int type) {
        return switch (type) {
            case 0x0006, // USERNAME
                    0x0009, // ERROR-CODE
                    0x000A, // UNKNOWN-ATTRIBUTES
                    0x000C, // CHANNEL-NUMBER
                    0x000D, // LIFETIME
                    0x0014, // REALM
                    0x0015, // NONCE
                    0x0017, // REQUESTED-ADDRESS-FAMILY
                    0x0018, // EVEN-PORT (ignored, see TurnControl)
                    0x0019, // REQUESTED-TRANSPORT
                    0x001A, // DONT-FRAGMENT (ignored: the edge's relay sockets decide)
                    0x001C, // MESSAGE-INTEGRITY-SHA256 (not checked: we offer no PASSWORD-ALGORITHMS, browsers use SHA-1)
                    0x0020, // XOR-MAPPED-ADDRESS
                    0x0022, // RESERVATION-TOKEN (refused, see TurnControl)
                    0x0024, // PRIORITY (ICE)
                    0x0025 // USE-CANDIDATE (ICE)
                    -> true;
            default -> false;
        };
    }
}
