package org.atrium.signaling.cluster;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The tokens two nodes exchange when one asks the other for a relay link: HS256 with the
 * cluster secret, naming the node that signed ({@code iss}), the node it is for ({@code aud})
 * and the signer's DTLS fingerprint ({@code fp}), valid for {@link #LIFETIME}. The request
 * carries one from the asking node, the answer one from the other: each node knows the other
 * holds the secret, and DTLS then accepts only the fingerprint the token vouched for, so that
 * the media is bound to the authenticated exchange.
 */
final class LinkTokens {

    static final Duration LIFETIME = Duration.ofSeconds(30);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    static final int MAX_TOKEN_CHARS = 4096;
    private static final String FINGERPRINT = "fp";
    private static final JOSEObjectType TYPE = new JOSEObjectType("atrium-link+jwt");

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final String nodeId;
    private final Clock clock;

    /** Refused: why, said to the other node (it holds no secret of ours to learn from). */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    LinkTokens(String secret, String nodeId, Clock clock) {
        try {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable cluster secret: " + e.getMessage(), e);
        }
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.clock = clock;
    }

    /** A token from this node for node {@code to}, vouching for this node's fingerprint. */
    String mint(String to, String fingerprint) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(nodeId).audience(to)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
                .claim(FINGERPRINT, fingerprint).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a link token", e);
        }
        return jwt.serialize();
    }

    /**
     * Checks a token from node {@code from} for this node, vouching for {@code fingerprint}.
     *
     * @throws RefusedException when it is not one: wrong key, algorithm, type, nodes,
     *     fingerprint, or out of its time
     */
    void verify(String token, String from, String fingerprint) throws RefusedException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new RefusedException("no link token");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new RefusedException("not a JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !TYPE.equals(jwt.getHeader().getType())) {
            throw new RefusedException("not a link token");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new RefusedException("bad signature: not signed with this cluster's secret");
            }
        } catch (JOSEException e) {
            throw new RefusedException("bad signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new RefusedException("unreadable claims");
        }
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        Date issued = claims.getIssueTime();
        if (expires == null || issued == null || now.isAfter(expires.toInstant().plus(CLOCK_SKEW))
                || now.isBefore(issued.toInstant().minus(CLOCK_SKEW))
                || expires.toInstant().isAfter(issued.toInstant().plus(LIFETIME))) {
            throw new RefusedException("expired or not yet valid");
        }
        List<String> audience = claims.getAudience();
        if (!from.equals(claims.getIssuer()) || audience == null || !audience.equals(List.of(nodeId))) {
            throw new RefusedException("not from node " + from + " for node " + nodeId);
        }
        Object vouched = claims.getClaim(FINGERPRINT);
        if (!(vouched instanceof String text) || !text.equalsIgnoreCase(fingerprint)) {
            throw new RefusedException("fingerprint not vouched for");
        }
    }
}
