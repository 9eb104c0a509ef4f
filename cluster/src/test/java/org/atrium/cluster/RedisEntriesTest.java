package org.atrium.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.atrium.sfu.cluster.RoomMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisEntriesTest {

    @Test
    void aNodeRoundTrips() {
        NodeInfo node = new NodeInfo("n1", URI.create("https://sfu1.example.org"), "10.0.0.1:10000", "10.0.0.1:11000", 12);
        assertEquals(node, RedisEntries.parseNode("n1", RedisEntries.nodeFields(node)).value());
        NodeInfo limited = new NodeInfo("n2", URI.create("http://x"), "m:1", "l:1", 3, 50);
        assertEquals(limited, RedisEntries.parseNode("n2", RedisEntries.nodeFields(limited)).value());
    }

    @Test
    void aDrainingNodeRoundTripsAndHasNoRoom() {
        NodeInfo node = new NodeInfo("n1", URI.create("http://x"), "m:1", "l:1", 3, 0, true);
        Map<String, String> fields = RedisEntries.nodeFields(node);
        assertEquals("1", fields.get("draining"));
        assertEquals(node, RedisEntries.parseNode("n1", fields).value());
        assertEquals(false, node.hasRoom());
        assertNull(RedisEntries.nodeFields(node.withDraining(false)).get("draining"), "absent unless draining");
        assertEquals(false, RedisEntries.parseNode("n1", RedisEntries.nodeFields(node.withDraining(false)))
                .value().draining());
    }

    @ParameterizedTest
    @CsvSource({"yes", "2", "''"})
    void aBadDrainingFlagRejectsTheNode(String draining) {
        assertRejected(RedisEntries.parseNode("n1", Map.of("url", "http://x", "media", "m:1", "link", "l:1",
                "load", "0", "draining", draining)));
    }

    @Test
    void aNodeWithoutCapacityHasNoLimit() {
        NodeInfo node = RedisEntries.parseNode("n1", Map.of("url", "http://x", "media", "m:1", "link", "l:1",
                "load", "7")).value();
        assertEquals(0, node.capacity());
        assertEquals(true, node.hasRoom());
        assertEquals(false, new NodeInfo("n", URI.create("http://x"), "m:1", "l:1", 7, 7).hasRoom());
    }

    @ParameterizedTest
    @CsvSource({"many", "-1", "''"})
    void aBadCapacityRejectsTheNode(String capacity) {
        assertRejected(RedisEntries.parseNode("n1", Map.of("url", "http://x", "media", "m:1", "link", "l:1",
                "load", "0", "capacity", capacity)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "no load        | n1     | http://x | m:1  | l:1 | NULL",
        "load not a number | n1  | http://x | m:1  | l:1 | many",
        "negative load  | n1     | http://x | m:1  | l:1 | -1",
        "relative url   | n1     | /x       | m:1  | l:1 | 0",
        "url not a URI  | n1     | 'http://a b' | m:1 | l:1 | 0",
        "empty media    | n1     | http://x | ''   | l:1 | 0",
        "invalid id     | 'n 1'  | http://x | m:1  | l:1 | 0",
    })
    void malformedNodesAreRejectedWithAReason(String name, String id, String url, String media, String link,
            String load) {
        Map<String, String> fields = new HashMap<>(Map.of("url", url, "media", media, "link", link));
        if (load != null) {
            fields.put("load", load);
        }
        assertRejected(RedisEntries.parseNode(id, fields));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "plain          | Ada            | ada",
        "null fields    | NULL           | NULL",
        "dash alone     | -              | -",
        "empty          | ''             | ''",
        "spaces, %, +   | 'A + B 100%'   | 'x y'",
        "unicode        | Zoë 🙂          | ζ",
    })
    void membersRoundTrip(String name, String displayName, String identity) {
        RoomMember member = new RoomMember("p1", "node-a", displayName, identity);
        assertEquals(member, RedisEntries.parseMember("p1", RedisEntries.memberValue(member)).value());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "null value     | NULL",
        "empty          | ''",
        "other version  | 2 node-a - -",
        "three parts    | 1 node-a -",
        "five parts     | 1 node-a - - -",
        "bad escape     | 1 node-a %zz -",
        "null node      | 1 - - -",
        "invalid node   | 1 a%20b - -",
    })
    void malformedMembersAreRejectedWithAReason(String name, String value) {
        assertRejected(RedisEntries.parseMember("p1", value));
    }

    private static void assertRejected(RedisEntries.Parsed<?> parsed) {
        assertNull(parsed.value());
        assertNotNull(parsed.reason());
    }
}
