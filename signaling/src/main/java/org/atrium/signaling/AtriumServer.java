package org.atrium.signaling;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import org.atrium.signaling.http.SignalingServer;
import org.atrium.sfu.Sfu;

/** The whole server: the media core and the signaling server in front of it. */
public final class AtriumServer implements AutoCloseable {

    private final Sfu sfu;
    private final SignalingServer signaling;

    public AtriumServer(ServerConfig config) throws IOException {
        sfu = new Sfu(config.sfu());
        try {
            signaling = new SignalingServer(new InetSocketAddress(config.httpHost(), config.httpPort()),
                    sslContext(config), sfu);
        } catch (IOException | RuntimeException e) {
            sfu.close();
            throw e;
        }
    }

    private static SslContext sslContext(ServerConfig config) throws IOException {
        if (config.tlsCertificate() != null) {
            return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsKey().toFile()).build();
        }
        if (config.tlsSelfSigned()) {
            try {
                SelfSignedCertificate certificate = new SelfSignedCertificate("atrium");
                return SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
            } catch (CertificateException e) {
                throw new IOException("cannot make a self-signed certificate", e);
            }
        }
        return null;
    }

    public Sfu sfu() {
        return sfu;
    }

    public InetSocketAddress httpAddress() {
        return signaling.localAddress();
    }

    @Override
    public void close() {
        signaling.close();
        sfu.close();
    }
}
