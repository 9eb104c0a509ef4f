package org.atrium.dtls;

import java.io.IOException;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** What Atrium's DTLS client and server share: suites, credentials, peer check, SRTP export. */
final class DtlsPeerSupport {
    /** RFC 5764 section 4.2. */
    static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    /**
     * Only ECDSA suites: with an ECDSA certificate BC would otherwise consider RSA suites and
     * fail with internal_error. Chrome and Firefox both offer the first.
     */
    private static final int[] ECDSA_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private DtlsPeerSupport() {
    }

    static int[] cipherSuites(BcTlsCrypto crypto) {
        return TlsUtils.getSupportedCipherSuites(crypto, ECDSA_CIPHER_SUITES);
    }

    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate certificate)
            throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), certificate.tlsCertificateChain(crypto),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /**
     * Checks the peer's end-entity certificate against the fingerprint from signalling
     * (RFC 8122 section 5); on mismatch records why and aborts with bad_certificate.
     */
    static void verifyPeer(Certificate chain, Fingerprint expected, String peerName, HandshakeOutcome outcome)
            throws IOException {
        if (chain == null || chain.isEmpty()) {
            outcome.refuse(peerName + " sent no certificate");
            throw new TlsFatalAlert(AlertDescription.certificate_required, peerName + " sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!expected.matches(der)) {
            String reason = peerName + " certificate " + Fingerprint.of(expected.hashFunction(), der)
                    + " does not match the signalled fingerprint " + expected;
            outcome.refuse(reason);
            throw new TlsFatalAlert(AlertDescription.bad_certificate, reason);
        }
    }

    /** RFC 5764 section 4.2: client key | server key | client salt | server salt. */
    static void exportSrtpKeys(TlsContext context, SrtpProfile profile, HandshakeOutcome outcome) {
        int length = 2 * (profile.keyLength() + profile.saltLength());
        byte[] material = context.exportKeyingMaterial(EXPORTER_LABEL, null, length);
        outcome.keyingMaterial(SrtpKeyingMaterial.fromExporter(profile, material));
    }

    static void onAlertReceived(short level, short description, HandshakeOutcome outcome) {
        if (description == AlertDescription.close_notify) {
            outcome.peerClosed();
        } else if (level == AlertLevel.fatal) {
            outcome.refuse("peer sent fatal alert " + AlertDescription.getText(description));
        }
    }
}
