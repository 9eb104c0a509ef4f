package org.atrium.signaling.session;

import org.atrium.signaling.SignalingLimits;
import org.atrium.signaling.auth.JoinTokenVerifier;
import org.atrium.signaling.cluster.ClusterMembership;
import org.atrium.signaling.cluster.ClusterNode;
import org.atrium.signaling.limits.PendingJoinLimit;
import org.atrium.sfu.Sfu;
import org.atrium.signaling.turn.IceServers;

/**
 * What every session of one server checks joins and answers against: the join token,
 * the server-wide bound on joins in progress, and how many tracks a participant may
 * publish; and where joins go and are recorded.
 *
 * @param membership records the listed participants in the room directory; every join goes through it
 * @param cluster this node in a cluster, or null when it runs alone
 */
public record SessionRules(JoinTokenVerifier tokens, PendingJoinLimit pendingJoins, int maxPublishedTracks,
        SessionRegistry sessions, IceServers iceServers, ClusterMembership membership, ClusterNode cluster) {

    /** No tokens, and the default limits: a server for local development and tests. */
    public static SessionRules open(Sfu sfu) {
        SignalingLimits limits = SignalingLimits.defaults();
        return new SessionRules(JoinTokenVerifier.open(), new PendingJoinLimit(sfu.rooms(), limits.maxPendingJoins()),
                limits.maxPublishedTracks(), new SessionRegistry(limits.reconnectGrace()), IceServers.none(),
                ClusterMembership.local(), null);
    }
}
