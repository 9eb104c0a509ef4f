package org.atrium.sfu.turn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live allocations, found by client 5-tuple (control messages, Send, ChannelData) and by relay
 * socket (peer data), and counted per identity for the quota. The maps are concurrent so the data
 * path looks up without the engine's lock; adding and removing happen under it.
 */
final class Allocations {

    private final Map<TurnClient, Allocation> byClient = new ConcurrentHashMap<>();
    private final Map<RelaySocket, Allocation> byRelay = new ConcurrentHashMap<>();
    private final Map<String, Integer> perIdentity = new HashMap<>();
    private final TurnMetrics metrics;

    Allocations(TurnMetrics metrics) {
        this.metrics = metrics;
    }

    Allocation byClient(TurnClient client) {
        return byClient.get(client);
    }

    Allocation byRelay(RelaySocket relay) {
        return byRelay.get(relay);
    }

    int size() {
        return byClient.size();
    }

    /** Under the engine's lock. */
    int countFor(String identity) {
        return perIdentity.getOrDefault(identity, 0);
    }

    /** Under the engine's lock. */
    void add(Allocation allocation) {
        byClient.put(allocation.client, allocation);
        byRelay.put(allocation.relay, allocation);
        perIdentity.merge(allocation.identity, 1, Integer::sum);
        metrics.allocationOpened(allocation.client.transport());
    }

    /** Ends the allocation and closes its relay socket. Under the engine's lock. */
    void remove(Allocation allocation) {
        if (byClient.remove(allocation.client, allocation)) {
            byRelay.remove(allocation.relay, allocation);
            perIdentity.computeIfPresent(allocation.identity, (identity, n) -> n > 1 ? n - 1 : null);
            metrics.allocationClosed(allocation.client.transport());
            allocation.relay.close();
        }
    }

    /** Ends allocations whose lifetime is over, and prunes the others' permissions and channels. Under the engine's lock. */
    void expire(long nowMillis) {
        List<Allocation> over = new ArrayList<>();
        for (Allocation allocation : byClient.values()) {
            if (allocation.expiresAt() <= nowMillis) {
                over.add(allocation);
            } else {
                allocation.permissions.expire(nowMillis);
                allocation.channels.expire(nowMillis);
            }
        }
        over.forEach(this::remove);
    }
}
