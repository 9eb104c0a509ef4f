package org.atrium.sfu.turn;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Time-limited TURN credentials from a shared secret: the "TURN REST API" scheme
 * (draft-uberti-behave-turn-rest-00) that coturn accepts with {@code use-auth-secret}. The
 * signaling server mints them; the TURN server needs only the secret to check them, no user
 * table. The username is {@code "<expiry unix seconds>:<identity>"} and the password is
 * base64(HMAC-SHA1(secret, username)).
 */
public final class TurnCredentials {

    private final byte[] secret;

    public TurnCredentials(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret is empty");
        }
        this.secret = secret.clone();
    }

    /** A credential for {@code identity} (no ':' needed; anything after the first ':' is the identity) until now + validFor. */
    public TurnCredential mint(String identity, Instant now, Duration validFor) {
        Objects.requireNonNull(identity, "identity");
        if (identity.isEmpty()) {
            throw new IllegalArgumentException("identity is empty");
        }
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("validFor must be positive: " + validFor);
        }
        long expiry = now.plus(validFor).getEpochSecond();
        String username = expiry + ":" + identity;
        return new TurnCredential(username, password(secret, username), Instant.ofEpochSecond(expiry));
    }

    /** base64(HMAC-SHA1(secret, UTF-8 username)). */
    public static String password(byte[] secret, String username) {
        return Base64.getEncoder().encodeToString(
                StunIntegrity.hmacSha1(secret, username.getBytes(StandardCharsets.UTF_8)));
    }
}
