package org.atrium.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.atrium.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** The DTLS 1.2 server side of a DTLS-SRTP association (RFC 5764), on Bouncy Castle. */
final class AtriumDtlsServer extends DefaultTlsServer {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final Fingerprint remoteFingerprint;
    private final SrtpProfile[] preference;
    private final HandshakeOutcome outcome;
    private SrtpProfile chosen;

    AtriumDtlsServer(BcTlsCrypto crypto, DtlsCertificate certificate, Fingerprint remoteFingerprint,
            SrtpProfile[] preference, HandshakeOutcome outcome) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.preference = preference.clone();
        this.outcome = outcome;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsPeerSupport.serverCipherSuites(crypto, certificate.kind());
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        // BC's exporter refuses to run without it (RFC 7627 section 5.4).
        return true;
    }

    // BC asks for the credentials of the suite's key exchange; our suites match our certificate.
    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return signerCredentials();
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
        return signerCredentials();
    }

    /** Signs ServerKeyExchange with an algorithm from the client's signature_algorithms. */
    private TlsCredentialedSigner signerCredentials() throws IOException {
        return DtlsPeerSupport.signer(context, crypto, certificate,
                context.getSecurityParametersHandshake().getClientSigAlgs(), "client", outcome);
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offer = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offer == null) {
            outcome.refuse("client did not offer use_srtp");
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        // RFC 5764 section 4.1.1: the server picks one of the client's profiles; ours in our order.
        for (SrtpProfile candidate : preference) {
            for (int offered : offer.getProtectionProfiles()) {
                if (offered == candidate.protectionProfileId()) {
                    chosen = candidate;
                    return;
                }
            }
        }
        outcome.refuse("no common SRTP protection profile");
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // An empty MKI: Atrium does not use MKIs (RFC 5764 section 4.1.1).
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {chosen.protectionProfileId()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // The client's certificate is what its signalled fingerprint authenticates; it may be
        // ECDSA or RSA (RTCPeerConnection.generateCertificate allows both).
        return new CertificateRequest(DtlsPeerSupport.CLIENT_CERTIFICATE_TYPES.clone(),
                DtlsPeerSupport.acceptedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        DtlsPeerSupport.verifyPeer(clientCertificate, remoteFingerprint, "client", outcome);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        DtlsPeerSupport.exportSrtpKeys(context, chosen, outcome);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        DtlsPeerSupport.onAlertReceived(alertLevel, alertDescription, outcome);
    }
}
