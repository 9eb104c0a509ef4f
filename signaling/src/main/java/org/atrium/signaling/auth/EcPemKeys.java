package org.atrium.signaling.auth;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the P-256 keys of ES256 join tokens from PEM files: a public key as
 * {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo, what
 * {@code openssl pkey -pubout} writes) and a private key as
 * {@code -----BEGIN PRIVATE KEY-----} (PKCS#8, what {@code openssl genpkey} writes).
 * Any other curve is refused, so that a key can never be used with an algorithm it was
 * not made for.
 */
public final class EcPemKeys {

    private EcPemKeys() {
    }

    public static ECPublicKey readPublicKey(Path file) throws IOException {
        byte[] der = readPem(file, "PUBLIC KEY");
        try {
            if (KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)) instanceof ECPublicKey key) {
                return requireP256(key, file);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not an EC public key: " + e.getMessage(), e);
        }
        throw new IOException(file + ": not an EC public key");
    }

    public static ECPrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = readPem(file, "PRIVATE KEY");
        try {
            if (KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey key) {
                return requireP256(key, file);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a PKCS#8 EC private key: " + e.getMessage(), e);
        }
        throw new IOException(file + ": not an EC private key");
    }

    private static <K extends ECKey> K requireP256(K key, Path file) throws IOException {
        if (!Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
            throw new IOException(file + ": the key is not on curve P-256, which ES256 needs");
        }
        return key;
    }

    private static byte[] readPem(Path file, String label) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher block = Pattern.compile("-----BEGIN " + label + "-----([A-Za-z0-9+/=\\s]+)-----END " + label + "-----")
                .matcher(text);
        if (!block.find()) {
            String hint = text.contains("BEGIN EC PRIVATE KEY")
                    ? " (this is SEC1; convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)"
                    : "";
            throw new IOException(file + ": no '-----BEGIN " + label + "-----' block" + hint);
        }
        try {
            return Base64.getMimeDecoder().decode(block.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the PEM block is not valid base64", e);
        }
    }
}
