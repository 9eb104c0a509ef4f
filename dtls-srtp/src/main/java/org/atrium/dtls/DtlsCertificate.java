package org.atrium.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * A self-signed certificate and its private key, the identity an endpoint proves in the DTLS
 * handshake; peers authenticate it by the fingerprint signalled in SDP (RFC 8827 section 6.5),
 * not by a CA chain. Immutable and shareable between endpoints.
 *
 * <p>The SFU uses ECDSA P-256, as browsers do by default; the other kinds are the ones a
 * browser page may choose with {@code RTCPeerConnection.generateCertificate} (and GStreamer's
 * webrtcbin uses RSA), so they are here to test against.
 */
public final class DtlsCertificate {
    /** The key and certificate signature kinds WebRTC peers use. */
    public enum Kind {
        ECDSA_P256("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA"),
        ECDSA_P384("EC", new ECGenParameterSpec("secp384r1"), "SHA384withECDSA"),
        RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SHA256withRSA");

        private final String keyAlgorithm;
        private final AlgorithmParameterSpec keySpec;
        private final String signatureAlgorithm;

        Kind(String keyAlgorithm, AlgorithmParameterSpec keySpec, String signatureAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
            this.keySpec = keySpec;
            this.signatureAlgorithm = signatureAlgorithm;
        }

        public boolean isRsa() {
            return this == RSA_2048;
        }
    }

    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final Kind kind;
    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final Fingerprint sha256;

    private DtlsCertificate(Kind kind, byte[] der, AsymmetricKeyParameter privateKey) {
        this.kind = kind;
        this.der = der;
        this.privateKey = privateKey;
        this.sha256 = Fingerprint.of("sha-256", der);
    }

    /** A key pair on secp256r1 and a SHA256withECDSA certificate: the SFU's own kind. */
    public static DtlsCertificate generateEcdsaP256() {
        return generate(Kind.ECDSA_P256);
    }

    /** A key pair on secp384r1 and a SHA384withECDSA certificate. */
    public static DtlsCertificate generateEcdsaP384() {
        return generate(Kind.ECDSA_P384);
    }

    /** An RSA-2048 key pair (exponent 65537) and a SHA256withRSA certificate; takes up to a second. */
    public static DtlsCertificate generateRsa2048() {
        return generate(Kind.RSA_2048);
    }

    /**
     * A new key pair of the given kind and a self-signed certificate, CN=atrium, valid from a
     * day ago (peers' clocks drift) for 30 days.
     */
    public static DtlsCertificate generate(Kind kind) {
        Objects.requireNonNull(kind, "kind");
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance(kind.keyAlgorithm);
            generator.initialize(kind.keySpec, random);
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=atrium");
            // A positive 63-bit serial: RFC 5280 section 4.1.2.2 asks for unique positive serials.
            BigInteger serial = BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, keyPair.getPublic());
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder(kind.signatureAlgorithm).build(keyPair.getPrivate()));
            AsymmetricKeyParameter privateKey = PrivateKeyFactory.createKey(
                    PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded()));
            return new DtlsCertificate(kind, holder.getEncoded(), privateKey);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a " + kind + " certificate", e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** "AB:CD:..." : the SHA-256 over the DER encoding, upper-case hex with colons. */
    public String fingerprintSha256() {
        return sha256.value();
    }

    /** The SHA-256 fingerprint, ready for {@code a=fingerprint:}. */
    public Fingerprint fingerprint() {
        return sha256;
    }

    /** The fingerprint with another hash function ("sha-1" ... "sha-512"), as a peer may signal it. */
    public Fingerprint fingerprint(String hashFunction) {
        return Fingerprint.of(hashFunction, der);
    }

    public byte[] derEncoded() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The certificate as a one-element TLS chain in the given crypto provider. */
    Certificate tlsCertificateChain(TlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + kind + ", sha-256 " + sha256.value() + "]";
    }
}
