package org.atrium.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES in counter mode (RFC 3711 section 4.1.1) on the JDK's AES/CTR, whose many-blocks-at-once
 * intrinsic is several times faster than AES/ECB over counter blocks. The counter is the whole
 * 128-bit block incremented per block, as RFC 3711 defines it.
 *
 * <p>The JDK's {@code Cipher.init} would allocate per packet only because {@link IvParameterSpec}
 * and {@code SecretKeySpec} hand out defensive copies; the two small classes below hand out
 * their arrays instead, so re-keying the counter per packet allocates nothing. The cipher writes
 * into a fixed scratch buffer, copied back into the packet: in place, the JDK would copy the
 * input to a new array first, and XORing a keystream in Java is a byte loop C2 does not
 * vectorise (the two arrays might alias), several times slower than the copy.
 *
 * <p>Not thread-safe: one instance belongs to one stream context.
 */
final class AesCounterMode {
    /** Bytes per {@code Cipher.update}; longer inputs go in several chunks. */
    private static final int CHUNK = 2048;

    private final Cipher ctr;
    private final ReusedKey key;
    private final ReusedIv counter = new ReusedIv();
    private final byte[] scratch = new byte[CHUNK];

    AesCounterMode(byte[] key) {
        this.key = new ReusedKey(key);
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, this.key, counter);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable", e);
        }
    }

    /** Encrypts (or decrypts) {@code buf[off..off+len)} in place with the keystream starting at counter block {@code iv}. */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        if (len <= 0) {
            return;
        }
        System.arraycopy(iv, 0, counter.block, 0, 16);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, counter);
            while (len > 0) {
                int n = Math.min(len, CHUNK);
                ctr.update(buf, off, n, scratch, 0);
                System.arraycopy(scratch, 0, buf, off, n);
                off += n;
                len -= n;
            }
        } catch (GeneralSecurityException e) {
            // Key, IV and output are sized at construction; a provider failing here is a broken JDK.
            throw new IllegalStateException(e);
        }
    }

    /**
     * An IV the cipher reads without a copy. The JDK's CTR copies it into its own counter during
     * init and keeps no other use of it, so reusing the array for the next packet is safe.
     */
    private static final class ReusedIv extends IvParameterSpec {
        final byte[] block;

        ReusedIv() {
            this(new byte[16]);
        }

        private ReusedIv(byte[] block) {
            super(block);
            this.block = block;
        }

        @Override
        public byte[] getIV() {
            return block;
        }
    }

    /**
     * An AES key whose encoding is refilled into one scratch array per call instead of cloned:
     * the JDK zeroes what {@code getEncoded} returned once it has expanded the key (and skips the
     * expansion when the key is unchanged), so the scratch array is only borrowed.
     */
    private static final class ReusedKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private final byte[] lent;

        ReusedKey(byte[] key) {
            this.bytes = key.clone();
            this.lent = new byte[key.length];
        }

        @Override
        public String getAlgorithm() {
            return "AES";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            System.arraycopy(bytes, 0, lent, 0, bytes.length);
            return lent;
        }
    }
}
