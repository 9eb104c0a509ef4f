package org.atrium.signaling.cluster;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.atrium.cluster.NodeInfo;
import org.atrium.sfu.cluster.RoomMember;

/**
 * Where a join goes in a cluster (docs/cluster.md, "Placement"): here, another node, or
 * nowhere. A pure function of what the directory and the registry say, so that it can be
 * tested as a table.
 */
public final class Placement {

    /** A new room goes elsewhere only to a node with at least this many fewer participants. */
    static final int HYSTERESIS = 2;

    private Placement() {
    }

    /** What to do with a join. */
    public sealed interface Decision {
    }

    /** Join on this node. */
    public record Local() implements Decision {
    }

    /** Tell the client to join on {@code node} instead. */
    public record Redirect(NodeInfo node) implements Decision {
    }

    /** No node has room for another participant. */
    public record Full() implements Decision {
    }

    static final Local LOCAL = new Local();

    /**
     * @param self       this node, with its load now (not as of its last beat)
     * @param live       the live nodes as the registry last listed them (this one may be among them)
     * @param members    the room's members on every live node
     * @param noRedirect the client follows a redirect: join here unless this node is full
     *     (a draining node sends even such a join on: no node redirects to a draining one, so
     *     it is still redirected at most once more)
     */
    public static Decision decide(NodeInfo self, List<NodeInfo> live, List<RoomMember> members, boolean noRedirect) {
        boolean selfHasRoom = self.hasRoom();
        if (self.draining()) {
            return moveTarget(self, live, members).<Decision>map(Redirect::new).orElseGet(Full::new);
        }
        if (noRedirect) {
            return selfHasRoom ? LOCAL : new Full();
        }
        List<NodeInfo> others = live.stream().filter(n -> !n.id().equals(self.id())).toList();
        Comparator<NodeInfo> leastLoaded = Comparator.comparingInt(NodeInfo::load).thenComparing(NodeInfo::id);
        Optional<NodeInfo> leastLoadedWithRoom = others.stream().filter(NodeInfo::hasRoom).min(leastLoaded);
        if (members.isEmpty()) {
            if (leastLoadedWithRoom.isPresent() && (!selfHasRoom
                    || leastLoadedWithRoom.get().load() <= self.load() - HYSTERESIS)) {
                return new Redirect(leastLoadedWithRoom.get());
            }
            return selfHasRoom ? LOCAL : new Full();
        }
        Set<String> nodesOfRoom = new HashSet<>();
        for (RoomMember member : members) {
            nodesOfRoom.add(member.nodeId());
        }
        if (nodesOfRoom.contains(self.id()) && selfHasRoom) {
            return LOCAL;
        }
        Optional<NodeInfo> ofRoom = others.stream()
                .filter(n -> nodesOfRoom.contains(n.id()) && n.hasRoom()).min(leastLoaded);
        if (ofRoom.isPresent()) {
            return new Redirect(ofRoom.get());
        }
        if (selfHasRoom) {
            return LOCAL; // the room spills onto this node
        }
        return leastLoadedWithRoom.<Decision>map(Redirect::new).orElseGet(Full::new);
    }

    /**
     * Where a member of a room on this draining node moves to (docs/cluster.md, "Draining"):
     * the least loaded other live node with members of the room that has room, else the
     * least loaded other live node that has room; empty when no other node has room.
     *
     * @param self    this node
     * @param live    the live nodes as the registry last listed them
     * @param members the room's members on every live node
     */
    public static Optional<NodeInfo> moveTarget(NodeInfo self, List<NodeInfo> live, List<RoomMember> members) {
        Set<String> nodesOfRoom = new HashSet<>();
        for (RoomMember member : members) {
            nodesOfRoom.add(member.nodeId());
        }
        Comparator<NodeInfo> leastLoaded = Comparator.comparingInt(NodeInfo::load).thenComparing(NodeInfo::id);
        List<NodeInfo> candidates = live.stream().filter(n -> !n.id().equals(self.id()) && n.hasRoom()).toList();
        Optional<NodeInfo> ofRoom = candidates.stream().filter(n -> nodesOfRoom.contains(n.id())).min(leastLoaded);
        return ofRoom.isPresent() ? ofRoom : candidates.stream().min(leastLoaded);
    }
}
