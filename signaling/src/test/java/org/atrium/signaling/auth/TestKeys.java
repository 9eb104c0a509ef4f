package org.atrium.signaling.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Fresh signing keys for tests, and their PEM files as an operator would have them. */
final class TestKeys {

    static final String SECRET = "test-secret-of-at-least-32-bytes-0123456789";

    private TestKeys() {
    }

    static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair p256() {
        return ecKeyPair("secp256r1");
    }

    /** Writes {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo). */
    static Path writePublicKey(Path dir, KeyPair pair) throws IOException {
        return writePem(dir.resolve("es256.pub"), "PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** Writes {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    static Path writePrivateKey(Path dir, KeyPair pair) throws IOException {
        return writePem(dir.resolve("es256.key"), "PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    static ECPublicKey publicKey(KeyPair pair) {
        return (ECPublicKey) pair.getPublic();
    }

    static ECPrivateKey privateKey(KeyPair pair) {
        return (ECPrivateKey) pair.getPrivate();
    }

    private static Path writePem(Path file, String label, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n",
                StandardCharsets.US_ASCII);
        return file;
    }
}
