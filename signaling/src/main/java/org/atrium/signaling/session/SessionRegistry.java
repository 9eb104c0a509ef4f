package org.atrium.signaling.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The joined sessions of one server by their resume token, so that a client whose
 * WebSocket dropped can take its session back on a new connection within the grace
 * period, its media never having stopped.
 */
public final class SessionRegistry {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SignalingSession> sessions = new ConcurrentHashMap<>();
    private final Duration grace;

    public SessionRegistry(Duration grace) {
        this.grace = grace;
    }

    public Duration grace() {
        return grace;
    }

    /** Registers a session under a new unguessable token (128 bits) and returns the token. */
    String register(SignalingSession session) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, session);
        return token;
    }

    SignalingSession find(String token) {
        return token == null ? null : sessions.get(token);
    }

    void remove(String token, SignalingSession session) {
        if (token != null) {
            sessions.remove(token, session);
        }
    }

    /** The joined sessions now, each once. */
    public java.util.List<SignalingSession> all() {
        return java.util.List.copyOf(new java.util.LinkedHashSet<>(sessions.values()));
    }

    /** Sessions that can be resumed now (for tests and metrics). */
    public int size() {
        return sessions.size();
    }
}
