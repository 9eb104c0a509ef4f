package org.atrium.signaling.whip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.atrium.signaling.auth.JoinGrant;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.protocol.ProtocolException;
import org.atrium.signaling.sdp.Offer;
import org.atrium.signaling.sdp.OfferReader;
import org.atrium.signaling.sdp.SdpException;
import org.atrium.signaling.session.SessionRules;
import org.atrium.signaling.turn.IceServer;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP ingest (RFC 9725) and WHEP playback over plain HTTP, free of Netty so that the
 * rules can be read in one place:
 * <ul>
 * <li>{@code POST /whip/ROOM}: publish into a room (the {@code publish} grant);
 * <li>{@code POST /whep/ROOM/PARTICIPANT}: play one participant; {@code POST /whep/ROOM}:
 *     play the room's active speaker (the {@code subscribe} grant);
 * <li>{@code PATCH /sessions/ID}: trickled candidates; {@code DELETE /sessions/ID}: end it;
 * <li>{@code OPTIONS} on each, for CORS preflights.
 * </ul>
 * The join token goes in {@code Authorization: Bearer}, as OBS sends its stream key.
 */
public final class WhipEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(WhipEndpoints.class);
    static final String SDP = "application/sdp";
    static final String SDP_FRAGMENT = "application/trickle-ice-sdpfrag";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String SESSIONS = "/sessions/";

    private final Sfu sfu;
    private final SessionRules rules;
    private final HttpMediaSessions sessions;
    private final MeterRegistry registry;

    /** @param registry where {@code atrium_http_media_sessions} and {@code atrium_http_media_requests_total} go */
    public WhipEndpoints(Sfu sfu, SessionRules rules, MeterRegistry registry) {
        this.sfu = sfu;
        this.rules = rules;
        this.registry = registry;
        this.sessions = new HttpMediaSessions(rules.membership());
        for (HttpMediaSession.Protocol protocol : HttpMediaSession.Protocol.values()) {
            Gauge.builder("atrium.http.media.sessions", sessions, live -> live.count(protocol))
                    .tag("protocol", protocol.wireName())
                    .description("WHIP publishers and WHEP players connected")
                    .register(registry);
        }
    }

    /** An HTTP request as these endpoints need it; headers absent are null. */
    public record Request(String method, String path, String query, String contentType, String authorization,
            String ifMatch, byte[] body) {
    }

    /** An HTTP response; {@code headers} are name/value pairs, a name may repeat (Link). */
    public record Response(int status, List<String[]> headers, String contentType, byte[] body) {

        static Response text(int status, String text) {
            return new Response(status, List.of(), TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8));
        }

        static Response empty(int status, List<String[]> headers) {
            return new Response(status, headers, null, new byte[0]);
        }
    }

    /** Whether a path is one of these endpoints. */
    public static boolean handles(String path) {
        return path.equals("/whip") || path.startsWith("/whip/") || path.equals("/whep") || path.startsWith("/whep/")
                || path.startsWith(SESSIONS);
    }

    /** WHIP and WHEP sessions in progress, for the metrics. */
    public int sessionCount(String protocol) {
        return sessions.count(HttpMediaSession.Protocol.valueOf(protocol.toUpperCase(Locale.ROOT)));
    }

    /**
     * Answers a request. A POST runs on {@code executor} (the connection's thread, which
     * becomes the new session's); a PATCH or DELETE runs on its session's thread.
     */
    public CompletableFuture<Response> handle(Request request, ScheduledExecutorService executor) {
        CompletableFuture<Response> response = route(request, executor);
        String kind = request.path().startsWith(SESSIONS) ? "session" : request.path().substring(1, 5);
        String method = switch (request.method()) {
            case "OPTIONS", "POST", "PATCH", "DELETE", "GET", "HEAD", "PUT" -> request.method();
            default -> "other";
        };
        response.thenAccept(done -> Counter.builder("atrium.http.media.requests")
                .tag("endpoint", kind)
                .tag("method", method)
                .tag("status", Integer.toString(done.status()))
                .description("WHIP and WHEP requests, by endpoint (whip, whep, session), method and status")
                .register(registry)
                .increment());
        return response;
    }

    private CompletableFuture<Response> route(Request request, ScheduledExecutorService executor) {
        String path = request.path();
        String[] segments = path.substring(1).split("/", -1);
        if (path.startsWith(SESSIONS)) {
            if (segments.length != 2 || segments[1].isEmpty()) {
                return done(Response.text(404, "No such session"));
            }
            return session(request, segments[1]);
        }
        HttpMediaSession.Protocol protocol = segments[0].equals("whip") ? HttpMediaSession.Protocol.WHIP
                : HttpMediaSession.Protocol.WHEP;
        int maxSegments = protocol == HttpMediaSession.Protocol.WHIP ? 2 : 3;
        if (segments.length < 2 || segments.length > maxSegments || !MessageCodec.ROOM_NAME.matcher(segments[1]).matches()
                || (segments.length == 3 && !segments[2].matches("[A-Za-z0-9_-]{1,64}"))) {
            return done(Response.text(404, "Not found: " + (protocol == HttpMediaSession.Protocol.WHIP
                    ? "POST /whip/ROOM" : "POST /whep/ROOM or /whep/ROOM/PARTICIPANT")
                    + " (room names are 1-64 characters of A-Z a-z 0-9 _ - .)"));
        }
        String room = segments[1];
        String target = segments.length == 3 ? segments[2] : null;
        switch (request.method()) {
            case "OPTIONS" -> {
                List<String[]> headers = new ArrayList<>();
                headers.add(new String[] {"Allow", "OPTIONS, POST"});
                headers.add(new String[] {"Accept-Post", SDP});
                return done(Response.empty(204, headers));
            }
            case "POST" -> {
                try {
                    return done(post(protocol, room, target, request, executor));
                } catch (HttpError e) {
                    return done(Response.text(e.status(), e.getMessage()));
                }
            }
            default -> {
                return done(new Response(405, List.<String[]>of(new String[] {"Allow", "OPTIONS, POST"}), TEXT,
                        ("A " + protocol + " endpoint takes POST (and OPTIONS)\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private Response post(HttpMediaSession.Protocol protocol, String room, String target, Request request,
            ScheduledExecutorService executor) throws HttpError {
        boolean publish = protocol == HttpMediaSession.Protocol.WHIP;
        JoinGrant grant = grant(request.authorization(), room);
        if (publish ? !grant.publish() : !grant.subscribe()) {
            throw new HttpError(403, "The token does not grant '" + (publish ? "publish" : "subscribe") + "'");
        }
        if (!isMediaType(request.contentType(), SDP)) {
            throw new HttpError(415, "The body must be an SDP offer with Content-Type: " + SDP);
        }
        Offer offer;
        try {
            offer = OfferReader.read(new String(request.body(), StandardCharsets.UTF_8));
        } catch (SdpException e) {
            throw HttpError.badRequest("The SDP offer is malformed: " + e.getMessage());
        }
        CheckedOffer checked = CheckedOffer.check(offer, sfu.config().capabilities(), publish);
        if (publish && checked.accepted().size() > rules.maxPublishedTracks()) {
            throw HttpError.notAcceptable("A participant may publish at most " + rules.maxPublishedTracks()
                    + " track(s) on this server (--max-tracks); the offer sends " + checked.accepted().size());
        }
        if (!publish) {
            Room existing = sfu.rooms().room(room);
            if (existing == null) {
                throw new HttpError(404, "Room '" + room + "' has no one in it");
            }
            if (target != null && existing.memberOf(target) == null) {
                throw new HttpError(404, "No participant '" + target + "' in room '" + room + "'");
            }
        }
        String name = displayName(grant, request.query(), publish ? "WHIP publisher" : "WHEP player");
        // A player is not listed: the room's pages show no empty tile for each viewer.
        Admission admission = new Admission(name, grant.identity(), publish, false, false, publish);
        long sdpSessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        HttpMediaSession session = publish ? new IngestSession(executor, sessions)
                : new PlaybackSession(executor, sessions, target);
        Participant joined = join(room, admission, session);
        String answer;
        try {
            answer = publish ? ((IngestSession) session).start(joined, checked, sdpSessionId)
                    : ((PlaybackSession) session).start(joined, checked, sdpSessionId);
        } catch (RuntimeException e) {
            // Nothing of a half-made session stays: its participant, port binding and ICE agent go.
            joined.leave();
            if (e instanceof RoomException refused) {
                throw new HttpError(409, refused.getMessage());
            }
            LOG.error("{} session failed to start", protocol, e);
            throw new HttpError(500, "The server failed to start the session: " + e);
        }
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Location", SESSIONS + session.id()});
        headers.add(new String[] {"ETag", session.etag()});
        headers.add(new String[] {"Accept-Patch", SDP_FRAGMENT});
        for (IceServer server : rules.iceServers().forParticipant(joined.id())) {
            for (String url : server.urls()) {
                headers.add(new String[] {"Link", link(url, server)});
            }
        }
        return new Response(201, headers, SDP, answer.getBytes(StandardCharsets.UTF_8));
    }

    private JoinGrant grant(String authorization, String room) throws HttpError {
        String token = null;
        if (authorization != null) {
            String value = authorization.strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = value.substring(7).strip();
            } else {
                throw new HttpError(401, "Authorization must be 'Bearer <join token>'");
            }
        }
        try {
            return rules.tokens().verify(token, room);
        } catch (ProtocolException e) {
            throw new HttpError(e.code().equals("forbidden") ? 403 : 401, e.getMessage());
        }
    }

    private Participant join(String room, Admission admission, HttpMediaSession session) throws HttpError {
        try {
            return rules.membership().join(sfu, rules.pendingJoins(), room, admission, session);
        } catch (RoomException e) {
            // Full rooms, the room or server limits, and a server shutting down: try later or elsewhere.
            throw new HttpError(503, e.getMessage());
        } catch (ProtocolException e) {
            throw new HttpError(503, e.getMessage());
        } catch (IOException e) {
            LOG.error("Join failed", e);
            throw new HttpError(500, "Could not create the media transport: " + e.getMessage());
        }
    }

    private static String displayName(JoinGrant grant, String query, String fallback) {
        if (grant.name() != null) {
            return grant.name();
        }
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("name=")) {
                    String name = java.net.URLDecoder.decode(parameter.substring(5), StandardCharsets.UTF_8).strip();
                    if (!name.isEmpty() && name.codePointCount(0, name.length()) <= MessageCodec.MAX_NAME_LENGTH) {
                        return name;
                    }
                }
            }
        }
        return grant.identity() != null ? grant.identity() : fallback;
    }

    /** An ICE server as a Link header (RFC 9725 4.4). */
    private static String link(String url, IceServer server) {
        StringBuilder link = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
        if (server.username() != null) {
            link.append("; username=\"").append(server.username()).append('"');
            link.append("; credential=\"").append(server.credential()).append('"');
            link.append("; credential-type=\"password\"");
        }
        return link.toString();
    }

    private CompletableFuture<Response> session(Request request, String id) {
        HttpMediaSession session = sessions.get(id);
        List<String[]> allow = List.<String[]>of(new String[] {"Allow", "OPTIONS, PATCH, DELETE"});
        if (request.method().equals("OPTIONS")) {
            List<String[]> headers = new ArrayList<>(allow);
            headers.add(new String[] {"Accept-Patch", SDP_FRAGMENT});
            return done(Response.empty(204, headers));
        }
        if (!request.method().equals("PATCH") && !request.method().equals("DELETE")) {
            return done(new Response(405, allow, TEXT,
                    "A session takes PATCH and DELETE (and OPTIONS)\n".getBytes(StandardCharsets.UTF_8)));
        }
        if (session == null) {
            return done(Response.text(404, "No such session (it ended, or never was)"));
        }
        if (request.method().equals("PATCH") && !isMediaType(request.contentType(), SDP_FRAGMENT)) {
            return done(Response.text(415, "A PATCH carries Content-Type: " + SDP_FRAGMENT));
        }
        CompletableFuture<Response> response = new CompletableFuture<>();
        try {
            session.executor().execute(() -> {
                try {
                    if (request.method().equals("DELETE")) {
                        session.delete();
                        response.complete(Response.empty(200, List.of()));
                    } else {
                        response.complete(session.patch(request.ifMatch(), request.body()));
                    }
                } catch (HttpError e) {
                    response.complete(Response.text(e.status(), e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.error("{} on session {} failed", request.method(), id, e);
                    response.complete(Response.text(500, "The server failed: " + e));
                }
            });
        } catch (RejectedExecutionException e) {
            response.complete(Response.text(503, "The server is shutting down"));
        }
        return response;
    }

    private static boolean isMediaType(String contentType, String expected) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase(expected);
    }

    private static CompletableFuture<Response> done(Response response) {
        return CompletableFuture.completedFuture(response);
    }
}
