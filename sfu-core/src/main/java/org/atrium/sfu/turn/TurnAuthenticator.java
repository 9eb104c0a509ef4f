package org.atrium.sfu.turn;

import java.nio.charset.StandardCharsets;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Request;

/**
 * The long-term credential mechanism (RFC 8489 9.2.4) for TURN requests, with TURN REST API
 * passwords: the password of a username is derived from the shared secret, so any well-formed
 * username has a key and no user table is kept. Sends the 400, 401 or 438 itself.
 */
final class TurnAuthenticator {

    /** Who sent an authenticated request, and the key its response is protected with. */
    record Credential(String username, String identity, byte[] key) {
    }

    private final TurnConfig config;
    private final byte[] secret;
    private final NonceMinter nonces;
    private final TurnIo io;
    private final TurnMetrics metrics;

    TurnAuthenticator(TurnConfig config, NonceMinter nonces, TurnIo io, TurnMetrics metrics) {
        this.config = config;
        this.secret = config.secret();
        this.nonces = nonces;
        this.io = io;
        this.metrics = metrics;
    }

    /** The credential of {@code request} (a copy starting at 0 in {@code msg}), or null once the error response is sent. */
    Credential authenticate(TurnClient client, byte[] msg, StunScan scan, Request request, long nowMillis) {
        int method = scan.method();
        byte[] transaction = request.getTransactionID();
        if (scan.integrityAt == -1) {
            // The first request of every client: a challenge, not a failure.
            challenge(client, method, transaction, 401, "Unauthorized", nowMillis);
            return null;
        }
        UsernameAttribute username = (UsernameAttribute) request.getAttribute(Attribute.USERNAME);
        if (scan.integrityMalformed() || username == null || request.getAttribute(Attribute.REALM) == null
                || request.getAttribute(Attribute.NONCE) == null) {
            metrics.authFailed(TurnAuthFailure.MISSING_ATTRIBUTE);
            send(client, TurnResponses.error(method, transaction, 400, "Bad Request", null));
            return null;
        }
        String name = new String(username.getUsername(), StandardCharsets.UTF_8);
        TurnUsername parsed = TurnUsername.parse(name);
        if (parsed == null) {
            return fail(client, method, transaction, TurnAuthFailure.BAD_USERNAME, nowMillis);
        }
        byte[] key = StunIntegrity.longTermKey(name, config.realm(), TurnCredentials.password(secret, name));
        if (!StunIntegrity.verifyIntegrity(msg, scan.integrityAt, key)) {
            return fail(client, method, transaction, TurnAuthFailure.BAD_INTEGRITY, nowMillis);
        }
        if (parsed.expiredAt(nowMillis)) {
            return fail(client, method, transaction, TurnAuthFailure.EXPIRED, nowMillis);
        }
        NonceAttribute nonce = (NonceAttribute) request.getAttribute(Attribute.NONCE);
        if (!nonces.valid(new String(nonce.getNonce(), StandardCharsets.UTF_8), nowMillis)) {
            // RFC 8489 9.2.4: checked last, so that only a client that knows the password learns a fresh nonce this way.
            metrics.authFailed(TurnAuthFailure.STALE_NONCE);
            challenge(client, method, transaction, 438, "Stale Nonce", nowMillis);
            return null;
        }
        return new Credential(name, parsed.identity(), key);
    }

    private Credential fail(TurnClient client, int method, byte[] transaction, TurnAuthFailure reason, long nowMillis) {
        metrics.authFailed(reason);
        challenge(client, method, transaction, 401, "Unauthorized", nowMillis);
        return null;
    }

    /** 401 or 438 with REALM and a fresh NONCE, without MESSAGE-INTEGRITY: there is no key the client proved it holds. */
    private void challenge(TurnClient client, int method, byte[] transaction, int code, String reason, long nowMillis) {
        RealmAttribute realm = AttributeFactory.createRealmAttribute(config.realm().getBytes(StandardCharsets.UTF_8));
        NonceAttribute nonce = AttributeFactory.createNonceAttribute(
                nonces.mint(nowMillis).getBytes(StandardCharsets.US_ASCII));
        send(client, TurnResponses.error(method, transaction, code, reason, null, realm, nonce));
    }

    private void send(TurnClient client, byte[] response) {
        io.sendToClient(client, response, 0, response.length);
    }
}
