package org.atrium.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714 sections 8 to 10) on the JDK's AES/GCM, whose
 * GHASH is an intrinsic and faster than anything table-driven in Java. {@code Cipher.init} per
 * packet allocates a few small objects and a forged packet raises AEADBadTagException inside the
 * JDK (caught here and returned as a code).
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

    GcmPacketCipher(byte[] key, byte[] salt) {
        if (salt.length != 12) {
            throw new IllegalArgumentException("AES-GCM SRTP needs a 12-byte salt");
        }
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
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
        // The JDK refuses to encrypt twice in a row under one key and IV, which a sender
        // retransmitting the same packet index legitimately does (the output is identical,
        // so no keystream is reused on different plaintext). Moving the cipher off that IV first
        // lets the retransmission through.
        if (encryptedBefore && java.util.Arrays.equals(iv, lastEncryptionIv)) {
            lastEncryptionIv[0] ^= 1;
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, lastEncryptionIv));
        }
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
        System.arraycopy(iv, 0, lastEncryptionIv, 0, 12);
        encryptedBefore = true;
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
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
            gcm.updateAAD(b, off, headerLength);
            int n = gcm.doFinal(b, off + headerLength, len - headerLength, b, off + headerLength);
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
        putInt(indexWord, 0, word);
        try {
            initEncrypt();
            // RFC 7714 section 9.2: AAD is the first 8 header bytes followed by E|index.
            gcm.updateAAD(b, off, 8);
            gcm.updateAAD(indexWord, 0, 4);
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
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
            if ((word & E_FLAG) != 0) {
                gcm.updateAAD(b, off, 8);
                gcm.updateAAD(indexWord, 0, 4);
                gcm.doFinal(b, off + 8, len - 4 - 8, b, off + 8);
            } else {
                // RFC 7714 section 10: unencrypted SRTCP authenticates the whole packet as AAD.
                gcm.updateAAD(b, off, rtcpLength);
                gcm.updateAAD(indexWord, 0, 4);
                gcm.doFinal(b, off + rtcpLength, TAG_LENGTH, b, off + rtcpLength);
            }
            return rtcpLength;
        } catch (AEADBadTagException e) {
            return SrtpError.AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
