package org.atrium.signaling.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.protocol.ProtocolException;

/**
 * Checks the join token of a {@code join} message (docs/signaling.md, "Join tokens").
 * The algorithm must be one this server has a key for (HS256 with a shared secret,
 * ES256 with a P-256 public key), each verified with its own key only, so neither
 * {@code alg: none} nor a token that passes an HMAC off as ECDSA gets through. Then the
 * claims: {@code exp} required, {@code nbf} honoured, both with {@link #CLOCK_SKEW};
 * {@code room} must name the room joined; {@code sub} is the identity; {@code grants}
 * must allow something.
 *
 * <p>Without a key the server is open ({@link #isOpen()}): every join gets
 * {@link JoinGrant#OPEN} and a token, if sent, is ignored.
 */
public final class JoinTokenVerifier {

    /** How far the clocks of the token's issuer and of this server may disagree. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Longer tokens are refused before they are parsed. */
    public static final int MAX_TOKEN_CHARS = 8192;
    public static final int MAX_IDENTITY_CHARS = 128;

    private final Map<JWSAlgorithm, JWSVerifier> verifiers;
    private final Clock clock;

    private JoinTokenVerifier(Map<JWSAlgorithm, JWSVerifier> verifiers, Clock clock) {
        this.verifiers = Collections.unmodifiableMap(verifiers);
        this.clock = clock;
    }

    /** A server without join tokens. */
    public static JoinTokenVerifier open() {
        return new JoinTokenVerifier(Map.of(), Clock.systemUTC());
    }

    /**
     * @param hs256Secret the HMAC secret, at least 32 bytes, or null
     * @param es256PublicKey the ECDSA P-256 public key, or null
     * @throws IllegalArgumentException when the secret is too short
     */
    public static JoinTokenVerifier of(byte[] hs256Secret, ECPublicKey es256PublicKey, Clock clock) {
        Map<JWSAlgorithm, JWSVerifier> verifiers = new LinkedHashMap<>();
        try {
            if (hs256Secret != null) {
                verifiers.put(JWSAlgorithm.HS256, new MACVerifier(hs256Secret));
            }
            if (es256PublicKey != null) {
                verifiers.put(JWSAlgorithm.ES256, new ECDSAVerifier(es256PublicKey));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable join token key: " + e.getMessage(), e);
        }
        return new JoinTokenVerifier(verifiers, clock);
    }

    /** True when no key is configured: joins need no token. */
    public boolean isOpen() {
        return verifiers.isEmpty();
    }

    /** What the token allows in {@code room}, or a refusal with the error code to send. */
    public JoinGrant verify(String token, String room) throws ProtocolException {
        if (isOpen()) {
            return JoinGrant.OPEN;
        }
        if (token == null || token.isEmpty()) {
            throw unauthorized("This server needs a join token: send it in the join message's 'token' field");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw unauthorized("The token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            // Also what an unsigned token ("alg": "none") gets: it is not a JWS.
            throw unauthorized("The token is not a signed JWT: " + e.getMessage());
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        JWSVerifier verifier = verifiers.get(algorithm);
        if (verifier == null) {
            throw unauthorized("The token is signed with " + algorithm + "; this server accepts " + verifiers.keySet());
        }
        try {
            if (!jwt.verify(verifier)) {
                throw unauthorized("The token's signature is not valid");
            }
        } catch (JOSEException e) {
            throw unauthorized("The token's signature cannot be checked: " + e.getMessage());
        }
        return grantOf(claims, room);
    }

    private JoinGrant grantOf(JWTClaimsSet claims, String room) throws ProtocolException {
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null) {
            throw unauthorized("The token has no expiry ('exp'); tokens must expire");
        }
        Instant expiry = claims.getExpirationTime().toInstant();
        if (!now.isBefore(expiry.plus(CLOCK_SKEW))) {
            throw new ProtocolException("token-expired", "The token expired at " + expiry);
        }
        if (claims.getNotBeforeTime() != null) {
            Instant notBefore = claims.getNotBeforeTime().toInstant();
            if (now.plus(CLOCK_SKEW).isBefore(notBefore)) {
                throw unauthorized("The token is not valid before " + notBefore);
            }
        }
        String tokenRoom = stringClaim(claims, JoinTokenClaims.ROOM);
        if (tokenRoom == null) {
            throw unauthorized("The token names no room ('room' claim)");
        }
        if (!tokenRoom.equals(room)) {
            throw new ProtocolException("wrong-room", "The token is for another room, not '" + room + "'");
        }
        String identity = claims.getSubject();
        if (identity == null || identity.isBlank() || identity.length() > MAX_IDENTITY_CHARS) {
            throw unauthorized("The token needs a subject ('sub') of 1 to " + MAX_IDENTITY_CHARS + " characters");
        }
        String name = stringClaim(claims, JoinTokenClaims.NAME);
        if (name != null) {
            name = name.strip();
            if (name.isEmpty()) {
                name = null;
            } else if (name.codePointCount(0, name.length()) > MessageCodec.MAX_NAME_LENGTH) {
                throw unauthorized("The token's 'name' is longer than " + MessageCodec.MAX_NAME_LENGTH + " characters");
            }
        }
        Map<String, Object> grants;
        try {
            grants = claims.getJSONObjectClaim(JoinTokenClaims.GRANTS);
        } catch (ParseException e) {
            throw unauthorized("The token's 'grants' claim is not an object");
        }
        boolean publish = grants != null && Boolean.TRUE.equals(grants.get(JoinTokenClaims.PUBLISH));
        boolean subscribe = grants != null && Boolean.TRUE.equals(grants.get(JoinTokenClaims.SUBSCRIBE));
        if (!publish && !subscribe) {
            throw new ProtocolException("forbidden", "The token grants neither 'publish' nor 'subscribe'");
        }
        Object data = grants.get(JoinTokenClaims.DATA);
        return new JoinGrant(identity, name, publish, subscribe, data == null ? publish : Boolean.TRUE.equals(data));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws ProtocolException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw unauthorized("The token's '" + name + "' claim is not a string");
        }
    }

    private static ProtocolException unauthorized(String message) {
        return new ProtocolException("unauthorized", message);
    }
}
