package org.atrium.signaling;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.atrium.signaling.admin.AdminAccess;
import org.atrium.signaling.admin.ServerMetrics;
import org.atrium.signaling.auth.EcPemKeys;
import org.atrium.signaling.auth.JoinTokenVerifier;
import org.atrium.signaling.cluster.ClusterNode;
import org.atrium.signaling.cluster.ClusterSettings;
import org.atrium.signaling.http.SignalingServer;
import org.atrium.signaling.turn.EmbeddedTurn;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.room.LeaveReason;

/** The whole server: the media core and the signaling server in front of it. */
public final class AtriumServer implements AutoCloseable {

    private final ServerMetrics metrics;
    private final Sfu sfu;
    private final EmbeddedTurn turn;
    private final SignalingServer signaling;
    /** This node in a cluster; null when it runs alone. */
    private final ClusterNode cluster;

    public AtriumServer(ServerConfig config) throws IOException {
        metrics = new ServerMetrics();
        try {
            sfu = new Sfu(config.sfu(), metrics.registry());
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
        Certificate certificate;
        try {
            certificate = certificate(config);
            turn = EmbeddedTurn.start(config.turn(), sfu, certificate == null ? null : certificate.jdkContext(),
                    metrics.registry());
        } catch (IOException | RuntimeException e) {
            sfu.close();
            metrics.close();
            throw e;
        }
        cluster = config.cluster() == null ? null : new ClusterNode(config.cluster(), sfu, metrics.registry());
        try {
            signaling = new SignalingServer(new InetSocketAddress(config.httpHost(), config.httpPort()),
                    certificate == null ? null : certificate.nettyContext(), sfu, metrics,
                    new AdminAccess(config.adminToken(), config.metricsNeedToken()), joinTokens(config),
                    config.limits(), turn.iceServers(), cluster);
        } catch (IOException | RuntimeException e) {
            turn.close();
            sfu.close();
            metrics.close();
            throw e;
        }
        if (cluster != null) {
            try {
                // Once bound: the HTTP port is known, for this node's URL in the registry.
                InetSocketAddress media = sfu.mediaAddress();
                cluster.start(ClusterSettings.derivedUrl(config.httpHost(), signaling.localAddress().getPort(),
                        certificate != null), media.getHostString() + ":" + media.getPort());
            } catch (IOException | RuntimeException e) {
                sfu.rooms().stopAcceptingJoins();
                sfu.rooms().closeAll(LeaveReason.SHUTDOWN);
                signaling.close();
                turn.close();
                sfu.close();
                metrics.close();
                throw e;
            }
        }
    }

    /** The verifier of join tokens, from the configured keys; open without any. */
    private static JoinTokenVerifier joinTokens(ServerConfig config) throws IOException {
        if (!config.needsJoinTokens()) {
            return JoinTokenVerifier.open();
        }
        byte[] secret = config.jwtSecret() == null ? null : config.jwtSecret().getBytes(StandardCharsets.UTF_8);
        ECPublicKey publicKey = config.jwtPublicKey() == null ? null : EcPemKeys.readPublicKey(config.jwtPublicKey());
        return JoinTokenVerifier.of(secret, publicKey, Clock.systemUTC());
    }

    /**
     * The server's certificate, for HTTPS (Netty's context) and TURN over TLS (the JDK's, which
     * its blocking sockets use); null without HTTPS.
     */
    private static Certificate certificate(ServerConfig config) throws IOException {
        File chain;
        File key;
        if (config.tlsCertificate() != null) {
            chain = config.tlsCertificate().toFile();
            key = config.tlsKey().toFile();
        } else if (config.tlsSelfSigned()) {
            try {
                SelfSignedCertificate certificate = new SelfSignedCertificate("atrium");
                chain = certificate.certificate();
                key = certificate.privateKey();
            } catch (CertificateException e) {
                throw new IOException("cannot make a self-signed certificate", e);
            }
        } else {
            return null;
        }
        SslContext netty = SslContextBuilder.forServer(chain, key).build();
        SslContext jdk = SslContextBuilder.forServer(chain, key).sslProvider(SslProvider.JDK).build();
        return new Certificate(netty, ((JdkSslContext) jdk).context());
    }

    private record Certificate(SslContext nettyContext, SSLContext jdkContext) {
    }

    public Sfu sfu() {
        return sfu;
    }

    /** The server's TURN: the embedded server (null when off) and the ICE servers clients get. */
    public EmbeddedTurn turn() {
        return turn;
    }

    public InetSocketAddress httpAddress() {
        return signaling.localAddress();
    }

    /**
     * Stops in the order that tells clients: joins are refused from now on (and
     * /health/ready turns 503), participants are removed (each client gets an error with
     * code {@code shutdown} and a close frame), then a node of a cluster leaves it (its
     * entries are removed from Redis), then the HTTP server stops, then the media port is
     * released.
     */
    @Override
    public void close() {
        sfu.rooms().stopAcceptingJoins();
        sfu.rooms().closeAll(LeaveReason.SHUTDOWN);
        if (cluster != null) {
            // After the rooms: their members are gone from the directory, then the node's entry goes.
            cluster.close();
        }
        signaling.close();
        turn.close();
        sfu.close();
        metrics.close();
    }

    /** This node in a cluster; null when it runs alone. */
    public ClusterNode cluster() {
        return cluster;
    }
}
