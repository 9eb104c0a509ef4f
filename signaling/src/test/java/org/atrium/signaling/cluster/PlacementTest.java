package org.atrium.signaling.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.atrium.cluster.NodeInfo;
import org.atrium.sfu.cluster.RoomMember;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Placement's rules (docs/cluster.md, "Placement") as a table. */
class PlacementTest {

    /**
     * @param nodes     each node as ID:LOAD/CAPACITY (capacity 0: no limit), "d" after it when the node
     *                  drains, this node ("a") first
     * @param members   the room's members as the nodes they are on, e.g. "b b a"; "-" for none
     * @param expected  "local", "full", or the node redirected to
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            new room, equal loads: here                      | a:0/0 b:0/0      | -     | false | local
            new room, other lower by 1: here (hysteresis)    | a:3/0 b:2/0      | -     | false | local
            new room, other lower by 2: there                | a:3/0 b:1/0      | -     | false | b
            new room, least loaded of two lower ones         | a:5/0 b:2/0 c:1/0| -     | false | c
            new room, this node full: least loaded with room | a:2/2 b:5/0 c:3/4| -     | false | c
            new room, every node full                        | a:2/2 b:4/4      | -     | false | full
            members here, room here: here                    | a:5/0 b:0/0      | a     | false | local
            members here and there, this node full: there   | a:2/2 b:1/4      | a b   | false | b
            members only there, room there: there            | a:0/0 b:9/0      | b     | false | b
            members there, that node full: spill here        | a:0/0 b:4/4      | b     | false | local
            members here and there, both full: another node  | a:2/2 b:4/4 c:7/0| a b   | false | c
            members everywhere, all full                     | a:2/2 b:4/4      | a b   | false | full
            following a redirect: here though members there  | a:0/0 b:0/0      | b     | true  | local
            following a redirect to a full node: refused     | a:2/2 b:0/0      | b     | true  | full
            members on a node not live: like a new room      | a:0/0 b:0/0      | z     | false | local
            new room, other node draining: not there        | a:3/0 b:0/0d     | -     | false | local
            members there, that node draining: spill here    | a:0/0 b:0/0d     | b     | false | local
            draining: to the node of the room's members      | a:0/0d b:1/0 c:5/0 | c   | false | c
            draining: least loaded when no other has members | a:0/0d b:4/0 c:3/0 | a   | false | c
            draining: even a join that followed a redirect   | a:0/0d b:4/0     | -     | true  | b
            draining: the room's node full, least loaded     | a:0/0d b:2/2 c:3/0 | b   | false | c
            draining: no other node with room               | a:0/0d b:2/2 c:0/0d | -  | false | full
            """)
    void decides(String name, String nodes, String members, boolean noRedirect, String expected) {
        List<NodeInfo> live = new ArrayList<>();
        for (String node : nodes.trim().split(" +")) {
            String id = node.substring(0, node.indexOf(':'));
            boolean draining = node.endsWith("d");
            String[] numbers = node.substring(node.indexOf(':') + 1, node.length() - (draining ? 1 : 0)).split("/");
            live.add(new NodeInfo(id, URI.create("http://" + id + ".example"), id + ":10000", id + ":10000",
                    Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1]), draining));
        }
        List<RoomMember> roomMembers = new ArrayList<>();
        if (!members.trim().equals("-")) {
            int i = 0;
            for (String node : members.trim().split(" +")) {
                roomMembers.add(new RoomMember("p" + i++, node, null, null));
            }
        }
        Placement.Decision decision = Placement.decide(live.get(0), live, roomMembers, noRedirect);
        String got = decision instanceof Placement.Redirect redirect ? redirect.node().id()
                : decision instanceof Placement.Full ? "full" : "local";
        assertEquals(expected, got);
    }
}
