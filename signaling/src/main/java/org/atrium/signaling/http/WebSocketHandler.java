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
import org.atrium.signaling.admin.SignalingMetrics;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.session.Outbound;
import org.atrium.signaling.session.SignalingSession;
import org.atrium.sfu.Sfu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds one WebSocket connection to one {@link SignalingSession}. Text frames up to
 * {@link #MAX_MESSAGE_BYTES} are messages; larger ones and binary frames are refused
 * with an error, and the connection stays open.
 */
public final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandler.class);

    /** Largest signaling message, in bytes of UTF-8. */
    public static final int MAX_MESSAGE_BYTES = 65536;

    private final Sfu sfu;
    private final MessageCodec codec;
    private final SignalingMetrics metrics;
    private SignalingSession session;

    public WebSocketHandler(Sfu sfu, MessageCodec codec, SignalingMetrics metrics) {
        this.sfu = sfu;
        this.codec = codec;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            session = new SignalingSession(sfu, codec, new ChannelOutbound(ctx.channel()), metrics);
            metrics.connectionOpened();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (session == null) {
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            session.onRefused("bad-request", "Only text frames carry messages");
            return;
        }
        int size = text.content().readableBytes();
        if (size > MAX_MESSAGE_BYTES) {
            session.onRefused("frame-too-large",
                    "A message may be at most " + MAX_MESSAGE_BYTES + " bytes; this one was " + size);
            return;
        }
        session.onText(text.text());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            metrics.connectionClosed();
            session.onConnectionClosed();
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
        public ScheduledExecutorService executor() {
            return channel.eventLoop();
        }
    }
}
