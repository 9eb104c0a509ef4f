package org.atrium.srtp;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714 sections 8 to 10) on a JCE AES/GCM: Amazon
 * Corretto Crypto Provider's (AWS-LC) or the JDK's, as {@link SrtpCrypto} chose. A forged packet
 * raises AEADBadTagException inside either (caught here and returned as a code).
 *
 * <p>With ACCP, nothing of ours is allocated per packet: the key is one object (ACCP skips the
 * key check and copy when it sees the same key again) and the IV goes in through two reused
 * parameter specs whose {@code getIV()} hands out their array instead of a copy. ACCP keeps that
 * array to refuse a repeated key and IV on the next init, so the two specs alternate: the array
 * it kept is never the one being refilled. What ACCP itself allocates remains: a capturing lambda
 * around its native context in {@code updateAAD} and in {@code doFinal} when encrypting (64 B per
 * packet), in {@code doFinal} when decrypting (32 B). The JDK's GCM builds a new engine on every
 * {@code Cipher.init} (about 1 KB) and keeps references to the spec, so it gets a fresh spec.
 */
final class GcmPacketCipher extends PacketCipher {
    private static final int TAG_LENGTH = 16;
    private static final int E_FLAG = 0x80000000;

    private final Cipher gcm;
    private final SecretKey key;
    private final byte[] salt;
    private final byte[] iv = new byte[12];
    private final byte[] lastEncryptionIv = new byte[12];
    private boolean encryptedBefore;
    private final byte[] indexWord = new byte[4];
    /** SRTCP's AAD when encrypted: the first 8 header bytes and E|index, given in one call. */
    private final byte[] rtcpAad = new byte[12];
    /** Non-null for ACCP: the two specs used in turn. */
    private final ReusedSpec[] specs;
    private int nextSpec;
    /** ACCP's decryption output, copied into the packet once the tag verified; grows to the longest packet. */
    private byte[] scratch = new byte[0];

    GcmPacketCipher(byte[] key, byte[] salt, GcmImplementation implementation) {
        if (salt.length != 12) {
            throw new IllegalArgumentException("AES-GCM SRTP needs a 12-byte salt");
        }
        try {
            if (implementation == GcmImplementation.ACCP) {
                Provider accp = SrtpCrypto.accp();
                if (accp == null) {
                    throw new IllegalStateException("Amazon Corretto Crypto Provider is not available");
                }
                this.gcm = Cipher.getInstance("AES/GCM/NoPadding", accp);
                this.specs = new ReusedSpec[] {new ReusedSpec(), new ReusedSpec()};
            } else {
                this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
                this.specs = null;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.salt = salt.clone();
    }

    /** RFC 7714 section 8.1: 00 00 || SSRC || ROC || SEQ, XOR the salt. */
    private void buildRtpIv(int ssrc, int roc, int seq) {
        iv[0] = 0;
        iv[1] = 0;
        putInt(iv, 2, ssrc);
        putInt(iv, 6, roc);
        iv[10] = (byte) (seq >>> 8);
        iv[11] = (byte) seq;
        xorSalt();
    }

    /** RFC 7714 section 9.1: 00 00 || SSRC || 00 00 || 0 + SRTCP index, XOR the salt. */
    private void buildRtcpIv(int ssrc, int index) {
        iv[0] = 0;
        iv[1] = 0;
        putInt(iv, 2, ssrc);
        iv[6] = 0;
        iv[7] = 0;
        putInt(iv, 8, index & 0x7fffffff);
        xorSalt();
    }

    private void xorSalt() {
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
    }

    private void initEncrypt() throws GeneralSecurityException {
        // The JDK and ACCP both refuse to encrypt twice in a row under one key and IV, which a
        // sender retransmitting the same packet index legitimately does (the output is identical,
        // so no keystream is reused on different plaintext). Moving the cipher off that IV first
        // lets the retransmission through.
        if (encryptedBefore && java.util.Arrays.equals(iv, lastEncryptionIv)) {
            lastEncryptionIv[0] ^= 1;
            init(Cipher.ENCRYPT_MODE, lastEncryptionIv);
        }
        init(Cipher.ENCRYPT_MODE, iv);
        System.arraycopy(iv, 0, lastEncryptionIv, 0, 12);
        encryptedBefore = true;
    }

    /**
     * Verifies and decrypts {@code b[off..off+len)} (ciphertext and tag) in place; returns the
     * plaintext length. A forged packet must stay as it was: the JDK verifies before it writes,
     * but ACCP (AWS-LC) overwrites the output (with zeros) when the tag does not match, so ACCP
     * decrypts into a scratch buffer copied back only once the tag has verified.
     */
    private int decryptFinal(byte[] b, int off, int len) throws GeneralSecurityException {
        if (specs == null) {
            return gcm.doFinal(b, off, len, b, off);
        }
        if (scratch.length < len) {
            // Allocated on a context's first decryption (sending contexts never need it).
            scratch = new byte[Math.max(len, Math.max(1500, 2 * scratch.length))];
        }
        int n = gcm.doFinal(b, off, len, scratch, 0);
        System.arraycopy(scratch, 0, b, off, n);
        return n;
    }

    private void init(int mode, byte[] ivBytes) throws GeneralSecurityException {
        if (specs == null) {
            gcm.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, ivBytes));
            return;
        }
        ReusedSpec spec = specs[nextSpec];
        nextSpec ^= 1;
        System.arraycopy(ivBytes, 0, spec.iv, 0, 12);
        gcm.init(mode, key, spec);
    }

