package org.atrium.bench.load;

/**
 * Which node of a cluster each participant joins: member {@code k} of room {@code r}
 * (publishers first, then subscribers, in join order) joins node {@code (r + k) mod N}.
 * Round-robin within each room, so that a room of at least N members has members on every
 * node; each room starts one node further than the one before, so that rooms' first
 * members, their publishers, do not all land on the first nodes. Subscribers added by a
 * capacity step carry on the same count.
 */
final class NodeSpread {

    private NodeSpread() {
    }

    static int nodeOf(int room, int member, int nodes) {
        if (room < 0 || member < 0 || nodes < 1) {
            throw new IllegalArgumentException("room " + room + ", member " + member + ", nodes " + nodes);
        }
        return (int) (((long) room + member) % nodes);
    }
}
