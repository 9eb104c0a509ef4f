package org.atrium.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.atrium.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** The DTLS 1.2 client side of a DTLS-SRTP association (RFC 5764), on Bouncy Castle. */
final class AtriumDtlsClient extends DefaultTlsClient {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final Fingerprint remoteFingerprint;
    private final SrtpProfile[] offered;
    private final HandshakeOutcome outcome;
    private SrtpProfile chosen;

    AtriumDtlsClient(BcTlsCrypto crypto, DtlsCertificate certificate, Fingerprint remoteFingerprint,
            SrtpProfile[] offered, HandshakeOutcome outcome) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.offered = offered.clone();
        this.outcome = outcome;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsPeerSupport.clientCipherSuites(crypto);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        int[] ids = new int[offered.length];
        for (int i = 0; i < offered.length; i++) {
            ids[i] = offered[i].protectionProfileId();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData answer = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        // RFC 5764 section 4.1.1: exactly one profile, one the client offered.
        if (answer == null || answer.getProtectionProfiles().length != 1) {
            outcome.refuse("server did not select an SRTP protection profile");
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "no use_srtp selection from server");
        }
        int id = answer.getProtectionProfiles()[0];
        for (SrtpProfile profile : offered) {
            if (profile.protectionProfileId() == id) {
                chosen = profile;
                return;
            }
        }
        outcome.refuse("server selected SRTP profile " + id + ", which was not offered");
        throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server selected an SRTP profile not offered");
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                DtlsPeerSupport.verifyPeer(serverCertificate.getCertificate(), remoteFingerprint, "server", outcome);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                // CertificateVerify must use a type and algorithm the server's request lists.
                short type = certificate.kind().isRsa()
                        ? ClientCertificateType.rsa_sign : ClientCertificateType.ecdsa_sign;
                if (!contains(certificateRequest.getCertificateTypes(), type)) {
                    String reason = "server does not accept a " + certificate.kind() + " client certificate";
                    outcome.refuse(reason);
                    throw new TlsFatalAlert(AlertDescription.handshake_failure, reason);
                }
                return DtlsPeerSupport.signer(context, crypto, certificate,
                        certificateRequest.getSupportedSignatureAlgorithms(), "server", outcome);
            }
        };
    }

    private static boolean contains(short[] values, short value) {
        for (short v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
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
