package org.atrium.signaling.whip;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The WHIP and WHEP sessions in progress, by the id in their URL. */
final class HttpMediaSessions {

    private final ConcurrentMap<String, HttpMediaSession> byId = new ConcurrentHashMap<>();

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
