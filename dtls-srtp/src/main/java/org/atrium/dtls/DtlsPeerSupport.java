package org.atrium.dtls;

import java.io.IOException;
import java.util.Map;
import java.util.Vector;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
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

    /** ECDHE with an ECDSA certificate, AEAD first; Chrome and Firefox both offer the first. */
    private static final int[] ECDSA_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    /** The same with an RSA certificate (webrtcbin, pages that generate an RSA certificate). */
    private static final int[] RSA_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    };

    /** A client cannot know the server's certificate yet, so it offers both families, GCM first. */
    private static final int[] CLIENT_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    };

    /** The certificate types a server asks the client for: every kind WebRTC peers hold. */
    static final short[] CLIENT_CERTIFICATE_TYPES = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};

    /**
     * What a server accepts in the client's CertificateVerify (RFC 5246 section 7.4.4): ECDSA on
     * the curves browsers use, RSA with PKCS#1 v1.5 or PSS. No SHA-1.
     */
    private static final int[] ACCEPTED_SIGNATURE_SCHEMES = {
        SignatureScheme.ecdsa_secp256r1_sha256,
        SignatureScheme.ecdsa_secp384r1_sha384,
        SignatureScheme.ecdsa_secp521r1_sha512,
        SignatureScheme.rsa_pss_rsae_sha256,
        SignatureScheme.rsa_pss_rsae_sha384,
        SignatureScheme.rsa_pss_rsae_sha512,
        SignatureScheme.rsa_pkcs1_sha256,
        SignatureScheme.rsa_pkcs1_sha384,
        SignatureScheme.rsa_pkcs1_sha512,
    };

    /**
     * What each kind of our own key signs with, best first. In TLS 1.2 an ECDSA scheme names only
     * the hash, so the one that matches the curve's strength leads.
     */
    private static final Map<DtlsCertificate.Kind, int[]> SIGNING_PREFERENCE = Map.of(
            DtlsCertificate.Kind.ECDSA_P256, new int[] {
                SignatureScheme.ecdsa_secp256r1_sha256,
                SignatureScheme.ecdsa_secp384r1_sha384,
                SignatureScheme.ecdsa_secp521r1_sha512,
            },
            DtlsCertificate.Kind.ECDSA_P384, new int[] {
                SignatureScheme.ecdsa_secp384r1_sha384,
                SignatureScheme.ecdsa_secp256r1_sha256,
                SignatureScheme.ecdsa_secp521r1_sha512,
            },
            DtlsCertificate.Kind.RSA_2048, new int[] {
                SignatureScheme.rsa_pss_rsae_sha256,
                SignatureScheme.rsa_pkcs1_sha256,
                SignatureScheme.rsa_pss_rsae_sha384,
                SignatureScheme.rsa_pkcs1_sha384,
                SignatureScheme.rsa_pss_rsae_sha512,
                SignatureScheme.rsa_pkcs1_sha512,
            });

    private DtlsPeerSupport() {
    }

    /** A server's suites: only those its own certificate can serve, else BC fails with internal_error. */
    static int[] serverCipherSuites(BcTlsCrypto crypto, DtlsCertificate.Kind kind) {
        return TlsUtils.getSupportedCipherSuites(crypto, kind.isRsa() ? RSA_CIPHER_SUITES : ECDSA_CIPHER_SUITES);
    }

    static int[] clientCipherSuites(BcTlsCrypto crypto) {
        return TlsUtils.getSupportedCipherSuites(crypto, CLIENT_CIPHER_SUITES);
    }

    /** The signature algorithms of a server's CertificateRequest, those the crypto provider has. */
    static Vector<?> acceptedSignatureAlgorithms(TlsContext context) {
        Vector<SignatureAndHashAlgorithm> candidates = new Vector<>();
        for (int scheme : ACCEPTED_SIGNATURE_SCHEMES) {
            candidates.add(SignatureScheme.getSignatureAndHashAlgorithm(scheme));
        }
        return TlsUtils.getSupportedSignatureAlgorithms(context, candidates);
    }

    /**
     * The first algorithm our key signs with that the peer listed, or null if there is none.
     * A peer that lists nothing (no signature_algorithms extension) gets the RFC 5246 section
     * 7.4.1.4.1 default, SHA-1 with our key's algorithm.
     */
    static SignatureAndHashAlgorithm chooseSignatureAlgorithm(DtlsCertificate.Kind kind, Vector<?> peerAlgorithms) {
        if (peerAlgorithms == null) {
            return TlsUtils.getDefaultSignatureAlgorithm(
                    kind.isRsa() ? SignatureAlgorithm.rsa : SignatureAlgorithm.ecdsa);
        }
        for (int scheme : SIGNING_PREFERENCE.get(kind)) {
            SignatureAndHashAlgorithm candidate = SignatureScheme.getSignatureAndHashAlgorithm(scheme);
            if (peerAlgorithms.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Our certificate and key, signing with an algorithm the peer listed (the client's
     * signature_algorithms for a server, the CertificateRequest's for a client); if none fits,
     * records why and aborts with handshake_failure.
     */
    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate certificate,
            Vector<?> peerAlgorithms, String peerName, HandshakeOutcome outcome) throws IOException {
        SignatureAndHashAlgorithm algorithm = chooseSignatureAlgorithm(certificate.kind(), peerAlgorithms);
        if (algorithm == null) {
            String reason = peerName + " accepts no signature algorithm for a " + certificate.kind()
                    + " key: " + peerAlgorithms;
            outcome.refuse(reason);
            throw new TlsFatalAlert(AlertDescription.handshake_failure, reason);
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), certificate.tlsCertificateChain(crypto), algorithm);
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
