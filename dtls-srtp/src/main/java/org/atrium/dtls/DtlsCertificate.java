package org.atrium.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
 * A self-signed ECDSA P-256 certificate and its private key, the identity an endpoint proves
 * in the DTLS handshake; peers authenticate it by the fingerprint signalled in SDP
 * (RFC 8827 section 6.5), not by a CA chain. Immutable and shareable between endpoints.
 */
public final class DtlsCertificate {
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final Fingerprint sha256;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.sha256 = Fingerprint.of("sha-256", der);
    }

    /**
     * A new key pair on secp256r1 and a self-signed SHA256withECDSA certificate, CN=atrium,
     * valid from a day ago (peers' clocks drift) for 30 days.
     */
    public static DtlsCertificate generateEcdsaP256() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=atrium");
            // A positive 63-bit serial: RFC 5280 section 4.1.2.2 asks for unique positive serials.
            BigInteger serial = BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, keyPair.getPublic());
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
            AsymmetricKeyParameter privateKey = PrivateKeyFactory.createKey(
                    PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded()));
            return new DtlsCertificate(holder.getEncoded(), privateKey);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 certificate", e);
        }
    }

    /** "AB:CD:..." : the SHA-256 over the DER encoding, upper-case hex with colons. */
    public String fingerprintSha256() {
        return sha256.value();
    }

    /** The SHA-256 fingerprint, ready for {@code a=fingerprint:}. */
    public Fingerprint fingerprint() {
        return sha256;
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
}
