package org.atrium.srtp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The profiles with each AES-GCM implementation: tests parameterized over these run the GCM cases
 * once on the JDK's AES/GCM and once on ACCP's (skipped where ACCP's native library does not load).
 */
enum TestCipher {
    AES_CM(SrtpProfile.AES128_CM_HMAC_SHA1_80, GcmImplementation.JDK),
    GCM_JDK(SrtpProfile.AEAD_AES_128_GCM, GcmImplementation.JDK),
    GCM_ACCP(SrtpProfile.AEAD_AES_128_GCM, GcmImplementation.ACCP);

    final SrtpProfile profile;
    final GcmImplementation gcm;

    TestCipher(SrtpProfile profile, GcmImplementation gcm) {
        this.profile = profile;
        this.gcm = gcm;
    }

    /** {@code session} with this AES-GCM implementation (unchanged for AES-CM). */
    SrtpSession on(SrtpSession session) {
        if (profile != SrtpProfile.AEAD_AES_128_GCM) {
            return session;
        }
        assumeTrue(gcm != GcmImplementation.ACCP || SrtpCrypto.accp() != null,
                "Amazon Corretto Crypto Provider does not load here");
        return session.withGcm(gcm);
    }
}
