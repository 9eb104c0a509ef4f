package org.atrium.srtp;

import static org.atrium.srtp.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Atrium's HMAC-SHA1 against RFC 2202 section 3 and against the JDK's Mac. */
class HmacSha1Test {

    private static String repeat(String hexByte, int n) {
        return hexByte.repeat(n);
    }

    private static String ascii(String s) {
        return TestPackets.hex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, s.length());
    }

    // RFC 2202 section 3, test cases 1 to 7: key, data, HMAC-SHA1 (test 5's full 20 bytes).
    static Stream<Arguments> rfc2202() {
        return Stream.of(
                Arguments.of("1", repeat("0b", 20), ascii("Hi There"),
                        "b617318655057264e28bc0b6fb378c8ef146be00"),
                Arguments.of("2", ascii("Jefe"), ascii("what do ya want for nothing?"),
                        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
                Arguments.of("3", repeat("aa", 20), repeat("dd", 50),
                        "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
                Arguments.of("4", "0102030405060708090a0b0c0d0e0f10111213141516171819", repeat("cd", 50),
                        "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
                Arguments.of("5", repeat("0c", 20), ascii("Test With Truncation"),
                        "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
                Arguments.of("6", repeat("aa", 80), ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
                        "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
                Arguments.of("7", repeat("aa", 80),
                        ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
                        "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"));
    }

    @ParameterizedTest(name = "RFC 2202 HMAC-SHA1 test case {0}")
    @MethodSource
    void rfc2202(String testCase, String key, String data, String expected) {
        HmacSha1 hmac = new HmacSha1(hex(key));
        byte[] message = hex(data);
        byte[] out = new byte[20];
        hmac.start();
        hmac.update(message, 0, message.length);
        hmac.finish(out);
        assertArrayEquals(hex(expected), out);
        // The same instance computes the next message from its precomputed pads.
        hmac.start();
        hmac.update(message, 0, message.length);
        hmac.finish(out);
        assertArrayEquals(hex(expected), out);
    }

    /** Every length from 0 to 300 (all block boundaries), then packet-sized ones, fed in pieces. */
    @Test
    void matchesJdkMacOnRandomInputs() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(2202);
        byte[] key = new byte[20];
        random.nextBytes(key);
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        HmacSha1 ours = new HmacSha1(key);
        byte[] out = new byte[20];
        for (int len = 0; len < 1600; len += len < 300 ? 1 : 37) {
            byte[] data = new byte[len + 7];
            random.nextBytes(data);
            int off = random.nextInt(8);
            int roc = random.nextInt();
            jdk.update(data, off, len);
            jdk.update(new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8), (byte) roc});
            byte[] expected = jdk.doFinal();

            // In one piece, as SRTP does: the packet, then the ROC.
            ours.start();
            ours.update(data, off, len);
            ours.updateInt(roc);
            ours.finish(out);
            assertArrayEquals(expected, out, "length " + len);

            // In random pieces, so the partial-block buffering is exercised too.
            ours.start();
            int pos = off;
            int end = off + len;
            while (pos < end) {
                int piece = Math.min(end - pos, random.nextInt(130));
                ours.update(data, pos, piece);
                pos += piece;
            }
            ours.updateInt(roc);
            ours.finish(out);
            assertArrayEquals(expected, out, "length " + len + " in pieces");
        }
    }

    @Test
    void keysOfEveryLengthMatchJdkMac() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] data = new byte[100];
        random.nextBytes(data);
        for (int keyLength = 1; keyLength <= 150; keyLength++) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            Mac jdk = Mac.getInstance("HmacSHA1");
            jdk.init(new SecretKeySpec(key, "HmacSHA1"));
            HmacSha1 ours = new HmacSha1(key);
            byte[] out = new byte[20];
            ours.start();
            ours.update(data, 0, data.length);
            ours.finish(out);
            assertArrayEquals(jdk.doFinal(data), out, "key length " + keyLength);
        }
    }
}
