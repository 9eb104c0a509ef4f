package org.atrium.signaling.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs join tokens that {@link JoinTokenVerifier} accepts: what {@link MintToken} runs,
 * and what an application server would do for its users.
 */
public final class JoinTokenMinter {

    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;

    private JoinTokenMinter(JWSAlgorithm algorithm, JWSSigner signer) {
        this.algorithm = algorithm;
        this.signer = signer;
    }

    /** @throws IllegalArgumentException when the secret is shorter than 32 bytes */
    public static JoinTokenMinter hs256(byte[] secret) {
        try {
            return new JoinTokenMinter(JWSAlgorithm.HS256, new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("HS256 needs a secret of at least 32 bytes", e);
        }
    }

    public static JoinTokenMinter es256(ECPrivateKey key) {
        try {
            return new JoinTokenMinter(JWSAlgorithm.ES256, new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable ES256 key: " + e.getMessage(), e);
        }
    }

    /**
     * What a token says; {@code name} may be null.
     *
     * @param data the {@code data} grant, or null to leave it out (it then follows {@code publish})
     */
    public record Request(String room, String identity, String name, boolean publish, boolean subscribe,
            Boolean data, Instant notBefore, Instant expiry) {

        /** Valid from now for {@code ttl}, with every grant. */
        public static Request of(String room, String identity, Duration ttl) {
            Instant now = Instant.now();
            return new Request(room, identity, null, true, true, null, now, now.plus(ttl));
        }

        public Request withName(String newName) {
            return new Request(room, identity, newName, publish, subscribe, data, notBefore, expiry);
        }

        public Request withGrants(boolean mayPublish, boolean maySubscribe) {
            return new Request(room, identity, name, mayPublish, maySubscribe, data, notBefore, expiry);
        }

        public Request withDataGrant(boolean maySendData) {
            return new Request(room, identity, name, publish, subscribe, maySendData, notBefore, expiry);
        }

        public Request withTimes(Instant from, Instant until) {
            return new Request(room, identity, name, publish, subscribe, data, from, until);
        }
    }

    /** The signed token, in compact form. */
    public String mint(Request request) {
        Map<String, Object> grants = new LinkedHashMap<>();
        grants.put(JoinTokenClaims.PUBLISH, request.publish());
        grants.put(JoinTokenClaims.SUBSCRIBE, request.subscribe());
        if (request.data() != null) {
            grants.put(JoinTokenClaims.DATA, request.data());
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(request.identity())
                .claim(JoinTokenClaims.ROOM, request.room())
                .claim(JoinTokenClaims.GRANTS, grants)
                .issueTime(Date.from(request.notBefore()))
                .notBeforeTime(Date.from(request.notBefore()))
                .expirationTime(Date.from(request.expiry()));
        if (request.name() != null) {
            claims.claim(JoinTokenClaims.NAME, request.name());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a join token", e);
        }
        return jwt.serialize();
    }
}
