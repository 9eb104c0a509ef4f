package org.atrium.sfu.turn;

import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Response;

/**
 * Encodes responses: ice4j writes the header and attributes, {@link StunIntegrity} appends
 * MESSAGE-INTEGRITY (for authenticated requests, with the request's key) and FINGERPRINT to
 * every response.
 */
final class TurnResponses {

    private TurnResponses() {
    }

    /** The response's bytes for transaction {@code transactionId}, integrity-protected with {@code key} unless null. */
    static byte[] seal(Message response, byte[] transactionId, byte[] key) {
        try {
            response.setTransactionID(transactionId);
        } catch (StunException e) {
            throw new IllegalArgumentException("transaction id of " + transactionId.length + " bytes", e);
        }
        // No ContentDependentAttribute (MESSAGE-INTEGRITY, FINGERPRINT) is put in, so ice4j needs no StunStack.
        return StunIntegrity.seal(withoutFingerprint(response.encode(null)), key);
    }

    /**
     * The encoding without a FINGERPRINT at its end. ice4j appends one by itself whenever the
     * system property {@code org.ice4j.ALWAYS_SIGN} is true, which its ICE agents set: in a server
     * that also runs ICE, every response would otherwise carry two, MESSAGE-INTEGRITY after the
     * first, and clients would drop it.
     */
    static byte[] withoutFingerprint(byte[] encoded) {
        int at = encoded.length - 8;
        if (at < StunScan.HEADER || StunIntegrity.readShort(encoded, at) != StunIntegrity.FINGERPRINT) {
            return encoded;
        }
        byte[] trimmed = java.util.Arrays.copyOf(encoded, at);
        StunIntegrity.writeShort(trimmed, 2, at - StunScan.HEADER);
        return trimmed;
    }

    /** An error response of {@code method} with ERROR-CODE and {@code extra} attributes (REALM, NONCE, UNKNOWN-ATTRIBUTES). */
    static byte[] error(int method, byte[] transactionId, int code, String reasonPhrase, byte[] key,
            Attribute... extra) {
        Response response = MessageFactory.createAllocationErrorResponse((char) code, reasonPhrase);
        // Every TURN and STUN method here is below 0x10, so the class bits simply OR in (RFC 8489 5).
        response.setMessageType((char) (method | Message.STUN_ERROR_RESP));
        for (Attribute attribute : extra) {
            response.putAttribute(attribute);
        }
        return seal(response, transactionId, key);
    }
}
