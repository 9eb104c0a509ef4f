package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Several nodes as targets: the URL, HTTP and PID lists, and which node each participant joins. */
class ClusterTargetsTest {

    private static final String THREE = "ws://127.0.0.1:41001/ws,ws://127.0.0.1:41002/ws,ws://127.0.0.1:41003/ws";

    @Test
    void threeUrlsMakeThreeNodesWithTheirMetricsAndPids() {
        LoadOptions options = LoadOptions.parse(new String[] {"--url", THREE, "--server-pid", "101,102,103"});
        assertTrue(options.cluster());
        assertEquals(List.of(URI.create("ws://127.0.0.1:41001/ws"), URI.create("ws://127.0.0.1:41002/ws"),
                URI.create("ws://127.0.0.1:41003/ws")), options.webSocketUris());
        assertEquals(List.of(URI.create("http://127.0.0.1:41001"), URI.create("http://127.0.0.1:41002"),
                URI.create("http://127.0.0.1:41003")), options.httpUris(), "derived from each --url, in order");
        assertEquals(List.of(101L, 102L, 103L), options.serverPids());
    }

    @Test
    void oneUrlIsOneNodeAsBefore() {
        LoadOptions options = LoadOptions.parse(new String[] {"--url", "ws://127.0.0.1:41001/ws", "--server-pid", "7"});
        assertFalse(options.cluster());
        assertEquals(List.of(URI.create("http://127.0.0.1:41001")), options.httpUris());
        assertEquals(List.of(7L), options.serverPids());
        assertEquals(List.of(), LoadOptions.parse(new String[0]).serverPids(), "no PID: CPU from /metrics");
        assertEquals(List.of(URI.create("ws://127.0.0.1:8080/ws")), LoadOptions.parse(new String[0]).webSocketUris());
    }

    @Test
    void theSameNodeMayComeTwice() {
        LoadOptions options = LoadOptions.parse(new String[] {"--url",
            "ws://127.0.0.1:41001/ws,ws://127.0.0.1:41001/ws"});
        assertTrue(options.cluster());
        assertEquals(2, options.httpUris().size());
    }

