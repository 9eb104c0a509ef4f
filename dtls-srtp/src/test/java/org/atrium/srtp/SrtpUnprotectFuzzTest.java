package org.atrium.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the receive path of SRTP and SRTCP, both profiles (GCM on each implementation): fuzzed bytes go to a fresh
 * receiving session. Without JAZZER_FUZZ they run the committed inputs in
 * {@code SrtpUnprotectFuzzTestInputs/<method>/}, which are real packets protected with
 * {@link #MASTER_KEY} and {@link #MASTER_SALT} (see docs/fuzzing.md).
 *
 * <p>The contract: unprotect never throws and returns a length or an {@link SrtpError} code; it
 * changes nothing outside {@code [off, off + len)}; and it succeeds only for an authentic packet,
 * checked by protecting the result again with the same keys, which must give back the input.
 */
class SrtpUnprotectFuzzTest {
    private static final int MAX_INPUT = 2048;
    private static final int OFF = 3;
    static final byte[] MASTER_KEY = TestPackets.hex("e1f97a0d3e018be0d64fa32c06de4139");
    static final byte[] MASTER_SALT = TestPackets.hex("0ec675ad498afeebb6960b3aabe6");

    @FuzzTest(maxDuration = "60s")
    void unprotectRtp(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        for (TestCipher cipher : usableCiphers()) {
            SrtpProfile profile = cipher.profile;
            byte[] b = placed(input);
            int result = receiving(cipher).unprotectRtp(b, OFF, input.length);
            assertOutcome(input, b, result);
            if (result >= 0) {
                SrtpSession sender = sending(cipher);
                byte[] again = Arrays.copyOfRange(b, OFF, OFF + result + SrtpSession.MAX_TRAILER);
                int protectedLength = sender.protectRtp(again, 0, result);
                assertArrayEquals(input, Arrays.copyOf(again, protectedLength), "only an authentic packet unprotects");
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void unprotectRtcp(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        for (TestCipher cipher : usableCiphers()) {
            SrtpProfile profile = cipher.profile;
            byte[] b = placed(input);
            int result = receiving(cipher).unprotectRtcp(b, OFF, input.length);
            assertOutcome(input, b, result);
            if (result >= 0) {
                // The E|index word follows the packet (CM: before the tag; GCM: after the tag).
                int indexAt = profile == SrtpProfile.AEAD_AES_128_GCM ? input.length - 4 : result;
                int word = PacketCipher.getInt(input, indexAt);
                assertTrue(word < 0, "the seeds are encrypted (E set); anything else cannot authenticate without the key");
                SrtpSession sender = sending(cipher);
                int ssrc = PacketCipher.getInt(b, OFF + 4);
                sender.setNextSrtcpIndex(ssrc, word & 0x7FFFFFFF);
                byte[] again = Arrays.copyOfRange(b, OFF, OFF + result + SrtpSession.MAX_TRAILER);
                int protectedLength = sender.protectRtcp(again, 0, result);
                assertArrayEquals(input, Arrays.copyOf(again, protectedLength), "only an authentic packet unprotects");
            }
        }
    }

    private static void assertOutcome(byte[] input, byte[] b, int result) {
        assertTrue(result >= SrtpError.WRONG_DIRECTION, "a length or a documented error: " + result);
        assertTrue(result <= input.length, "unprotect never grows a packet");
        for (int i = 0; i < OFF; i++) {
            assertEquals((byte) 0xEE, b[i], "bytes before the packet are untouched");
        }
        if (result < 0) {
            assertArrayEquals(input, Arrays.copyOfRange(b, OFF, b.length), "a refused packet is left as it was");
        }
    }

    /** Both profiles, GCM on the JDK and, where it loads, on ACCP. */
    private static List<TestCipher> usableCiphers() {
        List<TestCipher> ciphers = new ArrayList<>();
        for (TestCipher cipher : TestCipher.values()) {
            if (cipher.gcm != GcmImplementation.ACCP || SrtpCrypto.accp() != null) {
                ciphers.add(cipher);
            }
        }
        return ciphers;
    }

    private static SrtpSession receiving(TestCipher cipher) {
        SrtpProfile profile = cipher.profile;
        return cipher.on(SrtpSession.forReceiving(profile, MASTER_KEY, Arrays.copyOf(MASTER_SALT, profile.saltLength())));
    }

    private static SrtpSession sending(TestCipher cipher) {
        SrtpProfile profile = cipher.profile;
        return cipher.on(SrtpSession.forSending(profile, MASTER_KEY, Arrays.copyOf(MASTER_SALT, profile.saltLength())));
    }

    private static byte[] placed(byte[] input) {
        byte[] b = new byte[OFF + input.length];
        Arrays.fill(b, 0, OFF, (byte) 0xEE);
        System.arraycopy(input, 0, b, OFF, input.length);
        return b;
    }
}
