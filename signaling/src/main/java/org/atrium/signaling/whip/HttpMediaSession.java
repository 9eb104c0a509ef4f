package org.atrium.signaling.whip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.HexFormat;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.signaling.sdp.CandidateParser;
import org.atrium.signaling.sdp.SdpException;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.ParticipantListener;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.WebRtcTransport;
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
    /** Names the ICE session (RFC 9725 4.3.1); a PATCH for another one gets 412. A new one after each ICE restart. */
    private String etag = newEtag();
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

    /** The mid of the first section taken, under which the session's candidates go in an sdpfrag. */
    private String firstMid;

    /** Called once the participant joined and its transport started: PATCH and DELETE reach it from now on. */
    final void started(Participant joined, String iceUfrag, String mid) {
        remoteUfrag = iceUfrag;
        firstMid = mid;
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
     * A PATCH (RFC 9725 4.3): trickled candidates (204), or with {@code If-Match: *} and new
     * credentials an ICE restart (200, with the SFU's new credentials and its candidates in
     * an sdpfrag, and a new ETag). A restart that fails keeps the session as it was.
     *
     * @param ifMatch the If-Match header, or null
     */
    final WhipEndpoints.Response patch(String ifMatch, byte[] body) throws HttpError {
        if (closed) {
            throw new HttpError(404, "The session has ended");
        }
        TrickleFragment fragment;
        try {
            fragment = TrickleFragment.parse(body);
        } catch (SdpException e) {
            throw HttpError.badRequest("The trickle-ice-sdpfrag is malformed: " + e.getMessage());
        }
        String match = ifMatch == null ? null : ifMatch.strip();
        boolean newCredentials = fragment.iceUfrag() != null && !fragment.iceUfrag().equals(remoteUfrag);
        if ("*".equals(match)) {
            if (!newCredentials) {
                throw HttpError.badRequest("An ICE restart (If-Match: *) carries new a=ice-ufrag and a=ice-pwd");
            }
            return restartIce(fragment);
        }
        if (match != null && !match.equals(etag)) {
            throw new HttpError(412, "If-Match " + match + " does not name this ICE session (" + etag + ")");
        }
        if (newCredentials) {
            throw HttpError.badRequest("New ICE credentials are an ICE restart, which needs If-Match: *");
        }
        for (IceCandidate candidate : fragment.candidates()) {
            participant.addRemoteCandidate(candidate);
        }
        return new WhipEndpoints.Response(204, List.of(), null, new byte[0]);
    }

    private WhipEndpoints.Response restartIce(TrickleFragment fragment) throws HttpError {
        WebRtcTransport transport = participant.transport();
        try {
            transport.restartIce(fragment.iceUfrag(), fragment.icePassword(), fragment.candidates());
        } catch (IOException | IllegalStateException e) {
            throw new HttpError(503, "The ICE restart failed; the session keeps its ICE session: " + e.getMessage());
        }
        remoteUfrag = fragment.iceUfrag();
        etag = newEtag();
        StringBuilder answer = new StringBuilder()
                .append("a=ice-ufrag:").append(transport.iceUfrag()).append("\r\n")
                .append("a=ice-pwd:").append(transport.icePassword()).append("\r\n")
                .append("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n")
                .append("a=mid:").append(firstMid).append("\r\n");
        for (IceCandidate candidate : transport.localCandidates()) {
            answer.append("a=").append(CandidateParser.format(candidate)).append("\r\n");
        }
        answer.append("a=end-of-candidates\r\n");
        List<String[]> headers = List.<String[]>of(new String[] {"ETag", etag});
        return new WhipEndpoints.Response(200, headers, WhipEndpoints.SDP_FRAGMENT,
                answer.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A DELETE: the session's URL is gone at once, and its participant leaves. */
    final void delete() throws HttpError {
        if (closed) {
            throw new HttpError(404, "The session has ended");
        }
        sessions.remove(this);
        participant.leave();
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
        sessions.closed(this);
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
    public void onParticipantJoined(Member other) {
    }

    @Override
    public void onParticipantLeft(Member other, LeaveReason reason) {
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

    private static String newEtag() {
        return '"' + randomHex(8) + '"';
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
