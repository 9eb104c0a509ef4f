package org.atrium.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.atrium.sfu.room.TrackSource;
import org.atrium.signaling.turn.IceServer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns text frames into {@link ClientMessage}s, checking every field, and builds the
 * server's messages. The one place that knows the JSON shape of the protocol.
 */
public final class MessageCodec {

    /** Room names: what fits in a URL path segment without escaping. */
    public static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    public static final int MAX_NAME_LENGTH = 64;

    private final ObjectMapper mapper;

    public MessageCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
                .build();
        mapper = new ObjectMapper(factory);
    }

    /** Parses one client message. */
    public ClientMessage parse(String text) throws ProtocolException {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("bad-json", "Malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException("bad-json", "A message must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new ProtocolException("bad-json", "A message needs a string field 'type'");
        }
        return switch (type.asText()) {
            case "join" -> parseJoin(root);
            case "answer" -> new ClientMessage.Answer(requiredInt(root, "version"), requiredText(root, "sdp"));
            case "candidate" -> parseCandidate(root);
            case "leave" -> new ClientMessage.Leave();
            case "resume" -> new ClientMessage.Resume(requiredText(root, "token"));
            case "render-size" -> parseRenderSize(root);
            case "mute" -> new ClientMessage.Mute(requiredSource(root), requiredBoolean(root, "muted"));
            case "add-track" -> new ClientMessage.AddTrack(requiredSource(root));
            case "remove-track" -> new ClientMessage.RemoveTrack(requiredSource(root));
            default -> throw new ProtocolException("unknown-type",
                    "Unknown message type '" + abbreviate(type.asText()) + "'");
        };
    }

    private static ClientMessage parseJoin(JsonNode root) throws ProtocolException {
        String room = requiredText(root, "room");
        if (!ROOM_NAME.matcher(room).matches()) {
            throw new ProtocolException("bad-request",
                    "Room names are 1-64 characters of A-Z a-z 0-9 _ - . ; got '" + abbreviate(room) + "'");
        }
        JsonNode nameNode = root.get("name");
        String name = "guest";
        if (nameNode != null && !nameNode.isNull()) {
            if (!nameNode.isTextual()) {
                throw new ProtocolException("bad-request", "Field 'name' must be a string");
            }
            name = nameNode.asText().strip();
            if (name.isEmpty()) {
                name = "guest";
            }
            if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
                throw new ProtocolException("bad-request", "Field 'name' is longer than " + MAX_NAME_LENGTH + " characters");
            }
        }
        JsonNode tokenNode = root.get("token");
        String token = null;
        if (tokenNode != null && !tokenNode.isNull()) {
            if (!tokenNode.isTextual()) {
                throw new ProtocolException("bad-request", "Field 'token' must be a string");
            }
            token = tokenNode.asText();
        }
        JsonNode noRedirectNode = root.get("noRedirect");
        boolean noRedirect = false;
        if (noRedirectNode != null && !noRedirectNode.isNull()) {
            if (!noRedirectNode.isBoolean()) {
                throw new ProtocolException("bad-request", "Field 'noRedirect' must be a boolean");
            }
            noRedirect = noRedirectNode.asBoolean();
        }
        return new ClientMessage.Join(room, name, token, noRedirect);
    }

    /** Largest video size a client may state, in device pixels: 8K and then some. */
    static final int MAX_RENDER_DIMENSION = 16384;
    private static final int MAX_RENDER_SIZES = 512;

    private static ClientMessage parseRenderSize(JsonNode root) throws ProtocolException {
        JsonNode sizes = root.get("sizes");
        if (sizes == null || !sizes.isArray()) {
            throw new ProtocolException("bad-request", "Field 'sizes' must be an array");
        }
        if (sizes.size() > MAX_RENDER_SIZES) {
            throw new ProtocolException("bad-request", "At most " + MAX_RENDER_SIZES + " sizes in one message");
        }
        java.util.List<ClientMessage.Size> parsed = new java.util.ArrayList<>();
        for (JsonNode size : sizes) {
            if (!size.isObject()) {
                throw new ProtocolException("bad-request", "Each entry of 'sizes' must be an object");
            }
            String mid = requiredText(size, "mid");
            int width = requiredInt(size, "width");
            int height = requiredInt(size, "height");
            if (width < 0 || height < 0 || width > MAX_RENDER_DIMENSION || height > MAX_RENDER_DIMENSION) {
                throw new ProtocolException("bad-request", "Render sizes are 0-" + MAX_RENDER_DIMENSION
                        + " pixels; got " + width + "x" + height + " for mid '" + abbreviate(mid) + "'");
            }
            parsed.add(new ClientMessage.Size(mid, width, height));
        }
        return new ClientMessage.RenderSize(parsed);
    }

    private static ClientMessage parseCandidate(JsonNode root) throws ProtocolException {
        JsonNode candidate = root.get("candidate");
        String text = null;
        if (candidate != null && !candidate.isNull()) {
            if (!candidate.isTextual()) {
                throw new ProtocolException("bad-request", "Field 'candidate' must be a string or null");
            }
            text = candidate.asText().isBlank() ? null : candidate.asText();
        }
        JsonNode mid = root.get("sdpMid");
        return new ClientMessage.Candidate(text, mid != null && mid.isTextual() ? mid.asText() : null);
    }

    private static TrackSource requiredSource(JsonNode root) throws ProtocolException {
        String name = requiredText(root, "source");
        TrackSource source = TrackSource.fromWireName(name);
        if (source == null) {
            throw new ProtocolException("bad-request", "Field 'source' must be one of microphone, camera, screen, "
                    + "screen-audio; got '" + abbreviate(name) + "'");
        }
        return source;
    }

    private static boolean requiredBoolean(JsonNode root, String field) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null || !node.isBoolean()) {
            throw new ProtocolException("bad-request", "Field '" + field + "' must be true or false");
        }
        return node.asBoolean();
    }

    private static String requiredText(JsonNode root, String field) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new ProtocolException("bad-request", "Field '" + field + "' must be a string");
        }
        return node.asText();
    }

    private static int requiredInt(JsonNode root, String field) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ProtocolException("bad-request", "Field '" + field + "' must be an integer");
        }
        return node.asInt();
    }

    static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }

    // ---- server messages ----

    /** @param identity the join token's subject, or null on a server without tokens */
    public record ParticipantInfo(String id, String name, String identity) {
    }

    /**
     * An m-section listed in an offer message.
     *
     * @param participantId the sender of a subscribe entry; null for publish entries
     * @param source what the track carries, or null when unknown
     * @param muted whether its sender muted it (subscribe entries only)
     */
    public record MidInfo(String mid, String kind, String participantId, TrackSource source, boolean muted) {

        public static MidInfo publish(String mid, String kind, TrackSource source) {
            return new MidInfo(mid, kind, null, source, false);
        }

        public static MidInfo subscribe(String mid, String kind, String participantId, TrackSource source,
                boolean muted) {
            return new MidInfo(mid, kind, participantId, source, muted);
        }
    }

    /**
     * @param self the participant that joined: its id, and the name and identity the others see
     * @param iceServers TURN servers with credentials for this participant, RTCIceServer-shaped
     */
    public String joined(String room, ParticipantInfo self, List<ParticipantInfo> others, String resumeToken,
            List<IceServer> iceServers) {
        return joined(room, self, others, resumeToken, iceServers, null);
    }

    /** A node of a cluster: its id and signaling URL, as {@code joined} lists it. */
    public record NodeLink(String id, String url) {
    }

    /**
     * @param nodes the live nodes of the cluster, this one first; null on a node alone (the
     *     field is left out)
     */
    public String joined(String room, ParticipantInfo self, List<ParticipantInfo> others, String resumeToken,
            List<IceServer> iceServers, List<NodeLink> nodes) {
        ObjectNode message = message("joined");
        message.put("room", room);
        message.put("participantId", self.id());
        message.put("resumeToken", resumeToken);
        message.put("name", self.name());
        if (self.identity() != null) {
            message.put("identity", self.identity());
        }
        ArrayNode list = message.putArray("participants");
        for (ParticipantInfo info : others) {
            list.add(participant(info));
        }
        ArrayNode servers = message.putArray("iceServers");
        for (IceServer server : iceServers) {
            ObjectNode entry = servers.addObject();
            ArrayNode urls = entry.putArray("urls");
            server.urls().forEach(urls::add);
            entry.put("username", server.username());
            entry.put("credential", server.credential());
        }
        if (nodes != null) {
            ArrayNode nodeList = message.putArray("nodes");
            for (NodeLink node : nodes) {
                nodeList.addObject().put("id", node.id()).put("url", node.url());
            }
        }
        return write(message);
    }

    /**
     * Join elsewhere: another node of the cluster holds the room (or has room for it).
     *
     * @param url the WebSocket URL to join on, with {@code "noRedirect": true}
     */
    public String redirect(String url, String nodeId, String room) {
        ObjectNode message = message("redirect");
        message.put("url", url);
        message.put("node", nodeId);
        message.put("room", room);
        return write(message);
    }

    /**
     * Move to another node of the cluster: this one is draining (docs/signaling.md, "move").
     * The client joins there with {@code "noRedirect": true}, then leaves here.
     */
    public String move(String url, String nodeId, String room, String reason) {
        ObjectNode message = message("move");
        message.put("url", url);
        message.put("node", nodeId);
        message.put("room", room);
        message.put("reason", reason);
        return write(message);
    }

    public String offer(int version, String sdp, List<MidInfo> publish, List<MidInfo> subscribe) {
        ObjectNode message = message("offer");
        message.put("version", version);
        message.put("sdp", sdp);
        ArrayNode publishList = message.putArray("publish");
        for (MidInfo info : publish) {
            ObjectNode entry = publishList.addObject().put("mid", info.mid()).put("kind", info.kind());
            if (info.source() != null) {
                entry.put("source", info.source().wireName());
            }
        }
        ArrayNode subscribeList = message.putArray("subscribe");
        for (MidInfo info : subscribe) {
            ObjectNode entry = subscribeList.addObject().put("mid", info.mid()).put("kind", info.kind())
                    .put("participantId", info.participantId());
            if (info.source() != null) {
                entry.put("source", info.source().wireName());
            }
            entry.put("muted", info.muted());
        }
        return write(message);
    }

    public String resumed(String room, String participantId) {
        ObjectNode message = message("resumed");
        message.put("room", room);
        message.put("participantId", participantId);
        return write(message);
    }

    public String participantJoined(ParticipantInfo info) {
        ObjectNode message = message("participant-joined");
        message.set("participant", participant(info));
        return write(message);
    }

    public String participantLeft(String participantId, String reason) {
        ObjectNode message = message("participant-left");
        message.put("participantId", participantId);
        message.put("reason", reason);
        return write(message);
    }

    /** A video the receiver gets is paused by the SFU, for a reason (bandwidth, not-visible, unavailable). */
    public String videoPaused(String participantId, String mid, String reason) {
        ObjectNode message = message("video-paused");
        message.put("participantId", participantId);
        message.put("mid", mid);
        message.put("reason", reason);
        return write(message);
    }

    /** A data-channel message was not relayed, or a channel was closed because the client fell behind. */
    public String dataDropped(String label, String reason) {
        ObjectNode message = message("data-dropped");
        message.put("label", label);
        message.put("reason", reason);
        return write(message);
    }

    public String videoResumed(String participantId, String mid) {
        ObjectNode message = message("video-resumed");
        message.put("participantId", participantId);
        message.put("mid", mid);
        return write(message);
    }

    /** Which simulcast encodings of a published track the publisher should send, by RID. */
    public String publishLayers(String mid, java.util.Map<String, Boolean> active) {
        ObjectNode message = message("publish-layers");
        message.put("mid", mid);
        ObjectNode byRid = message.putObject("active");
        active.forEach(byRid::put);
        return write(message);
    }

    /** Another participant muted or unmuted one of its sources. */
    public String trackMuted(String participantId, TrackSource source, boolean muted) {
        ObjectNode message = message("track-muted");
        message.put("participantId", participantId);
        message.put("source", source.wireName());
        message.put("muted", muted);
        return write(message);
    }

    public String activeSpeaker(String participantId) {
        ObjectNode message = message("active-speaker");
        message.put("participantId", participantId);
        return write(message);
    }

    public String error(String code, String text) {
        ObjectNode message = message("error");
        message.put("code", code);
        message.put("message", text);
        return write(message);
    }

    private ObjectNode participant(ParticipantInfo info) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", info.id());
        node.put("name", info.name());
        if (info.identity() != null) {
            node.put("identity", info.identity());
        }
        return node;
    }

    private ObjectNode message(String type) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", type);
        return node;
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a message", e);
        }
    }
}
