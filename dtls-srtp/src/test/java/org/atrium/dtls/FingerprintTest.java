package org.atrium.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    // FIPS 180-4 example digests of "abc".
    @ParameterizedTest
    @CsvSource({
        "sha-1,   a9993e364706816aba3e25717850c26c9cd0d89d",
        "sha-224, 23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
        "sha-256, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha-384, cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
        "sha-512, ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    })
    void matchesWithTheNamedHashIgnoringCase(String hash, String hex) {
        String pairs = hex.replaceAll("(..)(?!$)", "$1:");
        assertTrue(Fingerprint.parse(hash + " " + pairs).matches(ABC));
        assertTrue(Fingerprint.parse(hash.toUpperCase(Locale.ROOT) + " " + pairs.toLowerCase(Locale.ROOT)).matches(ABC));
        assertTrue(Fingerprint.parse("  " + hash + "   " + pairs.toUpperCase(Locale.ROOT) + "\r\n").matches(ABC));
        assertFalse(Fingerprint.parse(hash + " " + pairs).matches("abd".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Fingerprint.of(hash, ABC), Fingerprint.parse(hash + " " + pairs));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sha-256",
        "md5 AB:CD",
        "sha-256 AB:CD",
        "sha-256 ABCD",
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9Z",
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D extra",
    })
    void malformedValuesAreRejected(String value) {
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(value));
    }

    @Test
    void certificateFingerprintIsUpperCaseSha256WithColons() {
        DtlsCertificate certificate = DtlsCertificate.generateEcdsaP256();
        String fingerprint = certificate.fingerprintSha256();
        assertTrue(fingerprint.matches("[0-9A-F]{2}(:[0-9A-F]{2}){31}"), fingerprint);
        assertTrue(Fingerprint.parse("sha-256 " + fingerprint).matches(certificate.derEncoded()));
        assertEquals("sha-256 " + fingerprint, certificate.fingerprint().toString());
        assertFalse(certificate.fingerprint().matches(DtlsCertificate.generateEcdsaP256().derEncoded()));
    }
}
