package org.atrium.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-CM pseudo-random function of RFC 3711 section 4.3, with a key derivation rate of zero
 * (the only rate DTLS-SRTP uses, RFC 5764 section 4.1.2), so every session key is derived once.
 *
 * <p>RFC 7714 section 11 reuses this KDF for AES-GCM; its 96-bit master salt is left-justified in
 * the 112-bit field, padded with zeros, as libsrtp does.
 */
final class SrtpKeyDerivation {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTHENTICATION = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTHENTICATION = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    /**
     * Returns {@code length} bytes of PRF(master key, (label || 0^48) XOR master salt), RFC 3711
     * section 4.3.1 with r = 0.
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        byte[] counter = new byte[16];
        System.arraycopy(masterSalt, 0, counter, 0, masterSalt.length);
        // key_id = label || r sits in the low 56 bits of the 112-bit x, so the label is byte 7.
        counter[7] ^= (byte) label;
        int blocks = (length + 15) / 16;
        byte[] input = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++) {
            System.arraycopy(counter, 0, input, i * 16, 14);
            input[i * 16 + 14] = (byte) (i >>> 8);
            input[i * 16 + 15] = (byte) i;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] out = aes.doFinal(input);
            byte[] result = new byte[length];
            System.arraycopy(out, 0, result, 0, length);
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }
}
