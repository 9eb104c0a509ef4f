package org.atrium.signaling.whip;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.atrium.signaling.cluster.ClusterMembership;

/** The WHIP and WHEP sessions in progress, by the id in their URL. */
final class HttpMediaSessions {

    private final ConcurrentMap<String, HttpMediaSession> byId = new ConcurrentHashMap<>();
    private final ClusterMembership membership;

    HttpMediaSessions(ClusterMembership membership) {
        this.membership = membership;
    }

    /** The core closed a session's participant: it leaves the room directory. Any thread. */
    void closed(HttpMediaSession session) {
        membership.left(session);
    }

    void add(HttpMediaSession session) {
        byId.put(session.id(), session);
    }

    void remove(HttpMediaSession session) {
        byId.remove(session.id(), session);
    }

    /** The session with this id, or null. */
    HttpMediaSession get(String id) {
        return byId.get(id);
    }

    /** Sessions of one protocol, for the metrics. */
    int count(HttpMediaSession.Protocol protocol) {
        int count = 0;
        for (HttpMediaSession session : byId.values()) {
            if (session.protocol() == protocol) {
                count++;
            }
        }
        return count;
    }
}
