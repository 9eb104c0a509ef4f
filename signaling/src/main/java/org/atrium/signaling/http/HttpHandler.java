package org.atrium.signaling.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.atrium.signaling.admin.AdminEndpoints;
import org.atrium.signaling.cluster.ClusterNode;
import org.atrium.signaling.whip.WhipEndpoints;

/**
 * Plain HTTP requests: the web client's pages and files, the client SDK's modules
 * ({@code /sdk/atrium-client.js} and its siblings), the face overlay ({@code /face/face-overlay.js},
 * its image, and the face detector and its model it loads), health, and the operator's
 * endpoints (metrics, stats API). WebSocket upgrades on {@code /ws} are taken by the
 * handler before this one.
 */
public final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final StaticFiles files;
    private final BooleanSupplier ready;
    private final AdminEndpoints admin;
    private static final String CLUSTER_LINKS = "/cluster/links";
    private final WhipEndpoints whip;
    /** This node in a cluster, for other nodes' link requests; null when it runs alone. */
    private final ClusterNode cluster;

    /**
     * @param ready whether the server accepts joins (for /health/ready)
     */
    public HttpHandler(StaticFiles files, BooleanSupplier ready, AdminEndpoints admin, WhipEndpoints whip,
            ClusterNode cluster) {
        this.files = files;
        this.ready = ready;
        this.admin = admin;
        this.whip = whip;
        this.cluster = cluster;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
                    "Bad request\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean get = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (AdminEndpoints.handles(path)) {
            if (!get) {
                AdminEndpoints.Response response = admin.methodNotAllowed();
                respond(ctx, request, HttpResponseStatus.valueOf(response.status()), response.contentType(),
                        response.body());
                return;
            }
            // On a node of a cluster the room documents wait for Redis: answered when it did, off this thread.
            boolean head = request.method() == HttpMethod.HEAD;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            admin.getAsync(path, request.headers().get(HttpHeaderNames.ACCEPT),
                    request.headers().get(HttpHeaderNames.AUTHORIZATION)).whenComplete((response, failure) -> {
                        if (failure != null) {
                            respond(ctx, head, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                    "text/plain; charset=utf-8",
                                    ("The server failed: " + failure + "\n").getBytes(StandardCharsets.UTF_8));
                        } else {
                            respond(ctx, head, keepAlive, HttpResponseStatus.valueOf(response.status()),
                                    response.contentType(), response.body());
                        }
                    });
            return;
        }
        if (WhipEndpoints.handles(path)) {
            onWhip(ctx, request, path);
            return;
        }
        if (path.equals(CLUSTER_LINKS) && cluster != null) {
            onLinkRequest(ctx, request);
            return;
        }
        if (!get) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                    "Only GET\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        StaticFiles.File file = null;
        if (path.equals("/") || path.equals("/index.html")) {
            file = files.get("index.html");
        } else if (path.startsWith("/room/") && path.length() > "/room/".length()
                && path.indexOf('/', "/room/".length()) < 0) {
            file = files.get("room.html");
        } else if (path.startsWith("/assets/room/")) {
            file = files.get("room", path.substring("/assets/room/".length()));
        } else if (path.startsWith("/assets/")) {
            file = files.get(path.substring("/assets/".length()));
        } else if (path.startsWith("/sdk/")) {
            file = files.get("sdk", path.substring("/sdk/".length()));
        } else if (path.startsWith("/face/")) {
            file = files.get("face", path.substring("/face/".length()));
        } else if (path.equals("/favicon.ico")) {
            respond(ctx, request, HttpResponseStatus.NO_CONTENT, "image/x-icon", new byte[0]);
            return;
        } else if (path.equals("/health/live")) {
            respondText(ctx, request, HttpResponseStatus.OK, "live\n");
            return;
        } else if (path.equals("/health/ready")) {
            boolean isReady = ready.getAsBoolean();
            respondText(ctx, request, isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    isReady ? "ready\n" : "not ready\n");
            return;
        }
        if (file == null) {
            respondText(ctx, request, HttpResponseStatus.NOT_FOUND, "Not found\n");
            return;
        }
        respond(ctx, request, HttpResponseStatus.OK, file.contentType(), file.content());
    }

    /**
     * WHIP and WHEP: the request is copied out (Netty releases it on return), answered on
     * the session's thread, and every response carries the CORS headers that let a page of
     * another origin use the endpoints (RFC 9725 4.1).
     */
    private void onWhip(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        String uri = request.uri();
        int question = uri.indexOf('?');
        WhipEndpoints.Request copy = new WhipEndpoints.Request(request.method().name(), path,
                question < 0 ? null : uri.substring(question + 1), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(HttpHeaderNames.IF_MATCH),
                body);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        whip.handle(copy, ctx.channel().eventLoop()).whenComplete((response, failure) -> {
            FullHttpResponse reply;
            if (failure != null) {
                byte[] text = ("The server failed: " + failure + "\n").getBytes(StandardCharsets.UTF_8);
                reply = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        Unpooled.wrappedBuffer(text));
                reply.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            } else {
                reply = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                        Unpooled.wrappedBuffer(response.body()));
                if (response.contentType() != null) {
                    reply.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
                }
                for (String[] header : response.headers()) {
                    reply.headers().add(header[0], header[1]);
                }
                if (response.status() == 401) {
                    reply.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"atrium\"");
                }
            }
            reply.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.content().readableBytes());
            reply.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            reply.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            reply.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "OPTIONS, POST, PATCH, DELETE");
            reply.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, If-Match");
            reply.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
                    "Location, ETag, Link, Accept-Patch, Accept-Post");
            reply.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            if (keepAlive) {
                reply.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            var future = ctx.writeAndFlush(reply);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /** Another node of the cluster asks for a relay link (docs/cluster.md, "Authentication"). */
    private void onLinkRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.method() != HttpMethod.POST) {
            respond(ctx, false, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                    "Only POST\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        cluster.acceptLink(body).whenComplete((answer, failure) -> {
            if (failure != null) {
                respond(ctx, false, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                        ("The server failed: " + failure + "\n").getBytes(StandardCharsets.UTF_8));
            } else {
                respond(ctx, false, keepAlive, HttpResponseStatus.valueOf(answer.status()), answer.contentType(),
                        answer.body());
            }
        });
    }

    private static void respondText(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String text) {
        respond(ctx, request, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String contentType, byte[] body) {
        respond(ctx, request.method() == HttpMethod.HEAD, HttpUtil.isKeepAlive(request), status, contentType, body);
    }

    private static void respond(ChannelHandlerContext ctx, boolean head, boolean keepAlive, HttpResponseStatus status,
            String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (status == HttpResponseStatus.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"atrium\"");
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
