package org.atrium.srtp;

/**
 * The cryptographic transform of one profile with one key set, RTP or RTCP. It encrypts and
 * authenticates in place and knows the packet layout of its profile; replay and rollover state
 * live in the stream contexts that own it.
 *
 * <p>Not thread-safe: each stream context owns its own instance.
 */
abstract class PacketCipher {
    static PacketCipher create(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey) {
        return create(profile, key, salt, authKey, SrtpCrypto.gcm());
    }

    /** {@code gcm}: the AES-GCM implementation to use for AEAD_AES_128_GCM (ignored otherwise). */
    static PacketCipher create(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey, GcmImplementation gcm) {
        switch (profile) {
            case AES128_CM_HMAC_SHA1_80:
                return new CmHmacSha1PacketCipher(key, salt, authKey, profile.rtpTrailerLength());
            case AEAD_AES_128_GCM:
                return new GcmPacketCipher(key, salt, gcm);
            default:
                throw new IllegalArgumentException("unsupported profile " + profile);
        }
    }

    static PacketCipher forRtp(SessionKeys keys) {
        return create(keys.profile, keys.rtpKey, keys.rtpSalt, keys.rtpAuthKey, keys.gcm);
    }

    static PacketCipher forRtcp(SessionKeys keys) {
        return create(keys.profile, keys.rtcpKey, keys.rtcpSalt, keys.rtcpAuthKey, keys.gcm);
    }

    /** Encrypts the payload after {@code headerLength}, appends the tag; returns the new length. */
    abstract int protectRtp(byte[] b, int off, int len, int headerLength, int ssrc, int roc, int seq);

    /** Verifies then decrypts; returns the plaintext length or {@link SrtpError#AUTH_FAILED}. */
    abstract int unprotectRtp(byte[] b, int off, int len, int headerLength, int ssrc, int roc, int seq);

    /** Encrypts after the first 8 bytes, appends the E|index word and tag; returns the new length. */
    abstract int protectRtcp(byte[] b, int off, int len, int ssrc, int index);

    /** Where the E|SRTCP index word starts in a protected RTCP packet of this profile. */
    abstract int srtcpIndexWordOffset(int off, int len);

    /**
     * Verifies and, when the E flag is set, decrypts; returns the RTCP length without trailer or
     * {@link SrtpError#AUTH_FAILED}. The caller has checked the length covers header and trailer.
     */
    abstract int unprotectRtcp(byte[] b, int off, int len, int ssrc, int indexWord);

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
