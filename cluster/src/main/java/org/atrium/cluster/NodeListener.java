package org.atrium.cluster;

/** Changes in the set of live nodes, called on the registry's own thread (never on an I/O thread). */
public interface NodeListener {

    /** A node registered, or was seen again after Redis returned. */
    default void onNodeUp(NodeInfo node) {
    }

    /** A node's entry expired: it missed its heartbeats for the TTL. Never called for this node. */
    default void onNodeDead(String nodeId) {
    }
}
