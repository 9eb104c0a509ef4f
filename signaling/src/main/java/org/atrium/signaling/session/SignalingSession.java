package org.atrium.signaling.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.atrium.cluster.NodeInfo;
import org.atrium.signaling.admin.SignalingMetrics;
import org.atrium.signaling.auth.JoinGrant;
import org.atrium.signaling.cluster.ClusterNode;
import org.atrium.signaling.cluster.Placement;
import org.atrium.signaling.protocol.ClientMessage;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.protocol.ProtocolException;
import org.atrium.signaling.sdp.Answer;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.ParticipantListener;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's signaling: join, then offer/answer rounds driven by the SFU (its {@link
 * Negotiation}), then leave; resuming on a new connection after a drop; core events told
 * to the client.
 *
 * <p>Every method runs on the connection's own thread ({@link Outbound#executor()});
 * core events arrive on other threads and are handed over to it. So the negotiation
 * state needs no lock.
 */
public final class SignalingSession implements ParticipantListener {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);
    private final Sfu sfu;
    private final MessageCodec codec;
    /** The client's connection; null while it is dropped and the session waits to be resumed. */
    private Outbound out;
    /** The session's own thread, that of the connection it was created for. */
    private final ScheduledExecutorService executor;
    /** Messages for the client while its connection is dropped, sent when it resumes. */
    private final List<String> held = new ArrayList<>();
    private static final int MAX_HELD = 1000;
    private String resumeToken;
    private ScheduledFuture<?> graceTimer;
    /** The session that owns this connection now: another one once this connection resumed it. */
    private SignalingSession owner = this;
    private final SignalingMetrics metrics;
    private final SessionRules rules;
    private Participant participant;
    /** The offers and answers, from the join on. */
    private Negotiation negotiation;
    private boolean closed;
    /** A join waits for the cluster to say where the room is. */
    private boolean placing;
    /** The room joined, for other threads (the drain); null before the join. */
    private volatile String roomName;

    /** A session of a server without join tokens and with the default limits. */
    public SignalingSession(Sfu sfu, MessageCodec codec, Outbound out, SignalingMetrics metrics) {
        this(sfu, codec, out, metrics, SessionRules.open(sfu));
    }

    public SignalingSession(Sfu sfu, MessageCodec codec, Outbound out, SignalingMetrics metrics, SessionRules rules) {
        this.sfu = sfu;
        this.metrics = metrics;
        this.codec = codec;
        this.out = out;
        this.executor = out.executor();
        this.rules = rules;
    }

    /** The session that now owns this connection: another one after a successful resume. */
    public SignalingSession owner() {
        return owner;
    }

    /**
     * True on the session's own thread. A connection that resumed a session delivers its
     * frames from its own thread, which hands them over.
     */
    private boolean onOwnThread() {
        return !(executor instanceof io.netty.util.concurrent.EventExecutor loop) || loop.inEventLoop();
    }

    /** A text frame from the client. */
    public void onText(String text) {
        if (!onOwnThread()) {
            onSessionThread(() -> onText(text));
            return;
        }
        if (closed) {
            return;
        }
        ClientMessage message;
        try {
            message = codec.parse(text);
        } catch (ProtocolException e) {
            metrics.received("invalid");
            sendError(e.code(), e.getMessage());
            return;
        }
        metrics.received(typeOf(message));
        if (message instanceof ClientMessage.Resume resume) {
            onResume(resume);
            return;
        }
        try (LogContext.Scope scope = logContext().open()) {
            onMessage(message);
        }
    }

    private static String typeOf(ClientMessage message) {
        if (message instanceof ClientMessage.Join) {
            return "join";
        }
        if (message instanceof ClientMessage.Answer) {
            return "answer";
        }
        if (message instanceof ClientMessage.Candidate) {
            return "candidate";
        }
        if (message instanceof ClientMessage.Resume) {
            return "resume";
        }
        if (message instanceof ClientMessage.RenderSize) {
            return "render-size";
        }
        if (message instanceof ClientMessage.Mute) {
            return "mute";
        }
        if (message instanceof ClientMessage.AddTrack) {
            return "add-track";
        }
        if (message instanceof ClientMessage.RemoveTrack) {
            return "remove-track";
        }
        return "leave";
    }

    /** The room and participant for log lines, once joined. */
    private LogContext logContext() {
        return participant == null ? new LogContext(null, null)
                : new LogContext(participant.room().name(), participant.id());
    }

    private void onMessage(ClientMessage message) {
        try {
            if (participant == null && !(message instanceof ClientMessage.Join)) {
                throw new ProtocolException("not-joined", "Send 'join' first");
            }
            if (message instanceof ClientMessage.Join join) {
                onJoin(join);
            } else if (message instanceof ClientMessage.Answer answer) {
                negotiation.onAnswer(answer);
            } else if (message instanceof ClientMessage.Candidate candidate) {
                negotiation.onCandidate(candidate);
            } else if (message instanceof ClientMessage.RenderSize sizes) {
                negotiation.onRenderSize(sizes);
            } else if (message instanceof ClientMessage.Mute mute) {
                participant.setMuted(mute.source(), mute.muted());
            } else if (message instanceof ClientMessage.AddTrack add) {
                negotiation.addTrack(add.source());
            } else if (message instanceof ClientMessage.RemoveTrack remove) {
                negotiation.removeTrack(remove.source());
            } else if (message instanceof ClientMessage.Leave) {
                participant.leave();
            }
        } catch (ProtocolException e) {
            sendError(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            failed("Signaling message failed", e);
        }
    }

    /**
     * A message's handling threw. When the participant was removed meanwhile (the server is
     * stopping, its transport failed) that is why, and its closing tells the client; anything
     * else is a fault of the server's, said as {@code internal}.
     */
    private void failed(String what, RuntimeException e) {
        Participant current = participant;
        if (e instanceof RoomException && current != null && current.isClosed()) {
            LOG.debug("{}: the participant left meanwhile ({})", what, e.getMessage());
            return;
        }
        LOG.error(what, e);
        sendError("internal", "The server failed to handle the message: " + e);
    }

    /** The client sent something that is not a text frame, or too large a one, or too many. */
    public void onRefused(String code, String message) {
        if (!onOwnThread()) {
            onSessionThread(() -> onRefused(code, message));
            return;
        }
        if (!closed && out != null) {
            sendError(code, message);
        }
    }

    /**
     * The client broke a limit so persistently that it is closed: the error, then a close
     * frame with the reason (1008, policy violation). A participant leaves its room as
     * when the connection closes.
     */
    public void onAbuse(String code, String message) {
        if (!onOwnThread()) {
            onSessionThread(() -> onAbuse(code, message));
            return;
        }
        if (closed || out == null) {
            return;
        }
        sendError(code, message);
        closed = true;
        out.closeForPolicy(message);
        if (participant != null) {
            participant.leave();
        }
    }

    /**
     * A connection closed. A joined participant stays for the grace period, its media
     * flowing, so that its client can resume the session on a new connection; after it,
     * the participant leaves.
     *
     * @param connection the connection that closed: a session's earlier connection, taken
     *     over by a resume, changes nothing
     * @param byClient the client sent a close frame: it is gone on purpose (a tab closed,
     *     a page left), so its participant leaves at once
     */
    public void onConnectionClosed(Outbound connection, boolean byClient) {
        if (!onOwnThread()) {
            onSessionThread(() -> onConnectionClosed(connection, byClient));
            return;
        }
        if (closed || connection != out) {
            return;
        }
        if (participant == null || byClient) {
            closed = true;
            rules.sessions().remove(resumeToken, this);
            if (participant != null) {
                participant.leave();
            }
            return;
        }
        out = null;
        Duration grace = rules.sessions().grace();
        LOG.info("Connection of {} dropped; its session can be resumed for {} s", participant.id(), grace.toSeconds());
        graceTimer = executor.schedule(this::endAfterGrace, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void endAfterGrace() {
        if (closed || out != null) {
            return;
        }
        LOG.info("Session of {} not resumed within the grace period: leaving", participant.id());
        closed = true;
        rules.sessions().remove(resumeToken, this);
        participant.leave();
    }

    /** A fresh connection's first message names a session to take over. */
    private void onResume(ClientMessage.Resume resume) {
        if (participant != null) {
            sendError("already-joined", "This connection already has a session");
            return;
        }
        SignalingSession previous = rules.sessions().find(resume.token());
        if (previous == null) {
            sendError("unknown-session", "No session to resume (it ended, or the server restarted): join again");
            return;
        }
        closed = true;
        owner = previous;
        previous.resumeOn(out);
    }

    /** Takes a new connection: holds what was sent meanwhile, then the rest as usual. */
    private void resumeOn(Outbound connection) {
        onSessionThread(() -> {
            if (closed) {
                connection.send(codec.error("unknown-session", "The session ended before it could be resumed"));
                connection.close();
                return;
            }
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            Outbound previous = out;
            out = connection;
            if (previous != null) {
                // The client resumed before this side saw its old connection drop.
                previous.close();
            }
            metrics.connectionResumed();
            LOG.info("Session of {} resumed; {} message(s) held meanwhile", participant.id(), held.size());
            send("resumed", codec.resumed(participant.room().name(), participant.id()));
            for (String text : held) {
                out.send(text);
            }
            held.clear();
        });
    }

    private void onJoin(ClientMessage.Join join) throws ProtocolException {
        if (participant != null) {
            throw new ProtocolException("already-joined", "Already joined room " + participant.room().name());
        }
        if (placing) {
            throw new ProtocolException("already-joined", "A join is already under way");
        }
        JoinGrant granted = rules.tokens().verify(join.token(), join.room());
        ClusterNode cluster = rules.cluster();
        if (cluster == null) {
            joinHere(join, granted);
            return;
        }
        // Where the room is, from Redis: the answer comes on another thread, and is handled on this one.
        placing = true;
        cluster.place(join.room(), join.noRedirect()).whenComplete((decision, error) -> onSessionThread(() -> {
            placing = false;
            if (closed) {
                return;
            }
            try (LogContext.Scope scope = logContext().open()) {
                onPlaced(join, granted, error != null ? new Placement.Local() : decision);
            } catch (ProtocolException e) {
                sendError(e.code(), e.getMessage());
            } catch (RuntimeException e) {
                failed("Join failed", e);
            }
        }));
    }

    private void onPlaced(ClientMessage.Join join, JoinGrant granted, Placement.Decision decision)
            throws ProtocolException {
        if (decision instanceof Placement.Redirect redirect) {
            LOG.info("Join of room {} sent to node {}", join.room(), redirect.node().id());
            send("redirect", codec.redirect(ClusterNode.webSocketUrl(redirect.node().signalingUrl()),
                    redirect.node().id(), join.room()));
            closed = true;
            out.close();
        } else if (decision instanceof Placement.Full) {
            throw new ProtocolException("cluster-full", "Every node of the cluster is at its participant limit");
        } else {
            joinHere(join, granted);
        }
    }

    private void joinHere(ClientMessage.Join join, JoinGrant granted) throws ProtocolException {
        String name = granted.name() != null ? granted.name() : join.name();
        Admission admission = new Admission(name, granted.identity(), granted.publish(), granted.subscribe(),
                granted.data());
        Participant joined;
        try {
            joined = rules.membership().join(sfu, rules.pendingJoins(), join.room(), admission, this);
        } catch (RoomException e) {
            throw new ProtocolException(e.code(), e.getMessage());
        } catch (IOException e) {
            LOG.error("Join failed", e);
            throw new ProtocolException("internal", "Could not create the media transport: " + e.getMessage());
        }
        participant = joined;
        roomName = join.room();
        if (granted.identity() != null) {
            try (LogContext.Scope scope = logContext().open()) {
                LOG.info("Joined as '{}' (publish {}, subscribe {})", granted.identity(), granted.publish(),
                        granted.subscribe());
            }
        }
        List<MessageCodec.ParticipantInfo> others = new ArrayList<>();
        for (Member other : joined.room().members()) {
            if (other != joined && other.isListed()) {
                others.add(infoOf(other));
            }
        }
        resumeToken = rules.sessions().register(this);
        send("joined", codec.joined(join.room(), infoOf(joined), others, resumeToken,
                rules.iceServers().forParticipant(joined.id()), nodes()));
        String speaker = joined.room().activeSpeaker();
        if (speaker != null) {
            send("active-speaker", codec.activeSpeaker(speaker));
        }
        negotiation = new Negotiation(sfu, codec, rules, joined, granted, executor, new Negotiation.Messages() {
            @Override
            public void send(String type, String text) {
                SignalingSession.this.send(type, text);
            }

            @Override
            public void sendError(String code, String message) {
                SignalingSession.this.sendError(code, message);
            }

            @Override
            public boolean isClosed() {
                return closed;
            }
        });
        negotiation.start();
    }

    /** The room this session joined; null before the join. Any thread. */
    public String roomName() {
        return roomName;
    }

    /**
     * Tells the client to move to another node (this one drains): the {@code move} message,
     * held like any other while the connection is dropped. The participant stays until its
     * client leaves, or the node stops. Any thread.
     */
    public void move(String url, String nodeId, String reason) {
        onSessionThread(() -> {
            if (!closed && participant != null) {
                LOG.info("Participant {} told to move to node {} ({})", participant.id(), nodeId, reason);
                send("move", codec.move(url, nodeId, participant.room().name(), reason));
            }
        });
    }

    /** The live nodes of the cluster for {@code joined}, this one first; null on a node alone. */
    private List<MessageCodec.NodeLink> nodes() {
        ClusterNode cluster = rules.cluster();
        if (cluster == null) {
            return null;
        }
        List<MessageCodec.NodeLink> nodes = new ArrayList<>();
        for (NodeInfo node : cluster.liveNodes()) {
            nodes.add(new MessageCodec.NodeLink(node.id(), node.signalingUrl().toString()));
        }
        return nodes;
    }

    private static MessageCodec.ParticipantInfo infoOf(Member member) {
        return new MessageCodec.ParticipantInfo(member.id(), member.displayName(), member.identity());
    }

    @Override
    public void onVideoPaused(Consumer consumer, String reason) {
        onSessionThread(() -> {
            MediaSlot slot = negotiation == null ? null : negotiation.slotOf(consumer);
            if (!closed && slot != null) {
                send("video-paused", codec.videoPaused(consumer.producer().ownerId(), slot.mid, reason));
            }
        });
    }

    @Override
    public void onDataOverflow(String label) {
        onSessionThread(() -> {
            if (!closed) {
                send("data-dropped", codec.dataDropped(label, "receiver_overflow"));
            }
        });
    }

    @Override
    public void onDataRefused(String label, String reason) {
        onSessionThread(() -> {
            if (!closed) {
                send("data-dropped", codec.dataDropped(label, reason));
            }
        });
    }

    @Override
    public void onVideoResumed(Consumer consumer) {
        onSessionThread(() -> {
            MediaSlot slot = negotiation == null ? null : negotiation.slotOf(consumer);
            if (!closed && slot != null) {
                send("video-resumed", codec.videoResumed(consumer.producer().ownerId(), slot.mid));
            }
        });
    }

    @Override
    public void onPublishLayers(Producer producer, java.util.Map<String, Boolean> active) {
        java.util.Map<String, Boolean> copy = new java.util.LinkedHashMap<>(active);
        onSessionThread(() -> {
            if (!closed) {
                send("publish-layers", codec.publishLayers(producer.mid(), copy));
            }
        });
    }

    // ---- core events, handed to the session's thread ----

    @Override
    public void onParticipantJoined(Member other) {
        MessageCodec.ParticipantInfo info = infoOf(other);
        onSessionThread(() -> {
            if (!closed) {
                send("participant-joined", codec.participantJoined(info));
            }
        });
    }

    @Override
    public void onParticipantLeft(Member other, LeaveReason reason) {
        String id = other.id();
        onSessionThread(() -> {
            if (!closed) {
                send("participant-left", codec.participantLeft(id, reason.wireName()));
            }
        });
    }

    @Override
    public void onConsumerAdded(Consumer consumer) {
        onSessionThread(() -> {
            if (!closed && !consumer.isClosed() && negotiation != null) {
                negotiation.consumerAdded(consumer);
            }
        });
    }

    @Override
    public void onConsumerClosed(Consumer consumer) {
        onSessionThread(() -> {
            if (negotiation != null) {
                negotiation.consumerClosed(consumer);
            }
        });
    }

    @Override
    public void onTrackMuted(String participantId, TrackSource source, boolean muted) {
        onSessionThread(() -> {
            if (!closed) {
                send("track-muted", codec.trackMuted(participantId, source, muted));
            }
        });
    }

    @Override
    public void onActiveSpeaker(String participantId) {
        onSessionThread(() -> {
            if (!closed) {
                send("active-speaker", codec.activeSpeaker(participantId));
            }
        });
    }

    @Override
    public void onClosed(LeaveReason reason) {
        rules.membership().left(this);
        onSessionThread(() -> {
            if (closed) {
                return;
            }
            closed = true;
            rules.sessions().remove(resumeToken, this);
            if (graceTimer != null) {
                graceTimer.cancel(false);
            }
            if (reason != LeaveReason.LEFT) {
                sendError(reason.wireName(), describe(reason));
            }
            if (out != null) {
                out.close();
            }
        });
    }

    /**
     * Hands a core event to the session's thread. When that thread has stopped (the
     * server is closing) there is no one left to tell, and the core must not see an
     * exception for it.
     */
    private void onSessionThread(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Session thread stopped; event dropped");
        }
    }

    private static String describe(LeaveReason reason) {
        return switch (reason) {
            case ICE_FAILED -> "The media connection could not be established (ICE failed)";
            case CONSENT_EXPIRED -> "The media connection was lost (no ICE consent)";
            case DTLS_FAILED -> "The secure media handshake failed (DTLS)";
            case SHUTDOWN -> "The server is shutting down";
            case LEFT -> "Left the room";
            case NODE_LOST -> "The server of this participant was lost";
        };
    }

    private void send(String type, String text) {
        metrics.sent(type);
        if (out != null) {
            out.send(text);
        } else if (held.size() < MAX_HELD) {
            held.add(text);
        } else {
            // A client away this long with this much happening rejoins instead.
            LOG.info("Session of {} held {} messages while disconnected: ending it", participant.id(), MAX_HELD);
            held.clear();
            endAfterGrace();
        }
    }

    private void sendError(String code, String message) {
        metrics.error(code);
        send("error", codec.error(code, message));
    }
}
