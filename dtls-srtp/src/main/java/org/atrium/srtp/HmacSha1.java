package org.atrium.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over the JDK's SHA-1 digest, writing into caller-owned arrays:
 * {@code javax.crypto.Mac.doFinal(byte[], int)} allocates its result on every call.
 *
 * <p>Why not SHA-1 in plain Java with the padded key states computed once: HotSpot compiles the
 * JDK's SHA-1 compression to the CPU's SHA instructions (SHA-NI, ARMv8 SHA1), about four times
 * faster per block than the best plain-Java compression (measured in benchmarks/, class
 * CryptoPrimitivesBenchmark). Rehashing the two pad blocks per message costs two compressions,
 * far less than that difference.
 *
 * <p>Not thread-safe: one instance belongs to one stream context.
 */
final class HmacSha1 {
    static final int DIGEST_LENGTH = 20;
    private static final int BLOCK_LENGTH = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK_LENGTH];
    private final byte[] outerPad = new byte[BLOCK_LENGTH];
    private final byte[] innerDigest = new byte[DIGEST_LENGTH];
    private final byte[] word = new byte[4];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
        byte[] k = key.length > BLOCK_LENGTH ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK_LENGTH; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    void start() {
        sha1.reset();
        sha1.update(innerPad);
    }

    void update(byte[] b, int off, int len) {
        sha1.update(b, off, len);
    }

    void updateInt(int v) {
        PacketCipher.putInt(word, 0, v);
        sha1.update(word, 0, 4);
    }

    /** Writes the 20-byte MAC to out[0..20). */
    void finish(byte[] out) {
        try {
            sha1.digest(innerDigest, 0, DIGEST_LENGTH);
            sha1.update(outerPad);
            sha1.update(innerDigest);
            sha1.digest(out, 0, DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
