package org.atrium.signaling.cluster;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.atrium.cluster.ClusterConfig;
import org.atrium.cluster.NodeInfo;

/**
 * How this node takes part in a cluster (docs/cluster.md); absent from the server's
 * settings when it runs alone.
 *
 * @param redis          the cluster's Redis URI (may hold a password: never logged)
 * @param nodeId         this node's id, valid as {@link NodeInfo#isValidId}
 * @param secret         shared by every node, at least {@link #MIN_SECRET_BYTES} bytes
 * @param publicUrl      where browsers reach this node's signaling, or null to derive it from the
 *                       HTTP listener once it is bound
 * @param maxParticipants participants this node takes before a room spills onto another node; 0 for
 *                       no limit
 * @param drainTimeout   how long a stopping node waits for its participants to move to other nodes
 *                       (docs/cluster.md, "Draining"); zero stops at once
 */
public record ClusterSettings(String redis, String nodeId, String secret, URI publicUrl, int maxParticipants,
        Duration drainTimeout) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** With the default drain timeout. */
    public ClusterSettings(String redis, String nodeId, String secret, URI publicUrl, int maxParticipants) {
        this(redis, nodeId, secret, publicUrl, maxParticipants, DEFAULT_DRAIN_TIMEOUT);
    }

    /** As the join tokens' HS256 secret: a key at least as long as the hash (RFC 7518 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    public ClusterSettings {
        Objects.requireNonNull(redis, "redis");
        try {
            ClusterConfig.of(redis);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--redis must be a Redis URI such as redis://HOST:6379, not '" + redis
                    + "' (" + e.getMessage() + ")");
        }
        if (!NodeInfo.isValidId(nodeId)) {
            throw new IllegalArgumentException("--node-id must be 1 to 64 of A-Z a-z 0-9 . _ -, not '" + nodeId + "'");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("--redis needs --cluster-secret, shared by every node and at least "
                    + MIN_SECRET_BYTES + " bytes (e.g. openssl rand -base64 48)");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("--cluster-secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (e.g. openssl rand -base64 48)");
        }
        if (publicUrl != null && (!publicUrl.isAbsolute() || publicUrl.getHost() == null
                || !(publicUrl.getScheme().equals("http") || publicUrl.getScheme().equals("https")))) {
            throw new IllegalArgumentException("--public-url must be an http:// or https:// URL with a host, not '"
                    + publicUrl + "'");
        }
        if (maxParticipants < 0) {
            throw new IllegalArgumentException("--node-max-participants must not be negative");
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--drain-timeout must not be negative");
        }
    }

    public ClusterSettings withDrainTimeout(Duration timeout) {
        return new ClusterSettings(redis, nodeId, secret, publicUrl, maxParticipants, timeout);
    }

    public ClusterConfig clusterConfig() {
        return ClusterConfig.of(redis);
    }

    /** The default node id: the host name and the media port, with what a node id may not hold replaced by "-". */
    public static String defaultNodeId(int mediaPort) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "atrium";
        }
        return sanitisedNodeId(host, mediaPort);
    }

    /** {@code host} with what a node id may not hold replaced by "-", cut to fit, then "-" and the port. */
    public static String sanitisedNodeId(String host, int mediaPort) {
        String suffix = "-" + mediaPort;
        String base = host == null ? "" : host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (base.isEmpty()) {
            base = "atrium";
        }
        int room = 64 - suffix.length();
        return (base.length() > room ? base.substring(0, room) : base) + suffix;
    }

    /** Secrets and the Redis password are left out, so that the settings can be logged. */
    @Override
    public String toString() {
        ClusterConfig config = ClusterConfig.of(redis);
        return "ClusterSettings[redis=" + config.redis().getHost() + ":" + config.redis().getPort() + ", nodeId="
                + nodeId + ", secret=set, publicUrl=" + publicUrl + ", maxParticipants="
                + (maxParticipants == 0 ? "unlimited" : Integer.toString(maxParticipants)) + ", drainTimeout="
                + drainTimeout.toSeconds() + "s]";
    }

    /** {@code http://HOST:PORT} or {@code https://HOST:PORT} for a listener; a wildcard host becomes the host name. */
    public static URI derivedUrl(String httpHost, int port, boolean tls) {
        String host = httpHost;
        try {
            InetAddress address = InetAddress.getByName(httpHost);
            if (address.isAnyLocalAddress()) {
                host = InetAddress.getLocalHost().getHostName();
            }
        } catch (UnknownHostException e) {
            // a name: kept as it is
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host.toLowerCase(Locale.ROOT) + ":" + port);
    }
}
