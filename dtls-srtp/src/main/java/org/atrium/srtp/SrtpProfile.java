package org.atrium.srtp;

/**
 * The SRTP protection profiles Atrium negotiates over DTLS-SRTP.
 *
 * <p>Identifiers are the DTLS "SRTP protection profile" code points of RFC 5764 section 4.1.2
 * and RFC 7714 section 14.2.
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128 in GCM, 96-bit salt, 16-byte tag; SRTCP adds the tag and the E|index word. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16),
    /** RFC 3711 / RFC 5764: AES-128 counter mode, HMAC-SHA1 truncated to 80 bits. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10);

    private final int protectionProfileId;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int protectionProfileId, int keyLength, int saltLength, int tagLength) {
        this.protectionProfileId = protectionProfileId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The two-byte code point sent in the DTLS use_srtp extension. */
    public int protectionProfileId() {
        return protectionProfileId;
    }

    /** Master key length in bytes (equal to the session encryption key length). */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes (equal to the session salt length). */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes that protecting an RTP packet appends (the authentication tag). */
    public int rtpTrailerLength() {
        return tagLength;
    }

    /** Bytes that protecting an RTCP packet appends: the tag plus the 4-byte E|SRTCP index word. */
    public int rtcpTrailerLength() {
        return tagLength + 4;
    }

    /** Returns the profile with that use_srtp code point, or null when Atrium does not support it. */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.protectionProfileId == id) {
                return profile;
            }
        }
        return null;
    }
}
