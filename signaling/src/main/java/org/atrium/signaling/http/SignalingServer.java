package org.atrium.signaling.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.atrium.signaling.SignalingLimits;
import org.atrium.signaling.admin.AdminAccess;
import org.atrium.signaling.admin.AdminEndpoints;
import org.atrium.signaling.admin.ServerMetrics;
import org.atrium.signaling.auth.JoinTokenVerifier;
import org.atrium.signaling.cluster.ClusterMembership;
import org.atrium.signaling.cluster.ClusterNode;
import org.atrium.signaling.limits.PendingJoinLimit;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.session.SessionRegistry;
import org.atrium.signaling.session.SessionRules;
import org.atrium.sfu.Sfu;
import org.atrium.signaling.turn.IceServers;
import org.atrium.signaling.whip.WhipEndpoints;

/**
 * The HTTP and WebSocket server: the web client, {@code /ws} for signaling, health.
 */
public final class SignalingServer implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private volatile boolean accepting = true;
    private final SessionRegistry sessions;

    /**
     * @param metrics the server's meters, exported at /metrics
     * @param access who may read /metrics and /api/*
     * @param tokens checks the join tokens (open: none needed)
     * @param limits frames up to {@link SignalingLimits#maxFrameBytes()} are read, so that a
     *     too-large message gets an error message; above it the connection is closed with
     *     status 1009
     */
    public SignalingServer(InetSocketAddress address, SslContext ssl, Sfu sfu, ServerMetrics metrics,
            AdminAccess access, JoinTokenVerifier tokens, SignalingLimits limits, IceServers iceServers)
            throws IOException {
        this(address, ssl, sfu, metrics, access, tokens, limits, iceServers, null);
    }

    /** @param cluster this node in a cluster, or null when it runs alone */
    public SignalingServer(InetSocketAddress address, SslContext ssl, Sfu sfu, ServerMetrics metrics,
            AdminAccess access, JoinTokenVerifier tokens, SignalingLimits limits, IceServers iceServers,
            ClusterNode cluster) throws IOException {
        sessions = new SessionRegistry(limits.reconnectGrace());
        SessionRules rules = new SessionRules(tokens, new PendingJoinLimit(sfu.rooms(), limits.maxPendingJoins()),
                limits.maxPublishedTracks(), sessions, iceServers,
                cluster == null ? ClusterMembership.local() : cluster.membership(), cluster);
        AdminEndpoints admin = new AdminEndpoints(metrics, sfu.rooms(), access, cluster);
        WhipEndpoints whip = new WhipEndpoints(sfu, rules, metrics.registry());
        StaticFiles files = StaticFiles.load("index.html", "room.html", "landing.js", "room.css")
                .loadDirectory("room")
                .loadDirectory("sdk")
                .loadDirectory("face");
        MessageCodec codec = new MessageCodec();
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(false)
                // WebSocketHandler answers close frames itself: a client that says goodbye
                // leaves at once, one whose connection just drops may resume.
                .handleCloseFrames(false)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(limits.maxFrameBytes())
                        .allowExtensions(false)
                        .build())
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        if (ssl != null) {
                            pipeline.addLast(ssl.newHandler(ch.alloc()));
                        }
                        pipeline.addLast(new HttpServerCodec());
                        pipeline.addLast(new HttpObjectAggregator(65536));
                        pipeline.addLast(new WebSocketServerProtocolHandler(wsConfig));
                        pipeline.addLast(new WebSocketFrameAggregator(limits.maxFrameBytes()));
                        pipeline.addLast(new WebSocketHandler(sfu, codec, metrics.signaling(), rules, limits));
                        pipeline.addLast(new HttpHandler(files, () -> accepting && sfu.isOpen(), admin, whip,
                                rules.cluster()));
                    }
                });
        try {
            channel = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while binding " + address, e);
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot bind HTTP on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (the port is the real one when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The joined WebSocket sessions, by resume token. */
    public SessionRegistry sessions() {
        return sessions;
    }

    /** From now on /health/ready answers 503 (the node drains: load balancers send no one new). */
    public void notReady() {
        accepting = false;
    }

    @Override
    public void close() {
        accepting = false;
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
