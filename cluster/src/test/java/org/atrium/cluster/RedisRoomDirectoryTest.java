package org.atrium.cluster;

import static org.atrium.cluster.ClusterTestSupport.await;
import static org.atrium.cluster.ClusterTestSupport.get;
import static org.atrium.cluster.ClusterTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.sfu.cluster.RoomMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes in one JVM sharing a room through a real redis-server on a loopback port. */
class RedisRoomDirectoryTest {

    private RedisServerProcess redis;
    private NodeRegistry a;
    private NodeRegistry b;

    @BeforeEach
    void startTwoNodes() throws Exception {
        redis = ClusterTestSupport.startRedis();
        a = ClusterTestSupport.start(redis, node("node-a", 1), new AtomicInteger(), new NodeListener() { });
        b = ClusterTestSupport.start(redis, node("node-b", 2), new AtomicInteger(), new NodeListener() { });
    }

    @AfterEach
    void stopAll() throws Exception {
        ClusterTestSupport.closeAll(a, b, redis);
    }

    private static List<RoomMember> members(NodeRegistry node, String room) throws Exception {
        return get(node.rooms().members(room)).stream()
                .sorted(Comparator.comparing(RoomMember::participantId)).toList();
    }

    @Test
    void bothNodesSeeEveryMemberOfARoomWithItsNode() throws Exception {
        get(a.rooms().add("lobby", "ada", "Ada Lovelace", "ada@example.org"));
        get(b.rooms().add("lobby", "bob", "Bob - the 2nd", null));
        get(b.rooms().add("other", "eve", "-", ""));

        List<RoomMember> expected = List.of(
                new RoomMember("ada", "node-a", "Ada Lovelace", "ada@example.org"),
                new RoomMember("bob", "node-b", "Bob - the 2nd", null));
        assertEquals(expected, members(a, "lobby"));
        assertEquals(expected, members(b, "lobby"));
        assertEquals(List.of(new RoomMember("eve", "node-b", "-", "")), members(a, "other"));
        assertEquals(List.of(), members(a, "empty"));

        get(a.rooms().remove("lobby", "ada"));
        assertEquals(List.of(expected.get(1)), members(b, "lobby"));
        String ttl = redis.cli("PTTL", "atrium:room:lobby");
        assertTrue(Long.parseLong(ttl) > 0 && Long.parseLong(ttl) <= 3000, "room key TTL " + ttl);
    }

    @Test
    void roomNamesListEveryRoomWithMembersOnAnyNode() throws Exception {
        get(a.rooms().add("lobby", "ada", "Ada", null));
        get(b.rooms().add("other", "bob", "Bob", null));
        assertEquals(List.of("lobby", "other"), get(a.rooms().roomNames(100)));
        assertEquals(1, get(b.rooms().roomNames(1)).size());
        get(b.rooms().remove("other", "bob"));
        assertEquals(List.of("lobby"), get(b.rooms().roomNames(100)));
    }

    @Test
    void knownNodesListThisNodeFirstAndFollowReachability() throws Exception {
        await("both nodes known", Duration.ofSeconds(5), () -> b.knownNodes().size() == 2);
        assertEquals("node-b", b.knownNodes().get(0).id());
        assertTrue(b.isReachable());
        redis.stop();
        await("Redis seen away", Duration.ofSeconds(5), () -> !b.isReachable());
        redis.start();
        await("Redis seen back", Duration.ofSeconds(5), () -> b.isReachable());
    }

    @Test
    void membersOfADeadNodeAreLeftOutAndRemoved() throws Exception {
        get(a.rooms().add("lobby", "ada", "Ada", null));
        get(b.rooms().add("lobby", "bob", "Bob", null));
        b.stopHeartbeat();
        await("bob gone with node-b", Duration.ofSeconds(5),
                () -> members(a, "lobby").stream().map(RoomMember::participantId).toList().equals(List.of("ada")));
        assertTrue(a.stats().staleMembers() >= 1);
        assertEquals("0", redis.cli("HEXISTS", "atrium:room:lobby", "bob"));
    }

    @Test
    void wrongShapedEntriesWrittenWithRedisCliAreSkippedAndCounted() throws Exception {
        get(a.rooms().add("lobby", "ada", "Ada", null));
        long before = a.stats().malformedEntries();
        redis.cli("HSET", "atrium:room:lobby",
                "garbage", "not a member",
                "v2", "2 node-b Bob -",
                "badnode", "1 no%20spaces%20allowed Bob -",
                "badescape", "1 node-b %zz -",
                "empty", "");
        redis.cli("SET", "atrium:room:a-string", "not a hash");

        assertEquals(List.of(new RoomMember("ada", "node-a", "Ada", null)), members(a, "lobby"));
        assertEquals(List.of(), members(a, "a-string"));
        assertEquals(before + 6, a.stats().malformedEntries(), "5 fields and 1 key of the wrong type");

        // A room key of the wrong type does not stop the heartbeat of a node with a member there.
        redis.cli("DEL", "atrium:room:lobby");
        redis.cli("SET", "atrium:room:lobby", "not a hash");
        long beats = a.stats().heartbeats();
        await("two more heartbeats", Duration.ofSeconds(4), () -> a.stats().heartbeats() >= beats + 2);
        assertEquals(List.of("node-a", "node-b"), ClusterTestSupport.ids(get(b.liveNodes())));
    }
}
