package org.atrium.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.atrium.sfu.cluster.RoomMember;

/**
 * The cluster's Redis keys and the shape of their values. Parsers return a value or the
 * reason it was rejected, never throw: whatever is in Redis may have been written by
 * anything.
 *
 * <pre>
 * atrium:nodes          sorted set: node id, scored by its last beat (ms, the node's clock)
 * atrium:node:{id}      hash: url, media, link, load, capacity[, draining] TTL: ClusterConfig.ttl
 *                       (capacity: 0 or absent for no limit; draining: "1" while the node drains)
 * atrium:room:{name}    hash: participant id -> member value    TTL: ClusterConfig.ttl
 * member value          "1 " NODE " " DISPLAY-NAME " " IDENTITY, each URL-encoded, "-" for null
 * </pre>
 */
final class RedisEntries {

    static final String NODES = "atrium:nodes";
    static final String NODE_PREFIX = "atrium:node:";
    static final String ROOM_PREFIX = "atrium:room:";
    static final int MAX_NODES = 1000;
    static final int MAX_ROOM_NAME_LENGTH = 256;
    private static final int MAX_VALUE_LENGTH = 4096;
    private static final String MEMBER_VERSION = "1";
    private static final String NULL = "-";

    private RedisEntries() {
    }

    /** A parsed value, or why there is none. */
    record Parsed<T>(T value, String reason) {
        static <T> Parsed<T> ok(T value) {
            return new Parsed<>(value, null);
        }

        static <T> Parsed<T> bad(String reason) {
            return new Parsed<>(null, reason);
        }
    }

    static String nodeKey(String nodeId) {
        return NODE_PREFIX + nodeId;
    }

    static String roomKey(String room) {
        return ROOM_PREFIX + room;
    }

    static boolean isValidRoomName(String room) {
        return room != null && !room.isEmpty() && room.length() <= MAX_ROOM_NAME_LENGTH;
    }

    static Map<String, String> nodeFields(NodeInfo node) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("url", node.signalingUrl().toString());
        fields.put("media", node.mediaAddress());
        fields.put("link", node.linkAddress());
        fields.put("load", Integer.toString(node.load()));
        fields.put("capacity", Integer.toString(node.capacity()));
        if (node.draining()) {
            // Only ever added: a node does not stop draining, and its entry goes when it stops.
            fields.put("draining", "1");
        }
        return fields;
    }

    static Parsed<NodeInfo> parseNode(String id, Map<String, String> fields) {
        if (!NodeInfo.isValidId(id)) {
            return Parsed.bad("invalid node id");
        }
        String url = fields.get("url");
        String media = fields.get("media");
        String link = fields.get("link");
        String load = fields.get("load");
        if (url == null || media == null || link == null || load == null) {
            return Parsed.bad("missing field (has " + fields.keySet() + ")");
        }
        if (media.isEmpty() || link.isEmpty()
                || media.length() > NodeInfo.MAX_ADDRESS_LENGTH || link.length() > NodeInfo.MAX_ADDRESS_LENGTH) {
            return Parsed.bad("media or link address empty or too long");
        }
        URI signalingUrl;
        try {
            signalingUrl = new URI(url);
        } catch (URISyntaxException e) {
            return Parsed.bad("url is not a URI");
        }
        if (!signalingUrl.isAbsolute()) {
            return Parsed.bad("url is not absolute");
        }
        int parsedLoad;
        try {
            parsedLoad = Integer.parseInt(load);
        } catch (NumberFormatException e) {
            return Parsed.bad("load is not an integer");
        }
        if (parsedLoad < 0) {
            return Parsed.bad("load is negative");
        }
        int parsedCapacity = 0;
        String capacity = fields.get("capacity");
        if (capacity != null) {
            try {
                parsedCapacity = Integer.parseInt(capacity);
            } catch (NumberFormatException e) {
                return Parsed.bad("capacity is not an integer");
            }
            if (parsedCapacity < 0) {
                return Parsed.bad("capacity is negative");
            }
        }
        String draining = fields.get("draining");
        if (draining != null && !draining.equals("0") && !draining.equals("1")) {
            return Parsed.bad("draining is not 0 or 1");
        }
        return Parsed.ok(new NodeInfo(id, signalingUrl, media, link, parsedLoad, parsedCapacity, "1".equals(draining)));
    }

    static String memberValue(RoomMember member) {
        return MEMBER_VERSION + ' ' + encode(member.nodeId()) + ' ' + encode(member.displayName()) + ' '
                + encode(member.identity());
    }

    static Parsed<RoomMember> parseMember(String participantId, String value) {
        if (participantId == null || participantId.isEmpty() || value == null) {
            return Parsed.bad("empty participant id or value");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Parsed.bad("value longer than " + MAX_VALUE_LENGTH);
        }
        String[] parts = value.split(" ", -1);
        if (parts.length != 4 || !MEMBER_VERSION.equals(parts[0])) {
            return Parsed.bad("not a version 1 member value");
        }
        String node;
        String displayName;
        String identity;
        try {
            node = decode(parts[1]);
            displayName = decode(parts[2]);
            identity = decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return Parsed.bad("bad URL encoding");
        }
        if (!NodeInfo.isValidId(node)) {
            return Parsed.bad("invalid node id");
        }
        return Parsed.ok(new RoomMember(participantId, node, displayName, identity));
    }

    private static String encode(String s) {
        if (s == null) {
            return NULL;
        }
        // URLEncoder keeps "-" as it is: escape it, so that "-" alone always means null.
        return NULL.equals(s) ? "%2D" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Null for "-"; throws IllegalArgumentException on bad escapes. */
    private static String decode(String s) {
        return NULL.equals(s) ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
