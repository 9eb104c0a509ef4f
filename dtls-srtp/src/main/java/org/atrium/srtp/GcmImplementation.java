package org.atrium.srtp;

/** Where AEAD_AES_128_GCM's AES and GHASH come from; {@link SrtpCrypto} picks one per process. */
enum GcmImplementation {
    /** Amazon Corretto Crypto Provider (AWS-LC through JNI), used for this cipher only. */
    ACCP("accp"),
    /** The JDK's own AES/GCM (SunJCE), available everywhere. */
    JDK("jdk");

    final String shortName;

    GcmImplementation(String shortName) {
        this.shortName = shortName;
    }
}
