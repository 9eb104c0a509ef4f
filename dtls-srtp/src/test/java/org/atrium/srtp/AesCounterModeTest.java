package org.atrium.srtp;

import static org.atrium.srtp.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES counter mode: NIST SP 800-38A vectors, and agreement with a freshly initialised JDK AES/CTR. */
class AesCounterModeTest {
    // NIST SP 800-38A Appendix F.5.1, CTR-AES128.Encrypt. The counter's low bytes carry from
    // ...fdfeff to ...fdff00, so the 128-bit increment is checked too.
    private static final byte[] KEY = hex("2b7e151628aed2a6abf7158809cf4f3c");
    private static final byte[] INITIAL_COUNTER = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    private static final byte[] PLAINTEXT = hex("6bc1bee22e409f96e93d7e117393172a"
            + "ae2d8a571e03ac9c9eb76fac45af8e51"
            + "30c81c46a35ce411e5fbc1191a0a52ef"
            + "f69f2445df4f9b17ad2b417be66c3710");
    private static final byte[] CIPHERTEXT = hex("874d6191b620e3261bef6864990db6ce"
            + "9806f66b7970fdff8617187bb9fffdff"
            + "5ae4df3edbd5d35e5b4f09020db03eab"
            + "1e031dda2fbe03d1792170a0f3009cee");

    /** Whole blocks, and lengths that end inside a block. */
    @ParameterizedTest(name = "NIST SP 800-38A F.5.1, first {0} bytes")
    @ValueSource(ints = {64, 1, 16, 17, 33, 63})
    void nistCtrAes128(int length) {
        AesCounterMode ctr = new AesCounterMode(KEY);
        byte[] buf = new byte[length + 3];
        System.arraycopy(PLAINTEXT, 0, buf, 3, length);
        ctr.apply(INITIAL_COUNTER, buf, 3, length);
        assertArrayEquals(Arrays.copyOf(CIPHERTEXT, length), Arrays.copyOfRange(buf, 3, 3 + length));
        // Applying the same keystream again decrypts, on the same instance.
        ctr.apply(INITIAL_COUNTER, buf, 3, length);
        assertArrayEquals(Arrays.copyOf(PLAINTEXT, length), Arrays.copyOfRange(buf, 3, 3 + length));
    }

    /** All 128 bits count: ff..ff is followed by 00..00 (RFC 3711 section 4.1.1, mod 2^128). */
    @Test
    void counterWrapsAt128Bits() throws GeneralSecurityException {
        AesCounterMode ctr = new AesCounterMode(KEY);
        byte[] buf = new byte[32];
        byte[] allOnes = new byte[16];
        Arrays.fill(allOnes, (byte) 0xff);
        ctr.apply(allOnes, buf, 0, 32);
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"));
        byte[] blocks = new byte[32];
        System.arraycopy(allOnes, 0, blocks, 0, 16);
        assertArrayEquals(ecb.doFinal(blocks), buf);
    }

    /**
     * One instance, many packets in a row with unrelated counters and lengths up to several
     * internal chunks, against a JDK cipher initialised afresh for each.
     */
    @Test
    void matchesFreshJdkCipherPacketAfterPacket() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(3711);
        byte[] key = new byte[16];
        random.nextBytes(key);
        AesCounterMode ours = new AesCounterMode(key);
        Cipher jdk = Cipher.getInstance("AES/CTR/NoPadding");
        SecretKeySpec keySpec = new SecretKeySpec(key, "AES");
        for (int len = 0; len < 5000; len += 1 + random.nextInt(len < 100 ? 2 : 150)) {
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            if (random.nextInt(4) == 0) {
                iv[14] = (byte) 0xff;
                iv[15] = (byte) 0xff;
            }
            byte[] data = new byte[len + 5];
            random.nextBytes(data);
            byte[] expected = data.clone();
            jdk.init(Cipher.ENCRYPT_MODE, keySpec, new IvParameterSpec(iv));
            jdk.doFinal(data, 5, len, expected, 5);
            ours.apply(iv, data, 5, len);
            assertArrayEquals(expected, data, "length " + len);
        }
    }
}
