package org.atrium.signaling.session;

import java.util.concurrent.ScheduledExecutorService;

/** A signaling session's connection: where its messages go and the thread it runs on. */
public interface Outbound {

    /** Sends one text message. */
    void send(String text);

    /** Closes the connection after what was sent so far. */
    void close();

    /**
     * Closes the connection after what was sent so far, because the client broke a limit
     * (WebSocket status 1008, policy violation, with the reason).
     */
    void closeForPolicy(String reason);

    /** The session's own thread: every event of the session runs here, one at a time. */
    ScheduledExecutorService executor();
}