    @Override
    int protectRtp(byte[] b, int off, int len, int headerLength, int ssrc, int roc, int seq) {
        buildRtpIv(ssrc, roc, seq);
        try {
            initEncrypt();
            // RFC 7714 section 8.2: the whole header, CSRCs and extension included, is AAD.
            gcm.updateAAD(b, off, headerLength);
            int n = gcm.doFinal(b, off + headerLength, len - headerLength, b, off + headerLength);
            return headerLength + n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    int unprotectRtp(byte[] b, int off, int len, int headerLength, int ssrc, int roc, int seq) {
        buildRtpIv(ssrc, roc, seq);
        try {
            init(Cipher.DECRYPT_MODE, iv);
            gcm.updateAAD(b, off, headerLength);
            int n = decryptFinal(b, off + headerLength, len - headerLength);
            return headerLength + n;
        } catch (AEADBadTagException e) {
            return SrtpError.AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    @Override
    int protectRtcp(byte[] b, int off, int len, int ssrc, int index) {
        buildRtcpIv(ssrc, index);
        int word = E_FLAG | index;
        try {
            initEncrypt();
            // RFC 7714 section 9.2: AAD is the first 8 header bytes followed by E|index.
            System.arraycopy(b, off, rtcpAad, 0, 8);
            putInt(rtcpAad, 8, word);
            gcm.updateAAD(rtcpAad, 0, 12);
            int n = gcm.doFinal(b, off + 8, len - 8, b, off + 8);
            // RFC 7714 section 9.1: E|index follows the tag.
            putInt(b, off + 8 + n, word);
            return 8 + n + 4;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    int srtcpIndexWordOffset(int off, int len) {
        return off + len - 4;
    }

    @Override
    int unprotectRtcp(byte[] b, int off, int len, int ssrc, int word) {
        buildRtcpIv(ssrc, word);
        putInt(indexWord, 0, word);
        int rtcpLength = len - 4 - TAG_LENGTH;
        try {
            init(Cipher.DECRYPT_MODE, iv);
            if ((word & E_FLAG) != 0) {
                System.arraycopy(b, off, rtcpAad, 0, 8);
                putInt(rtcpAad, 8, word);
                gcm.updateAAD(rtcpAad, 0, 12);
                decryptFinal(b, off + 8, len - 4 - 8);
            } else {
                // RFC 7714 section 10: unencrypted SRTCP authenticates the whole packet as AAD.
                gcm.updateAAD(b, off, rtcpLength);
                gcm.updateAAD(indexWord, 0, 4);
                decryptFinal(b, off + rtcpLength, TAG_LENGTH);
            }
            return rtcpLength;
        } catch (AEADBadTagException e) {
            return SrtpError.AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * A GCM parameter spec whose IV is handed out, not copied (the JCE class copies it in its
     * constructor and again in every {@code getIV()}). Only for ACCP, which reads the array
     * during init and compares it on the next init; see the class comment.
     */
    private static final class ReusedSpec extends GCMParameterSpec {
        final byte[] iv = new byte[12];

        ReusedSpec() {
            super(TAG_LENGTH * 8, new byte[12]);
        }

        @Override
        public byte[] getIV() {
            return iv;
        }
    }
}
