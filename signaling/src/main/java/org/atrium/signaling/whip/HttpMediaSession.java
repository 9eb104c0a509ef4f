package org.atrium.signaling.whip;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.signaling.sdp.SdpException;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.ParticipantListener;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WHIP or WHEP session: one participant whose signaling is HTTP, with a resource URL
 * ({@code /sessions/ID}) that takes trickled candidates (PATCH) and ends it (DELETE).
 *
 * <p>Everything of a session runs on its own thread, that of the connection that created
 * it (as a WebSocket session does): requests on other connections and core events are
 * handed over. The core calls listeners while it holds its room's lock, and a session
 * calls into its room, so handing over is also what keeps the two from waiting on each
 * other.
 */
abstract class HttpMediaSession implements ParticipantListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMediaSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The protocol a session speaks, for URLs, logs and metrics. */
    enum Protocol {
        WHIP, WHEP;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id = randomHex(16);
    /** Names the ICE session (RFC 9725 4.3.1); a PATCH for another one gets 412. */
    private final String etag = '"' + randomHex(8) + '"';
    private final ScheduledExecutorService executor;
    private final HttpMediaSessions sessions;
    private final Protocol protocol;
    protected Participant participant;
    private String remoteUfrag;
    private boolean closed;

    HttpMediaSession(Protocol protocol, ScheduledExecutorService executor, HttpMediaSessions sessions) {
        this.protocol = protocol;
        this.executor = executor;
        this.sessions = sessions;
    }

    final String id() {
        return id;
    }

    final String etag() {
        return etag;
    }

    final Protocol protocol() {
        return protocol;
    }

    final ScheduledExecutorService executor() {
        return executor;
    }

    /** The participant, once joined; null before. */
    final Participant participant() {
        return participant;
    }

    final boolean isClosed() {
        return closed;
    }

    /** Called once the participant joined and its transport started: PATCH and DELETE reach it from now on. */
    final void started(Participant joined, String iceUfrag) {
        remoteUfrag = iceUfrag;
        sessions.add(this);
        try (LogContext.Scope scope = logContext().open()) {
            LOG.info("{} session {} started", protocol, id);
        }
    }

    final LogContext logContext() {
        return participant == null ? new LogContext(null, null)
                : new LogContext(participant.room().name(), participant.id());
    }

    /**
     * A PATCH with trickled candidates (RFC 9725 4.3.1, RFC 8840). ICE restarts are not
     * supported (the session keeps its ICE session, as the RFC asks): 422.
     *
     * @param ifMatch the If-Match header, or null
     */
    final void patch(String ifMatch, byte[] body) throws HttpError {
        if (closed) {
            throw new HttpError(404, "The session has ended");
        }
        TrickleFragment fragment;
        try {
            fragment = TrickleFragment.parse(body);
        } catch (SdpException e) {
            throw HttpError.badRequest("The trickle-ice-sdpfrag is malformed: " + e.getMessage());
        }
        boolean restart = "*".equals(ifMatch != null ? ifMatch.strip() : null)
                || (fragment.iceUfrag() != null && !fragment.iceUfrag().equals(remoteUfrag));
        if (restart) {
            throw new HttpError(422, "ICE restarts are not supported: the session keeps its ICE session;"
                    + " DELETE it and POST a new offer to start over");
        }
        if (ifMatch != null && !ifMatch.strip().equals(etag)) {
            throw new HttpError(412, "If-Match " + ifMatch.strip() + " does not name this ICE session (" + etag + ")");
        }
        for (IceCandidate candidate : fragment.candidates()) {
            participant.addRemoteCandidate(candidate);
        }
    }

    /** A DELETE: the participant leaves at once, and the session's URL is gone. */
    final void delete() {
        if (!closed) {
            participant.leave();
        }
    }

    /** Hands a core event to the session's thread; a stopped thread (the server closing) drops it. */
    final void onSessionThread(Runnable task) {
        try {
            executor.execute(() -> {
                if (!closed) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Session thread stopped; event dropped");
        }
    }

    @Override
    public void onClosed(LeaveReason reason) {
        try {
            executor.execute(() -> close(reason));
        } catch (RejectedExecutionException e) {
            closed = true;
            sessions.remove(this);
        }
    }

    private void close(LeaveReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        sessions.remove(this);
        try (LogContext.Scope scope = logContext().open()) {
            LOG.info("{} session {} ended: {}", protocol, id, reason.wireName());
        }
        onEnded();
    }

    /** After the session ended, on its thread. */
    void onEnded() {
    }

    // Room events a WHIP or WHEP client has no message for.

    @Override
    public void onParticipantJoined(Participant other) {
    }

    @Override
    public void onParticipantLeft(Participant other, LeaveReason reason) {
    }

    @Override
    public void onConsumerAdded(Consumer consumer) {
    }

    @Override
    public void onConsumerClosed(Consumer consumer) {
    }

    @Override
    public void onActiveSpeaker(String participantId) {
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
