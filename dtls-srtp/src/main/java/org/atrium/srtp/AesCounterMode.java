package org.atrium.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode built on the JDK's AES/ECB, so that a new IV per packet needs no
 * {@code Cipher.init} (which allocates). The counter increments the low 32 bits of the block,
 * as GCM's inc32 does; SRTP's AES-CM (RFC 3711 section 4.1.1) leaves the low 16 bits of its IV
 * zero, so the same increment serves it for packets under 2^16 blocks.
 *
 * <p>Not thread-safe: one instance belongs to one stream context.
 */
final class AesCounterMode {
    private final Cipher ecb;
    private byte[] counterBlocks = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** XORs {@code len} bytes of keystream, starting at counter block {@code iv}, into buf. */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        if (len <= 0) {
            return;
        }
        int blocks = (len + 15) >>> 4;
        int bytes = blocks << 4;
        if (counterBlocks.length < bytes) {
            // Only packets larger than any seen before grow the scratch space.
            counterBlocks = new byte[bytes];
            keystream = new byte[bytes];
        }
        int low = ((iv[12] & 0xff) << 24) | ((iv[13] & 0xff) << 16) | ((iv[14] & 0xff) << 8) | (iv[15] & 0xff);
        for (int i = 0; i < blocks; i++) {
            int p = i << 4;
            System.arraycopy(iv, 0, counterBlocks, p, 12);
            int c = low + i;
            counterBlocks[p + 12] = (byte) (c >>> 24);
            counterBlocks[p + 13] = (byte) (c >>> 16);
            counterBlocks[p + 14] = (byte) (c >>> 8);
            counterBlocks[p + 15] = (byte) c;
        }
        try {
            ecb.update(counterBlocks, 0, bytes, keystream, 0);
        } catch (GeneralSecurityException e) {
            // The output is sized above; a provider failing here is a broken JDK.
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < len; i++) {
            buf[off + i] ^= keystream[i];
        }
    }
}
