package org.atrium.signaling.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import org.atrium.signaling.ServerConfig;

/**
 * The two ways a server can check join tokens, each with a key the tests sign with:
 * HS256 with {@link TestKeys#SECRET}, ES256 with a P-256 pair made per run.
 */
enum Signing {
    HS256, ES256;

    private static final KeyPair EC = TestKeys.p256();

    /** The server's settings: only this algorithm's key. */
    ServerConfig configure(ServerConfig config, Path dir) {
        try {
            return this == HS256 ? config.withJoinTokens(TestKeys.SECRET, null)
                    : config.withJoinTokens(null, TestKeys.writePublicKey(dir, EC));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JoinTokenMinter minter() {
        return this == HS256 ? JoinTokenMinter.hs256(TestKeys.SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : JoinTokenMinter.es256(TestKeys.privateKey(EC));
    }

    /** Signs any claims with this algorithm's good key, for tokens the minter would never make. */
    String sign(JWTClaimsSet claims) {
        return sign(claims, signer());
    }

    /** The same algorithm with another key: a forgery. */
    String signWithAnotherKey(JWTClaimsSet claims) {
        try {
            JWSSigner other = this == HS256 ? new MACSigner("another-secret-that-is-32-bytes-long-at-least")
                    : new ECDSASigner(TestKeys.privateKey(TestKeys.p256()));
            return sign(claims, other);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    JWSAlgorithm algorithm() {
        return this == HS256 ? JWSAlgorithm.HS256 : JWSAlgorithm.ES256;
    }

    static KeyPair ecKeyPair() {
        return EC;
    }

    private JWSSigner signer() {
        try {
            return this == HS256 ? new MACSigner(TestKeys.SECRET) : new ECDSASigner(TestKeys.privateKey(EC));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm()), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
