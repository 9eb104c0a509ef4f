package org.atrium.cluster;

import static org.atrium.cluster.ClusterTestSupport.await;
import static org.atrium.cluster.ClusterTestSupport.get;
import static org.atrium.cluster.ClusterTestSupport.ids;
import static org.atrium.cluster.ClusterTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node registry against a real redis-server on a loopback port. */
class NodeRegistryTest {

    private RedisServerProcess redis;
    private NodeRegistry a;
    private NodeRegistry b;

    @BeforeEach
    void startRedis() throws Exception {
        redis = ClusterTestSupport.startRedis();
    }

    @AfterEach
    void stopAll() throws Exception {
        ClusterTestSupport.closeAll(a, b, redis);
    }

    @Test
    void registeredNodesAreListedWithTheirAddressesAndLoad() throws Exception {
        AtomicInteger loadOfB = new AtomicInteger(7);
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(), new NodeListener() { });
        b = ClusterTestSupport.start(redis, node("node-b", 2), loadOfB, new NodeListener() { });

        List<NodeInfo> nodes = get(a.liveNodes());
        assertEquals(List.of("node-a", "node-b"), ids(nodes));
        NodeInfo seen = nodes.stream().filter(n -> n.id().equals("node-b")).findFirst().orElseThrow();
        assertEquals(node("node-b", 2).withLoad(7), seen);

        loadOfB.set(9);
        await("node-b's new load listed", Duration.ofSeconds(3), () -> get(a.liveNodes()).stream()
                .anyMatch(n -> n.id().equals("node-b") && n.load() == 9));
        String ttl = redis.cli("PTTL", "atrium:node:node-a");
        long ms = Long.parseLong(ttl);
        assertTrue(ms > 0 && ms <= 3000, "node key TTL " + ttl);
        assertTrue(a.stats().heartbeats() >= 1);
        assertEquals(0, a.stats().malformedEntries());
    }

    @Test
    void aNodeWhoseHeartbeatStopsIsDeadWithinFiveSeconds() throws Exception {
        Map<String, Long> deadAt = new ConcurrentHashMap<>();
        Map<String, Boolean> up = new ConcurrentHashMap<>();
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(), new NodeListener() {
            @Override
            public void onNodeUp(NodeInfo node) {
                up.put(node.id(), true);
            }

            @Override
            public void onNodeDead(String nodeId) {
                deadAt.put(nodeId, System.nanoTime());
            }
        });
        b = ClusterTestSupport.start(redis, node("node-b", 2), new AtomicInteger(), new NodeListener() { });
        await("node-a sees node-b", Duration.ofSeconds(3), () -> up.containsKey("node-b"));

        long stopped = System.nanoTime();
        b.stopHeartbeat();
        await("node-b reported dead", Duration.ofSeconds(6), () -> deadAt.containsKey("node-b"));
        long ms = TimeUnit.NANOSECONDS.toMillis(deadAt.get("node-b") - stopped);
        assertTrue(ms <= 5000, "node-b reported dead " + ms + " ms after its last heartbeat");
        assertEquals(List.of("node-a"), ids(get(a.liveNodes())));
        assertEquals("0", redis.cli("EXISTS", "atrium:node:node-b"));
        assertEquals(1, deadAt.size(), "only node-b is dead: " + deadAt);
    }

    @Test
    void aDrainingNodeSaysSoInItsEntryWithinABeat() throws Exception {
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(), new NodeListener() { });
        b = ClusterTestSupport.start(redis, node("node-b", 2), new AtomicInteger(), new NodeListener() { });
        assertTrue(get(a.liveNodes()).stream().noneMatch(NodeInfo::draining));

        b.drain();
        assertTrue(b.isDraining());
        await("node-a lists node-b as draining", Duration.ofSeconds(2), () -> get(a.liveNodes()).stream()
                .anyMatch(n -> n.id().equals("node-b") && n.draining() && !n.hasRoom()));
        assertEquals("1", redis.cli("HGET", "atrium:node:node-b", "draining"));
        await("node-a's own list has it too", Duration.ofSeconds(3), () -> a.knownNodes().stream()
                .anyMatch(n -> n.id().equals("node-b") && n.draining()));
    }

    @Test
    void closingANodeRemovesItsEntryAtOnce() throws Exception {
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(), new NodeListener() { });
        b = ClusterTestSupport.start(redis, node("node-b", 2), new AtomicInteger(), new NodeListener() { });
        b.close();
        b = null;
        assertEquals(List.of("node-a"), ids(get(a.liveNodes())));
    }

    @Test
    void aMalformedNodeEntryIsSkippedAndCounted() throws Exception {
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(), new NodeListener() { });
        long before = a.stats().malformedEntries();
        redis.cli("ZADD", "atrium:nodes", "1", "bad-load", "2", "not a valid id", "3", "a-string");
        redis.cli("HSET", "atrium:node:bad-load", "url", "http://x", "media", "m:1", "link", "l:1", "load", "many");
        redis.cli("SET", "atrium:node:a-string", "not a hash");

        assertEquals(List.of("node-a"), ids(get(a.liveNodes())));
        assertTrue(a.stats().malformedEntries() >= before + 3, "counted: " + a.stats().malformedEntries());
        // The heartbeat lists them too, and goes on.
        long beats = a.stats().heartbeats();
        await("two more heartbeats", Duration.ofSeconds(4), () -> a.stats().heartbeats() >= beats + 2);
    }

    @Test
    void theRegistryRegistersAgainAfterRedisWasStoppedAndRestarted() throws Exception {
        Map<String, Boolean> dead = new ConcurrentHashMap<>();
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(3), new NodeListener() {
            @Override
            public void onNodeDead(String nodeId) {
                dead.put(nodeId, true);
            }
        });
        b = ClusterTestSupport.start(redis, node("node-b", 2), new AtomicInteger(), new NodeListener() { });
        get(a.rooms().add("lobby", "p1", "Ada", null));
        long failuresBefore = a.stats().redisFailures();

        redis.stop();
        Thread.sleep(3000);
        assertTrue(a.stats().redisFailures() > failuresBefore, "heartbeats failed while Redis was away");
        try {
            get(a.liveNodes());
            fail("listing nodes without Redis");
        } catch (ExecutionException e) {
            assertInstanceOf(ClusterUnavailableException.class, e.getCause());
        }

        redis.start(); // empty: it saved nothing
        await("node-a registered again", Duration.ofSeconds(5),
                () -> "1".equals(redis.cli("EXISTS", "atrium:node:node-a")));
        await("both nodes registered again", Duration.ofSeconds(3),
                () -> ids(get(a.liveNodes())).equals(List.of("node-a", "node-b")));
        await("node-a's member back in its room", Duration.ofSeconds(3),
                () -> get(a.rooms().members("lobby")).size() == 1);
        long beats = a.stats().heartbeats();
        await("heartbeats go on", Duration.ofSeconds(4), () -> a.stats().heartbeats() >= beats + 2);
        assertEquals(Map.of(), dead, "no node declared dead because Redis restarted empty");
    }
}