    @Test
    void explicitHttpBasesAreOnePerNode() {
        LoadOptions options = LoadOptions.parse(new String[] {"--url", THREE, "--http",
            "http://127.0.0.1:9001,http://127.0.0.1:9002,http://localhost:9003"});
        assertEquals(URI.create("http://localhost:9003"), options.httpUris().get(2));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--url        | ws://127.0.0.1:41001/ws,ws://10.0.0.5:41002/ws          | not loopback",
        "--url        | ws://127.0.0.1:41001/ws,ws://example.com:41002/ws       | a name, not a loopback literal",
        "--url        | ws://127.0.0.1:41001/ws,wss://127.0.0.1:41002/ws        | mixed schemes",
        "--url        | ws://127.0.0.1:41001/ws,http://127.0.0.1:41002          | mixed schemes",
        "--url        | wss://127.0.0.1:41001/ws                                | wss",
        "--url        | ws://127.0.0.1:41001/ws,,ws://127.0.0.1:41002/ws        | an empty entry",
        "--url        | ws://127.0.0.1:41001/ws,                                | a trailing comma",
        "--url        | ws://127.0.0.1/ws                                       | no port",
        "--server-pid | 101,102                                                 | two PIDs for three URLs",
        "--server-pid | 101,102,103,104                                         | four PIDs for three URLs",
        "--server-pid | 101,,103                                                | an empty PID",
        "--server-pid | 101,0,103                                               | PID 0",
        "--server-pid | 101,abc,103                                             | not a number",
        "--http       | http://127.0.0.1:9001                                   | one HTTP base for three URLs",
        "--http       | http://127.0.0.1:9001,ws://127.0.0.1:9002,http://127.0.0.1:9003 | mixed schemes",
        "--http       | http://127.0.0.1:9001,http://192.168.1.1:9002,http://127.0.0.1:9003 | not loopback",
    })
    void badListsAreRefused(String flag, String value, String why) {
        List<String> args = new ArrayList<>(List.of("--url", THREE));
        if (flag.equals("--url")) {
            args.clear();
        }
        args.add(flag);
        args.add(value);
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args.toArray(String[]::new)), why);
    }

    @Test
    void atMostSixteenNodes() {
        String seventeen = java.util.stream.IntStream.range(0, 17)
                .mapToObj(i -> "ws://127.0.0.1:" + (41000 + i) + "/ws").collect(Collectors.joining(","));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--url", seventeen}));
    }

    /** Member k of room r (publishers first, then subscribers) joins node (r + k) mod N. */
    @ParameterizedTest(name = "{0} node(s), {1} pub + {2} sub, room {3}")
    @CsvSource(delimiter = '|', value = {
        // nodes | pubs | subs | room | node of each member: pub0 pub1 ... sub0 sub1 ...
        "3       | 2    | 7    | 0    | 0 1 2 0 1 2 0 1 2",
        "3       | 2    | 7    | 1    | 1 2 0 1 2 0 1 2 0",
        "3       | 2    | 7    | 2    | 2 0 1 2 0 1 2 0 1",
        "3       | 2    | 7    | 3    | 0 1 2 0 1 2 0 1 2",
        "2       | 1    | 2    | 0    | 0 1 0",
        "2       | 1    | 2    | 1    | 1 0 1",
        "1       | 2    | 3    | 4    | 0 0 0 0 0",
        "4       | 2    | 1    | 0    | 0 1 2",
        "4       | 0    | 6    | 5    | 1 2 3 0 1 2",
    })
    void participantsGoRoundTheNodesRoomByRoom(int nodes, int publishers, int subscribers, int room,
            String expected) {
        List<String> got = new ArrayList<>();
        for (int member = 0; member < publishers + subscribers; member++) {
            got.add(String.valueOf(NodeSpread.nodeOf(room, member, nodes)));
        }
        assertEquals(expected, String.join(" ", got));
    }

    @Test
    void everyRoomOfAtLeastNMembersHasMembersOnEveryNode() {
        for (int nodes = 1; nodes <= 5; nodes++) {
            for (int size = nodes; size <= 12; size++) {
                for (int room = 0; room < 10; room++) {
                    Set<Integer> used = new HashSet<>();
                    for (int member = 0; member < size; member++) {
                        used.add(NodeSpread.nodeOf(room, member, nodes));
                    }
                    assertEquals(nodes, used.size(), nodes + " nodes, room " + room + " of " + size);
                }
            }
        }
    }

    @Test
    void joinsCarryNoRedirectOnlyWithSeveralNodes() {
        assertEquals("{\"type\":\"join\",\"room\":\"load-0\",\"name\":\"sub1\",\"noRedirect\":true}",
                SfuParticipant.joinMessage("load-0", "sub1", true).toString());
        assertEquals("{\"type\":\"join\",\"room\":\"load-0\",\"name\":\"sub1\"}",
                SfuParticipant.joinMessage("load-0", "sub1", false).toString());
    }

    @Test
    void relayedPacketsAreTheSentDirectionOnly() {
        String metrics = """
                # TYPE atrium_relay_packets_total counter
                atrium_relay_packets_total{direction="received"} 70.0
                atrium_relay_packets_total{direction="sent"} 1234.0
                atrium_relay_packets_total_extra{direction="sent"} 9.0
                atrium_forwarded_packets_total{kind="audio"} 10.0
                atrium_forwarded_packets_total{kind="video"} 32.0
                """;
        assertEquals(1234.0, ServerProbe.sum(metrics, "atrium_relay_packets_total", "direction=\"sent\""));
        assertEquals(1304.0, ServerProbe.sum(metrics, "atrium_relay_packets_total"));
        assertEquals(42.0, ServerProbe.sum(metrics, "atrium_forwarded_packets_total"));
        assertTrue(Double.isNaN(ServerProbe.sum(metrics, "atrium_relay_links")));
    }
}
