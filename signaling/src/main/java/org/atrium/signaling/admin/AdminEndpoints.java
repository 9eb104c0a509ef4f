package org.atrium.signaling.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.Rooms;

/**
 * The operator's endpoints: {@code /metrics} for Prometheus, and the stats API
 * {@code /api/rooms} and {@code /api/rooms/NAME}, behind {@link AdminAccess}.
 */
public final class AdminEndpoints {

    private static final String JSON = "application/json; charset=utf-8";

    private final ServerMetrics metrics;
    private final Rooms rooms;
    private final AdminAccess access;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RoomStatsJson stats = new RoomStatsJson(mapper);

    public AdminEndpoints(ServerMetrics metrics, Rooms rooms, AdminAccess access) {
        this.metrics = metrics;
        this.rooms = rooms;
        this.access = access;
    }

    /** An HTTP response. */
    public record Response(int status, String contentType, byte[] body) {
        static Response json(int status, String text) {
            return new Response(status, JSON, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether a path is one of these endpoints. */
    public static boolean handles(String path) {
        return path.equals("/metrics") || path.equals("/api") || path.startsWith("/api/");
    }

    /**
     * Answers a GET of one of these endpoints.
     *
     * @param path the decoded path
     * @param accept the Accept header, or null
     * @param authorization the Authorization header, or null
     */
    public Response get(String path, String accept, String authorization) {
        if (path.equals("/metrics")) {
            if (!access.allowsMetrics(authorization)) {
                return unauthorized();
            }
            ServerMetrics.Scrape scrape = metrics.scrape(accept);
            return new Response(200, scrape.contentType(), scrape.body().getBytes(StandardCharsets.UTF_8));
        }
        if (!access.allowsApi(authorization)) {
            return unauthorized();
        }
        if (path.equals("/api/rooms") || path.equals("/api/rooms/")) {
            return ok(stats.rooms(rooms));
        }
        String prefix = "/api/rooms/";
        if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
            String name = path.substring(prefix.length());
            Room room = rooms.room(name);
            if (room == null) {
                return error(404, "no-such-room", "There is no room '" + name + "' on this server");
            }
            return ok(stats.room(room));
        }
        return error(404, "not-found", "No such endpoint: " + path);
    }

    /** The status for a request with a method other than GET or HEAD. */
    public Response methodNotAllowed() {
        return error(405, "method-not-allowed", "Only GET");
    }

    private Response ok(ObjectNode document) {
        return Response.json(200, write(document));
    }

    private Response unauthorized() {
        return error(401, "unauthorized", "This endpoint needs 'Authorization: Bearer <admin token>'");
    }

    private Response error(int status, String code, String message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", code);
        node.put("message", message);
        return Response.json(status, write(node));
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
