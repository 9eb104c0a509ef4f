package org.atrium.cluster;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one node's view of the cluster's Redis, shared by its registry and directory. */
public final class ClusterStats {

    final AtomicLong malformedEntries = new AtomicLong();
    final AtomicLong redisFailures = new AtomicLong();
    final AtomicLong heartbeats = new AtomicLong();
    final AtomicLong staleMembers = new AtomicLong();

    /** Redis entries of the wrong shape (bad fields, bad values, wrong key type), each skipped. */
    public long malformedEntries() {
        return malformedEntries.get();
    }

    /** Redis commands or heartbeats that failed (unreachable, timed out, refused). */
    public long redisFailures() {
        return redisFailures.get();
    }

    /** Heartbeats that reached Redis. */
    public long heartbeats() {
        return heartbeats.get();
    }

    /** Room entries dropped because their node is no longer registered. */
    public long staleMembers() {
        return staleMembers.get();
    }
}
