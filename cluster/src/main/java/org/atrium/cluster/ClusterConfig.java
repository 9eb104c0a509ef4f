package org.atrium.cluster;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node joins the cluster's Redis.
 *
 * @param redis          where Redis is: {@code redis://HOST:PORT}, with a password as
 *                       {@code redis://:PASSWORD@HOST:PORT} and TLS as {@code rediss://} (Lettuce's
 *                       {@link RedisURI} syntax)
 * @param heartbeat      how often a node refreshes its entries
 * @param ttl            how long an entry outlives its last refresh; a node whose entries expired
 *                       is dead, so this bounds how late a lost node is noticed
 * @param commandTimeout how long one Redis command may take before it counts as failed
 */
public record ClusterConfig(RedisURI redis, Duration heartbeat, Duration ttl, Duration commandTimeout) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    public ClusterConfig {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive: " + heartbeat);
        }
        // Two beats may be lost before a live node's entries expire.
        if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("ttl " + ttl + " is less than two heartbeats of " + heartbeat);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
        }
    }

    /** The defaults (beat 1 s, TTL 3 s, commands 2 s) for the Redis at {@code uri}; throws on a malformed URI. */
    public static ClusterConfig of(String uri) {
        return new ClusterConfig(RedisURI.create(uri), DEFAULT_HEARTBEAT, DEFAULT_TTL, DEFAULT_COMMAND_TIMEOUT);
    }
}
