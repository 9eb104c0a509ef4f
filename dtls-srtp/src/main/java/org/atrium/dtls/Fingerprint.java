package org.atrium.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;

/**
 * A certificate fingerprint as SDP carries it ({@code a=fingerprint:sha-256 AB:CD:...},
 * RFC 8122 section 5): the hash function's name and the digest in hex pairs separated by colons.
 *
 * @param hashFunction lower-case hash name from the IANA "Hash Function Textual Names" registry
 * @param value        upper-case hex pairs separated by colons
 */
public record Fingerprint(String hashFunction, String value) {
    private static final Map<String, String> JDK_ALGORITHMS = Map.of(
            "sha-1", "SHA-1",
            "sha-224", "SHA-224",
            "sha-256", "SHA-256",
            "sha-384", "SHA-384",
            "sha-512", "SHA-512");

    public Fingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
        String algorithm = JDK_ALGORITHMS.get(hashFunction);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + hashFunction);
        }
        int expectedLength = digestLength(algorithm) * 3 - 1;
        if (value.length() != expectedLength || !value.matches("[0-9A-F]{2}(:[0-9A-F]{2})*")) {
            throw new IllegalArgumentException("malformed " + hashFunction + " fingerprint: " + value);
        }
    }

    /**
     * Parses the value of an SDP fingerprint attribute, e.g. "sha-256 AB:CD:...", ignoring case
     * and surrounding white space.
     *
     * @throws IllegalArgumentException if the hash function is unsupported or the value malformed
     */
    public static Fingerprint parse(String sdpValue) {
        String[] parts = sdpValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("fingerprint must be '<hash-function> <hex pairs>': " + sdpValue);
        }
        return new Fingerprint(parts[0], parts[1]);
    }

    /** The fingerprint of a DER-encoded certificate with the given hash function. */
    public static Fingerprint of(String hashFunction, byte[] derCertificate) {
        String name = hashFunction.toLowerCase(Locale.ROOT);
        String algorithm = JDK_ALGORITHMS.get(name);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + hashFunction);
        }
        return new Fingerprint(name, hexWithColons(digest(algorithm, derCertificate)));
    }

    /** True if the DER-encoded certificate hashes, with this fingerprint's function, to its value. */
    public boolean matches(byte[] derCertificate) {
        byte[] actual = digest(JDK_ALGORITHMS.get(hashFunction), derCertificate);
        byte[] expected = parseHex(value);
        return MessageDigest.isEqual(actual, expected);
    }

    /** The SDP attribute value: "sha-256 AB:CD:...". */
    @Override
    public String toString() {
        return hashFunction + " " + value;
    }

    static String hexWithColons(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((bytes[i] >> 4) & 0xf, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(bytes[i] & 0xf, 16)));
        }
        return sb.toString();
    }

    private static byte[] parseHex(String hexWithColons) {
        int n = (hexWithColons.length() + 1) / 3;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) Integer.parseInt(hexWithColons.substring(i * 3, i * 3 + 2), 16);
        }
        return out;
    }

    private static int digestLength(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm).getDigestLength();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
