package org.atrium.signaling.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.concurrent.ScheduledExecutorService;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.atrium.signaling.SignalingLimits;
import org.atrium.signaling.admin.SignalingMetrics;
import org.atrium.signaling.limits.MessageRateLimiter;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.session.Outbound;
import org.atrium.signaling.session.SessionRules;
import org.atrium.signaling.session.SignalingSession;
import org.atrium.sfu.Sfu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds one WebSocket connection to one {@link SignalingSession}. Every frame takes a
 * token of the connection's {@link MessageRateLimiter} first: over the rate it is
 * dropped (the client is told with {@code rate-limited}), and a connection that keeps
 * flooding is closed. Text frames up to {@link SignalingLimits#maxMessageBytes()} are
 * messages; larger ones and binary frames are refused with an error, and the
 * connection stays open.
 */
public final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandler.class);

    private final Sfu sfu;
    private final MessageCodec codec;
    private final SignalingMetrics metrics;
    private final SessionRules rules;
    private final SignalingLimits limits;
    private SignalingSession session;
    /** This connection, as the session sees it. */
    private Outbound connection;
    /** The client closed the connection with a close frame (it is gone on purpose). */
    private boolean closedByClient;
    private MessageRateLimiter rateLimiter;

    public WebSocketHandler(Sfu sfu, MessageCodec codec, SignalingMetrics metrics, SessionRules rules,
            SignalingLimits limits) {
        this.sfu = sfu;
        this.codec = codec;
        this.metrics = metrics;
        this.rules = rules;
        this.limits = limits;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            connection = new ChannelOutbound(ctx.channel());
            session = new SignalingSession(sfu, codec, connection, metrics, rules);
            rateLimiter = new MessageRateLimiter(limits.messageRate(), limits.messageBurst(), System.nanoTime());
            metrics.connectionOpened();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof CloseWebSocketFrame close) {
            closedByClient = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() > 0 ? close.statusCode() : 1000, ""))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (session == null) {
            return;
        }
        switch (rateLimiter.onMessage(System.nanoTime())) {
            case ACCEPT -> {
            }
            case DROP -> {
                return;
            }
            case DROP_AND_TELL -> {
                session.onRefused("rate-limited", "More than " + limits.messageRate()
                        + " messages a second: messages are being dropped; slow down");
                return;
            }
            case CLOSE -> {
                LOG.info("Closing WebSocket connection {}: it kept sending over the rate limit",
                        ctx.channel().remoteAddress());
                session.onAbuse("rate-limited", "Closed: too many messages over the rate limit of "
                        + limits.messageRate() + " a second");
                return;
            }
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            session.onRefused("bad-request", "Only text frames carry messages");
            return;
        }
        int size = text.content().readableBytes();
        if (size > limits.maxMessageBytes()) {
            session.onRefused("frame-too-large",
                    "A message may be at most " + limits.maxMessageBytes() + " bytes; this one was " + size);
            return;
        }
        session.onText(text.text());
        // A `resume` hands this connection to the session it names.
        session = session.owner();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            metrics.connectionClosed();
            session.onConnectionClosed(connection, closedByClient);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("WebSocket connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static final class ChannelOutbound implements Outbound {
        private final Channel channel;

        ChannelOutbound(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void send(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        @Override
        public void close() {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void closeForPolicy(String reason) {
            // A close frame's reason has at most 123 bytes.
            String shortReason = reason.length() > 100 ? reason.substring(0, 100) : reason;
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, shortReason))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public ScheduledExecutorService executor() {
            return channel.eventLoop();
        }
    }
}
