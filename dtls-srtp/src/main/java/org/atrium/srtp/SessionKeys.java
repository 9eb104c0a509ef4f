package org.atrium.srtp;

/**
 * The session keys of one SRTP direction: the RTP and the RTCP encryption key, salt and (for
 * HMAC profiles) authentication key. With a key derivation rate of zero they do not depend on
 * the SSRC or the packet index, so one set serves every SSRC of a session.
 */
final class SessionKeys {
    /** HMAC-SHA1 authentication keys are 160 bits (RFC 3711 section 8.2). */
    static final int HMAC_SHA1_KEY_LENGTH = 20;

    final SrtpProfile profile;
    final byte[] rtpKey;
    final byte[] rtpSalt;
    final byte[] rtpAuthKey;
    final byte[] rtcpKey;
    final byte[] rtcpSalt;
    final byte[] rtcpAuthKey;
    /** The AES-GCM implementation this session's GCM ciphers use: the process's choice unless a test or benchmark picks one. */
    final GcmImplementation gcm;

    private SessionKeys(SrtpProfile profile, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey, byte[] rtcpKey,
            byte[] rtcpSalt, byte[] rtcpAuthKey) {
        this(profile, rtpKey, rtpSalt, rtpAuthKey, rtcpKey, rtcpSalt, rtcpAuthKey,
                profile == SrtpProfile.AEAD_AES_128_GCM ? SrtpCrypto.gcm() : GcmImplementation.JDK);
    }

    private SessionKeys(SrtpProfile profile, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey, byte[] rtcpKey,
            byte[] rtcpSalt, byte[] rtcpAuthKey, GcmImplementation gcm) {
        this.profile = profile;
        this.rtpKey = rtpKey;
        this.rtpSalt = rtpSalt;
        this.rtpAuthKey = rtpAuthKey;
        this.rtcpKey = rtcpKey;
        this.rtcpSalt = rtcpSalt;
        this.rtcpAuthKey = rtcpAuthKey;
        this.gcm = gcm;
    }

    /** The same keys with AES-GCM from {@code implementation}. */
    SessionKeys withGcm(GcmImplementation implementation) {
        return new SessionKeys(profile, rtpKey, rtpSalt, rtpAuthKey, rtcpKey, rtcpSalt, rtcpAuthKey, implementation);
    }

    static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.keyLength() + "-byte master key");
        }
        if (masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.saltLength() + "-byte master salt");
        }
        int keyLength = profile.keyLength();
        int saltLength = profile.saltLength();
        boolean hmac = profile == SrtpProfile.AES128_CM_HMAC_SHA1_80;
        return new SessionKeys(profile,
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, keyLength),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, saltLength),
                hmac ? SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION,
                        HMAC_SHA1_KEY_LENGTH) : null,
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, keyLength),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, saltLength),
                hmac ? SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_AUTHENTICATION,
                        HMAC_SHA1_KEY_LENGTH) : null);
    }

    /** Session keys given directly, as RFC 7714's vectors state them; RTP and RTCP share them. */
    static SessionKeys ofSessionKeys(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey) {
        return new SessionKeys(profile, key.clone(), salt.clone(), authKey == null ? null : authKey.clone(),
                key.clone(), salt.clone(), authKey == null ? null : authKey.clone());
    }
}
