package org.atrium.signaling.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and one server certificate it issued, as PEM files for TLS
 * servers in tests (coturn's {@code cert}/{@code pkey}, or any server reading PEM):
 * <ul>
 *   <li>{@link #caPem()}: the CA's certificate, for whatever must trust it (a browser through {@link
 *       LabChromium#trustCa(Path)});
 *   <li>{@link #chainPem()}: the server certificate followed by the CA's;
 *   <li>{@link #keyPem()}: the server's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
 * </ul>
 * Both keys are ECDSA P-256, signed with SHA-256. The server certificate names its hosts as
 * subjectAltNames (IP addresses as iPAddress entries, anything else as dNSName; Chromium checks
 * only these, not the common name), has extendedKeyUsage serverAuth and is valid from an hour ago
 * for {@link #VALIDITY}. The CA is constrained to no further CAs ({@code pathLen 0}).
 */
public final class TestCertificates {

    public static final Duration VALIDITY = Duration.ofDays(2);

    private final Path caPem;
    private final Path chainPem;
    private final Path keyPem;
    private final X509Certificate ca;
    private final X509Certificate server;

    private TestCertificates(Path dir, X509Certificate ca, X509Certificate server) {
        this.caPem = dir.resolve("ca.pem");
        this.chainPem = dir.resolve("chain.pem");
        this.keyPem = dir.resolve("key.pem");
        this.ca = ca;
        this.server = server;
    }

    /**
     * A new CA and a server certificate for {@code hosts} (such as {@code "10.77.0.1"}), written to
     * {@code dir} as {@code ca.pem}, {@code chain.pem} and {@code key.pem}.
     */
    public static TestCertificates create(Path dir, String... hosts) {
        if (hosts.length == 0) {
            throw new IllegalArgumentException("a server certificate needs at least one host");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            Instant notBefore = Instant.now().minus(Duration.ofHours(1));
            Instant notAfter = notBefore.plus(VALIDITY);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=Atrium test CA " + Long.toHexString(new SecureRandom().nextLong()));
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(notBefore), Date.from(notAfter), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder, caKeys);

            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                names.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host));
            }
            X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + hosts[0]),
                    serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(serverKeys.getPublic()));
            X509Certificate server = sign(serverBuilder, caKeys);

            Files.createDirectories(dir);
            TestCertificates files = new TestCertificates(dir, ca, server);
            Files.writeString(files.caPem, pem("CERTIFICATE", ca.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(files.chainPem,
                    pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()),
                    StandardCharsets.US_ASCII);
            Files.writeString(files.keyPem, pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()),
                    StandardCharsets.US_ASCII);
            return files;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA's certificate (PEM). */
    public Path caPem() {
        return caPem;
    }

    /** The server's certificate, then the CA's (PEM). */
    public Path chainPem() {
        return chainPem;
    }

    /** The server's private key (PEM, PKCS#8, unencrypted). */
    public Path keyPem() {
        return keyPem;
    }

    public X509Certificate ca() {
        return ca;
    }

    public X509Certificate server() {
        return server;
    }

    /**
     * Base64 of the SHA-256 of the server certificate's SubjectPublicKeyInfo: the value Chromium's
     * {@code --ignore-certificate-errors-spki-list} takes.
     */
    public String serverSpkiSha256() {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(server.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static boolean isIpAddress(String host) {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(host); // a literal: no lookup
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
