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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.atrium.cluster.NodeInfo;
import org.atrium.signaling.admin.AdminAccess;
import org.atrium.signaling.admin.ServerMetrics;
import org.atrium.signaling.auth.EcPemKeys;
import org.atrium.signaling.auth.JoinTokenVerifier;
import org.atrium.signaling.cluster.ClusterNode;
import org.atrium.signaling.cluster.ClusterSettings;
import org.atrium.signaling.http.SignalingServer;
import org.atrium.signaling.session.SignalingSession;
import org.atrium.signaling.turn.EmbeddedTurn;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.room.LeaveReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server: the media core and the signaling server in front of it. */
public final class AtriumServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AtriumServer.class);

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
     * Drains this node of a cluster (docs/cluster.md, "Draining"): its registry entry says
     * it drains, so that no join is placed here and joins that still arrive are sent on;
     * /health/ready answers 503; every WebSocket participant is told to {@code move} to
     * another node (per room: a live node with members of the room that has room, else the
     * least loaded live node with room); then it waits until they all left, at most {@code
     * timeout}. WHIP and WHEP sessions are left to {@link #close()}. Blocks: call it before
     * close(), off any I/O thread.
     *
     * @return false, having done nothing, when there is nowhere to move to: the node is
     *     alone, or no other live node has room; true once drained or the timeout passed
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (cluster == null || !cluster.hasOtherNodeWithRoom()) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        cluster.drain();
        signaling.notReady();
        List<SignalingSession> sessions = signaling.sessions().all();
        LOG.info("Draining: telling {} participant(s) to move to other nodes, waiting at most {} s", sessions.size(),
                timeout.toSeconds());
        Map<String, CompletableFuture<Optional<NodeInfo>>> targets = new HashMap<>();
        for (SignalingSession session : sessions) {
            String room = session.roomName();
            if (room == null) {
                continue;
            }
            targets.computeIfAbsent(room, r -> cluster.moveTarget(r).toCompletableFuture())
                    .thenAccept(target -> target.ifPresentOrElse(
                            node -> session.move(ClusterNode.webSocketUrl(node.signalingUrl()), node.id(), "drain"),
                            () -> LOG.info("Draining: no node has room for the members of room {}", room)));
        }
        while (signaling.sessions().size() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        int left = signaling.sessions().size();
        if (left > 0) {
            LOG.info("Drain timeout: {} participant(s) still here are ended", left);
        } else {
            LOG.info("Drained: every participant moved");
        }
        return true;
    }

    private static final long DRAIN_POLL_MILLIS = 50;

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
