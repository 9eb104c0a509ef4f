package org.atrium.sfu.turn;

import static org.atrium.sfu.turn.TurnWire.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MESSAGE-INTEGRITY and FINGERPRINT against the sample messages of RFC 5769. */
class TurnStunIntegrityTest {

    /** RFC 5769 2.1, Sample Request: short-term password "VOkJxbRl1RmTxUk/WvJxBt". */
    static final byte[] SAMPLE_REQUEST = hex("""
            0001 0058 2112a442 b7e7a701bc34d686fa87dfae
            8022 0010 5354554e 20746573 7420636c 69656e74   SOFTWARE "STUN test client"
            0024 0004 6e0001ff                              PRIORITY
            8029 0008 932ff9b1 51263b36                     ICE-CONTROLLED
            0006 0009 6576746a 3a683676 59202020            USERNAME "evtj:h6vY"
            0008 0014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2   MESSAGE-INTEGRITY
            8028 0004 e57a3bcf                              FINGERPRINT
            """.replaceAll("[A-Z][-A-Z]+( \\\"[^\\\"]*\\\")?", ""));

    /** RFC 5769 2.2, Sample IPv4 Response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, same password. */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            0101 003c 2112a442 b7e7a701bc34d686fa87dfae
            8022 000b 74657374 20766563 746f7220            SOFTWARE "test vector"
            0020 0008 0001a147 e112a643                     XOR-MAPPED-ADDRESS
            0008 0014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7   MESSAGE-INTEGRITY
            8028 0004 c07d4c96                              FINGERPRINT
            """.replaceAll("[A-Z][-A-Z]+( \\\"[^\\\"]*\\\")?", ""));

    /**
     * RFC 5769 2.4, Sample Request with Long-Term Authentication: username "マトリックス",
     * password "TheMatrIX" after SASLprep, realm "example.org".
     */
    static final byte[] SAMPLE_LONG_TERM_REQUEST = hex("""
            0001 0060 2112a442 78ad3433c6ad72c029da412e
            0006 0012 e3839ee3 8388e383 aae38383 e382afe3 82b90000   USERNAME
            0015 001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341   NONCE
            0014 000b 6578616d 706c652e 6f726700            REALM "example.org"
            0008 0014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666   MESSAGE-INTEGRITY
            """.replaceAll("[A-Z][-A-Z]+( \\\"[^\\\"]*\\\")?", ""));

    private static final byte[] SHORT_TERM_KEY = StunIntegrity.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

    @Test
    void sampleRequestFingerprintAndShortTermIntegrity() {
        assertEquals(108, SAMPLE_REQUEST.length);
        StunScan scan = StunScan.scan(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);
        assertEquals(76, scan.integrityAt);
        assertEquals(100, scan.fingerprintAt);
        assertEquals(0, scan.unknown.length, "PRIORITY is known, ICE-CONTROLLED optional");
        assertTrue(StunIntegrity.verifyFingerprint(SAMPLE_REQUEST, 0, 100));
        assertTrue(StunIntegrity.verifyIntegrity(SAMPLE_REQUEST, 76, SHORT_TERM_KEY));
    }

    @Test
    void sampleIpv4ResponseFingerprintIntegrityAndAddress() {
        assertEquals(80, SAMPLE_IPV4_RESPONSE.length);
        StunScan scan = StunScan.scan(SAMPLE_IPV4_RESPONSE, 0, SAMPLE_IPV4_RESPONSE.length);
        assertEquals(48, scan.integrityAt);
        assertEquals(72, scan.fingerprintAt);
        assertEquals(2, scan.messageClass());
        assertTrue(StunIntegrity.verifyIntegrity(SAMPLE_IPV4_RESPONSE, 48, SHORT_TERM_KEY));
        assertEquals(TurnWire.address("192.0.2.1", 32853), XorAddress.readIpv4(SAMPLE_IPV4_RESPONSE, 40, 8));
    }

    @Test
    void sampleLongTermRequestIntegrityWithTheMd5Key() {
        assertEquals(116, SAMPLE_LONG_TERM_REQUEST.length);
        byte[] key = StunIntegrity.longTermKey("マトリックス", "example.org", "TheMatrIX");
        StunScan scan = StunScan.scan(SAMPLE_LONG_TERM_REQUEST, 0, SAMPLE_LONG_TERM_REQUEST.length);
        assertEquals(92, scan.integrityAt);
        assertTrue(StunIntegrity.verifyIntegrity(SAMPLE_LONG_TERM_REQUEST, 92, key));
        assertFalse(StunIntegrity.verifyIntegrity(SAMPLE_LONG_TERM_REQUEST, 92,
                StunIntegrity.longTermKey("マトリックス", "example.org", "TheMatrix")));
    }

    @Test
    void sealReproducesTheSampleIntegrityAndFingerprints() {
        // 2.4 without its MESSAGE-INTEGRITY, sealed again: the same 20 bytes (seal appends a FINGERPRINT after them).
        byte[] key = StunIntegrity.longTermKey("マトリックス", "example.org", "TheMatrIX");
        byte[] sealed = StunIntegrity.seal(Arrays.copyOf(SAMPLE_LONG_TERM_REQUEST, 92), key);
        assertArrayEquals(Arrays.copyOfRange(SAMPLE_LONG_TERM_REQUEST, 92, 116), Arrays.copyOfRange(sealed, 92, 116));
        assertEquals(116 + 8 - 20, StunIntegrity.readShort(sealed, 2));
        assertTrue(StunIntegrity.verifyIntegrity(sealed, 92, key), "with the FINGERPRINT after it");

        // 2.1 and 2.2 up to MESSAGE-INTEGRITY, sealed with the short-term key: the very bytes.
        assertArrayEquals(SAMPLE_REQUEST, StunIntegrity.seal(Arrays.copyOf(SAMPLE_REQUEST, 76), SHORT_TERM_KEY));
        assertArrayEquals(SAMPLE_IPV4_RESPONSE,
                StunIntegrity.seal(Arrays.copyOf(SAMPLE_IPV4_RESPONSE, 48), SHORT_TERM_KEY));
    }

    @Test
    void anyChangedByteFailsIntegrityOrFingerprint() {
        for (int i = 0; i < 76; i++) {
            byte[] changed = SAMPLE_REQUEST.clone();
            changed[i] ^= 0x01;
            if (i != 2 && i != 3) {   // the length field: integrity is computed with its own value there
                assertFalse(StunIntegrity.verifyIntegrity(changed, 76, SHORT_TERM_KEY), "byte " + i);
            }
            assertFalse(StunIntegrity.verifyFingerprint(changed, 0, 100), "byte " + i);
        }
    }
}
