package org.atrium.cluster;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One node as the registry records it.
 *
 * @param id           the node's id: 1 to 64 of {@code A-Z a-z 0-9 . _ -} (it is part of Redis keys)
 * @param signalingUrl where browsers reach its signaling (HTTP and WebSocket)
 * @param mediaAddress its media address for participants, {@code HOST:PORT}
 * @param linkAddress  its address for links from other nodes, {@code HOST:PORT}
 * @param load         participants on the node when it last beat
 * @param capacity     participants the node takes before a room spills onto another node; 0 for no limit
 * @param draining     the node is stopping: it moves its participants away and takes no more
 */
public record NodeInfo(String id, URI signalingUrl, String mediaAddress, String linkAddress, int load, int capacity,
        boolean draining) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_ADDRESS_LENGTH = 256;

    public NodeInfo {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("node id must be 1 to 64 of A-Z a-z 0-9 . _ -: " + id);
        }
        Objects.requireNonNull(signalingUrl, "signalingUrl");
        requireAddress(mediaAddress, "mediaAddress");
        requireAddress(linkAddress, "linkAddress");
        if (load < 0) {
            throw new IllegalArgumentException("load must not be negative: " + load);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
    }

    /** A node that is not draining. */
    public NodeInfo(String id, URI signalingUrl, String mediaAddress, String linkAddress, int load, int capacity) {
        this(id, signalingUrl, mediaAddress, linkAddress, load, capacity, false);
    }

    /** A node without a participant limit. */
    public NodeInfo(String id, URI signalingUrl, String mediaAddress, String linkAddress, int load) {
        this(id, signalingUrl, mediaAddress, linkAddress, load, 0);
    }

    /** Whether the node takes another participant: it is not draining, and has no limit or is under it. */
    public boolean hasRoom() {
        return !draining && (capacity == 0 || load < capacity);
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static void requireAddress(String address, String name) {
        if (address == null || address.isEmpty() || address.length() > MAX_ADDRESS_LENGTH) {
            throw new IllegalArgumentException(name + " must be 1 to " + MAX_ADDRESS_LENGTH + " characters: " + address);
        }
    }

    public NodeInfo withLoad(int newLoad) {
        return new NodeInfo(id, signalingUrl, mediaAddress, linkAddress, newLoad, capacity, draining);
    }

    public NodeInfo withDraining(boolean nowDraining) {
        return new NodeInfo(id, signalingUrl, mediaAddress, linkAddress, load, capacity, nowDraining);
    }
}
