package org.atrium.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association.
 *
 * <p>RFC 5764 section 4.2 lays out the exporter output as
 * client_write_SRTP_master_key | server_write_SRTP_master_key |
 * client_write_SRTP_master_salt | server_write_SRTP_master_salt. The client's keys protect
 * what the DTLS client sends.
 */
public final class SrtpKeyingMaterial {
    private final SrtpProfile profile;
    private final byte[] clientKey;
    private final byte[] serverKey;
    private final byte[] clientSalt;
    private final byte[] serverSalt;

    private SrtpKeyingMaterial(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt,
            byte[] serverSalt) {
        this.profile = profile;
        this.clientKey = clientKey;
        this.serverKey = serverKey;
        this.clientSalt = clientSalt;
        this.serverSalt = serverSalt;
    }

    /**
     * Splits the output of the "EXTRACTOR-dtls_srtp" exporter.
     *
     * @throws IllegalArgumentException if the material is not 2 * (key + salt) bytes long
     */
    public static SrtpKeyingMaterial fromExporter(SrtpProfile profile, byte[] material) {
        Objects.requireNonNull(profile, "profile");
        int key = profile.keyLength();
        int salt = profile.saltLength();
        if (material.length != 2 * (key + salt)) {
            throw new IllegalArgumentException(
                    "keying material for " + profile + " must be " + 2 * (key + salt) + " bytes, got " + material.length);
        }
        return new SrtpKeyingMaterial(profile,
                Arrays.copyOfRange(material, 0, key),
                Arrays.copyOfRange(material, key, 2 * key),
                Arrays.copyOfRange(material, 2 * key, 2 * key + salt),
                Arrays.copyOfRange(material, 2 * key + salt, 2 * (key + salt)));
    }

    public SrtpProfile profile() {
        return profile;
    }

    public byte[] clientKey() {
        return clientKey.clone();
    }

    public byte[] clientSalt() {
        return clientSalt.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    public byte[] serverSalt() {
        return serverSalt.clone();
    }

    /** The master key this endpoint protects its outgoing packets with. */
    public byte[] localKey(boolean isDtlsClient) {
        return isDtlsClient ? clientKey() : serverKey();
    }

    public byte[] localSalt(boolean isDtlsClient) {
        return isDtlsClient ? clientSalt() : serverSalt();
    }

    /** The master key the peer protects its packets with, for unprotecting what it sends. */
    public byte[] remoteKey(boolean isDtlsClient) {
        return isDtlsClient ? serverKey() : clientKey();
    }

    public byte[] remoteSalt(boolean isDtlsClient) {
        return isDtlsClient ? serverSalt() : clientSalt();
    }

    /** A session protecting what this endpoint sends. */
    public SrtpSession newSendingSession(boolean isDtlsClient) {
        return SrtpSession.forSending(profile, localKey(isDtlsClient), localSalt(isDtlsClient));
    }

    /** A session unprotecting what the peer sends. */
    public SrtpSession newReceivingSession(boolean isDtlsClient) {
        return SrtpSession.forReceiving(profile, remoteKey(isDtlsClient), remoteSalt(isDtlsClient));
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + "]";
    }
}
