package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ice4j.StackProperties;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.junit.jupiter.api.Test;

/**
 * Regression: ice4j adds a FINGERPRINT of its own to every message it encodes once an ICE agent
 * has set {@code org.ice4j.ALWAYS_SIGN}, as the SFU's agents do. TURN responses made in the same
 * JVM then carried two, and clients (coturn's turnutils, browsers) refused them.
 */
class TurnResponsesTest {

    private static final byte[] TRANSACTION = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final byte[] KEY = {9, 9, 9, 9};

    @Test
    void aResponseCarriesOneFingerprintLastAfterIntegrityWhateverIce4jIsToldToSign() throws Exception {
        String before = System.getProperty(StackProperties.ALWAYS_SIGN);
        System.setProperty(StackProperties.ALWAYS_SIGN, "true");
        try {
            byte[] sealed = TurnResponses.seal(MessageFactory.createRefreshResponse(600), TRANSACTION, KEY);
            int fingerprints = 0;
            int integrityAt = -1;
            int lastAt = -1;
            for (int at = StunScan.HEADER; at < sealed.length; ) {
                int type = StunIntegrity.readShort(sealed, at);
                fingerprints += type == StunIntegrity.FINGERPRINT ? 1 : 0;
                integrityAt = type == StunIntegrity.INTEGRITY ? at : integrityAt;
                lastAt = at;
                at += 4 + ((StunIntegrity.readShort(sealed, at + 2) + 3) & ~3);
            }
            assertEquals(1, fingerprints);
            assertEquals(StunIntegrity.FINGERPRINT, StunIntegrity.readShort(sealed, lastAt), "FINGERPRINT last");
            assertEquals(lastAt - 24, integrityAt, "MESSAGE-INTEGRITY right before it");
            assertEquals(sealed.length - StunScan.HEADER, StunIntegrity.readShort(sealed, 2), "the length field");
            Message decoded = Message.decode(sealed, 0, sealed.length);
            assertEquals(Message.REFRESH_RESPONSE, decoded.getMessageType());
        } finally {
            if (before == null) {
                System.clearProperty(StackProperties.ALWAYS_SIGN);
            } else {
                System.setProperty(StackProperties.ALWAYS_SIGN, before);
            }
        }
    }
}
