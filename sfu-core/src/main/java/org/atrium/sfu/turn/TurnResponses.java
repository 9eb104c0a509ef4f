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
        return StunIntegrity.seal(response.encode(null), key);
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
