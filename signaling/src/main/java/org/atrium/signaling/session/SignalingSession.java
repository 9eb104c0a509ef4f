package org.atrium.signaling.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.atrium.signaling.admin.SignalingMetrics;
import org.atrium.signaling.auth.JoinGrant;
import org.atrium.signaling.protocol.ClientMessage;
import org.atrium.signaling.protocol.MessageCodec;
import org.atrium.signaling.protocol.ProtocolException;
import org.atrium.signaling.sdp.Answer;
import org.atrium.signaling.sdp.AnswerReader;
import org.atrium.signaling.sdp.CandidateParser;
import org.atrium.signaling.sdp.Direction;
import org.atrium.signaling.sdp.OfferSection;
import org.atrium.signaling.sdp.OfferWriter;
import org.atrium.signaling.sdp.SdpException;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.media.RtpHeaderExtension;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.ParticipantListener;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's signaling: join, then offer/answer rounds driven by the SFU, then leave.
 *
 * <p>Every method runs on the connection's own thread ({@link Outbound#executor()});
 * core events arrive on other threads and are handed over to it. So the negotiation
 * state needs no lock.
 */
public final class SignalingSession implements ParticipantListener {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);
    private static final int MAX_PENDING_CANDIDATES = 64;
    private static final long OFFER_DELAY_MILLIS = 20;
    /**
     * The simulcast encodings the SFU asks each publisher's video for, lowest resolution
     * first: a quarter, a half and the full resolution (RFC 8853). The client sets their
     * scales and bitrates; the SFU learns their SSRCs from the RID extension.
     */
    static final List<String> SIMULCAST_RIDS = List.of("q", "h", "f");

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
    private final long sdpSessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final List<MediaSlot> slots = new ArrayList<>();
    private final List<IceCandidate> pendingCandidates = new ArrayList<>();

    private Participant participant;
    /** What this participant's join token allows; set on join. */
    private JoinGrant grant;
    /** Publish slots whose track was refused for {@link SessionRules#maxPublishedTracks()}, so the client is told once. */
    private final Set<String> refusedTracks = new HashSet<>();
    private boolean closed;
    private int nextMid;
    private int offerVersion;
    private PendingOffer pendingOffer;
    private boolean offerNeeded;
    private boolean offerScheduled;
    /** Offer goog-remb: the participant's answer dropped transport-cc. */
    private boolean remb;

    /** An offer sent and not yet answered. */
    private record PendingOffer(int version, String sdp, String message, List<OfferSection> sections,
            List<Consumer> consumers) {
    }

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
                onAnswer(answer);
            } else if (message instanceof ClientMessage.Candidate candidate) {
                onCandidate(candidate);
            } else if (message instanceof ClientMessage.RenderSize sizes) {
                onRenderSize(sizes);
            } else if (message instanceof ClientMessage.Mute mute) {
                participant.setMuted(mute.source(), mute.muted());
            } else if (message instanceof ClientMessage.AddTrack add) {
                onAddTrack(add.source());
            } else if (message instanceof ClientMessage.RemoveTrack remove) {
                onRemoveTrack(remove.source());
            } else if (message instanceof ClientMessage.Leave) {
                participant.leave();
            }
        } catch (ProtocolException e) {
            sendError(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Signaling message failed", e);
            sendError("internal", "The server failed to handle the message: " + e);
        }
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
        JoinGrant granted = rules.tokens().verify(join.token(), join.room());
        String name = granted.name() != null ? granted.name() : join.name();
        Admission admission = new Admission(name, granted.identity(), granted.publish(), granted.subscribe(),
                granted.data());
        Participant joined;
        try {
            joined = rules.pendingJoins().admit(() -> sfu.join(join.room(), admission, this));
        } catch (RoomException e) {
            throw new ProtocolException(e.code(), e.getMessage());
        } catch (IOException e) {
            LOG.error("Join failed", e);
            throw new ProtocolException("internal", "Could not create the media transport: " + e.getMessage());
        }
        participant = joined;
        grant = granted;
        if (granted.identity() != null) {
            try (LogContext.Scope scope = logContext().open()) {
                LOG.info("Joined as '{}' (publish {}, subscribe {})", granted.identity(), granted.publish(),
                        granted.subscribe());
            }
        }
        // Mids 0 and 1 are always the publish slots; without the publish grant they are
        // offered inactive (the one transport still needs an m-section from the start).
        slots.add(MediaSlot.publish(nextMid(), TrackSource.MICROPHONE));
        slots.add(MediaSlot.publish(nextMid(), TrackSource.CAMERA));
        for (MediaSlot slot : slots) {
            joined.describeTrack(slot.mid, slot.source);
        }
        // Mid 2 is the data channels' section, offered from the start so that opening a
        // channel needs no renegotiation.
        slots.add(MediaSlot.data(nextMid()));
        List<MessageCodec.ParticipantInfo> others = new ArrayList<>();
        for (Participant other : joined.room().participants()) {
            if (other != joined) {
                others.add(infoOf(other));
            }
        }
        resumeToken = rules.sessions().register(this);
        send("joined", codec.joined(join.room(), infoOf(joined), others, resumeToken,
                rules.iceServers().forParticipant(joined.id())));
        String speaker = joined.room().activeSpeaker();
        if (speaker != null) {
            send("active-speaker", codec.activeSpeaker(speaker));
        }
        // Announce this participant's tracks now, before its answer names their SSRCs, so
        // that the others negotiate receiving them while this one negotiates sending.
        // An answer that declines a kind withdraws it again.
        if (granted.publish()) {
            LinkedHashMap<String, MediaKind> tracks = new LinkedHashMap<>();
            for (MediaSlot slot : slots) {
                if (slot.publish && tracks.size() < rules.maxPublishedTracks()) {
                    tracks.put(slot.mid, slot.kind);
                }
            }
            joined.announce(tracks, SIMULCAST_RIDS);
        }
        // Consumers of tracks already in the room were announced during join and are
        // queued on this thread: the first offer goes out after them, and holds them.
        offerNeeded = true;
        scheduleOffer();
    }

    /**
     * The simulcast encodings the SFU asks for: three for a camera; none for a screen,
     * whose detail matters more than its frame rate and which encoders already adapt.
     */
    private static List<String> ridsFor(TrackSource source) {
        return source == TrackSource.CAMERA ? SIMULCAST_RIDS : List.of();
    }

    /**
     * A publish m-section for a screen share (or its audio): offered in the next offer and
     * announced to the others at once, as the camera and microphone are at join.
     */
    private void onAddTrack(TrackSource source) throws ProtocolException {
        if (!grant.publish()) {
            throw new ProtocolException("forbidden", "The join token does not grant publish");
        }
        if (source == TrackSource.CAMERA || source == TrackSource.MICROPHONE) {
            throw new ProtocolException("bad-request", "The " + source.wireName()
                    + " always has its publish section (mids 0 and 1); add-track is for screen and screen-audio");
        }
        MediaSlot slot = null;
        int sending = 0;
        for (MediaSlot candidate : slots) {
            if (candidate.source == source) {
                slot = candidate;
            }
            if (candidate.sends()) {
                sending++;
            }
        }
        if (slot != null && slot.sends()) {
            throw new ProtocolException("bad-request", "The " + source.wireName() + " was already added");
        }
        if (sending >= rules.maxPublishedTracks()) {
            throw new ProtocolException("too-many-tracks", "A participant may publish at most "
                    + rules.maxPublishedTracks() + " track(s); remove one before adding " + source.wireName());
        }
        if (slot == null) {
            slot = MediaSlot.publish(nextMid(), source);
            slots.add(slot);
            participant.describeTrack(slot.mid, source);
        }
        slot.withdrawn = false;
        LinkedHashMap<String, MediaKind> track = new LinkedHashMap<>();
        track.put(slot.mid, slot.kind);
        participant.announce(track, ridsFor(source));
        offerNeeded = true;
        scheduleOffer();
    }

    /** Stops forwarding a source added with add-track at once; the next offer makes its section inactive. */
    private void onRemoveTrack(TrackSource source) throws ProtocolException {
        for (MediaSlot slot : slots) {
            if (slot.source == source && source != TrackSource.CAMERA && source != TrackSource.MICROPHONE) {
                if (slot.sends()) {
                    slot.withdrawn = true;
                    refusedTracks.remove(slot.mid);
                    participant.unpublish(slot.mid);
                    offerNeeded = true;
                    scheduleOffer();
                }
                return;
            }
        }
        throw new ProtocolException("bad-request", "No " + source.wireName()
                + " was added (remove-track is for sources added with add-track)");
    }

    private void onAnswer(ClientMessage.Answer message) throws ProtocolException {
        PendingOffer offer = pendingOffer;
        if (offer == null) {
            throw new ProtocolException("bad-answer", "No offer is waiting for an answer");
        }
        if (message.version() != offer.version()) {
            throw new ProtocolException("bad-answer",
                    "Answer is for offer " + message.version() + ", the current offer is " + offer.version());
        }
        Answer answer;
        try {
            answer = AnswerReader.read(message.sdp(), offer.sections(), sfu.config().capabilities());
        } catch (SdpException e) {
            sendError("bad-answer", "The answer does not fit offer " + offer.version() + ": " + e.getMessage());
            // The same offer again, so that a client that can do better may try again.
            send("offer", offer.message());
            return;
        }
        pendingOffer = null;
        applyAnswer(offer, answer);
        if (offerNeeded) {
            scheduleOffer();
        }
    }

    private void applyAnswer(PendingOffer offer, Answer answer) {
        WebRtcTransport transport = participant.transport();
        if (answer.sctpPort() > 0) {
            participant.setRemoteSctpPort(answer.sctpPort());
        }
        if (!transport.isIceStarted()) {
            List<IceCandidate> candidates = new ArrayList<>(answer.candidates());
            candidates.addAll(pendingCandidates);
            pendingCandidates.clear();
            participant.startTransport(new WebRtcTransport.RemoteParameters(answer.iceUfrag(), answer.icePassword(),
                    answer.fingerprint(), answer.localDtlsRole(), candidates));
            // A browser that kept transport-cc estimates on its side; others get REMB,
            // which the next offer adds to what is negotiated.
            if (!answer.headerExtensions().contains(RtpHeaderExtension.TRANSPORT_CC)) {
                participant.setCongestionFeedback(CongestionFeedback.REMB);
                remb = true;
                offerNeeded = true;
            }
        } else {
            for (IceCandidate candidate : answer.candidates()) {
                participant.addRemoteCandidate(candidate);
            }
        }
        for (int i = 0; i < answer.sections().size(); i++) {
            Answer.Section section = answer.sections().get(i);
            MediaSlot slot = slots.get(i);
            Consumer offered = offer.consumers().get(i);
            if (slot.isData()) {
                continue;
            }
            if (slot.publish) {
                // Only what this offer asked for: a slot withdrawn or added again since
                // was already unpublished, or waits for the next offer.
                boolean offeredForSending = offer.sections().get(i).direction() == Direction.RECVONLY;
                if (grant.publish() && offeredForSending && slot.sends()) {
                    applyPublish(slot, section);
                }
            } else if (offered != null) {
                if (slot.consumer == offered && section.direction() == Direction.RECVONLY) {
                    offered.setRtxEnabled(acceptsRtx(section));
                    offered.resume();
                }
            } else if (slot.consumer == null) {
                slot.reusable = true;
            }
        }
    }

    /** Whether the answer kept an RTX format (RFC 4588) in this section. */
    private boolean acceptsRtx(Answer.Section section) {
        for (int payloadType : section.payloadTypes()) {
            RtpCodec codec = sfu.config().capabilities().codecForPayloadType(payloadType);
            if (codec != null && codec.rtxPayloadType() == payloadType) {
                return true;
            }
        }
        return false;
    }

    private void applyPublish(MediaSlot slot, Answer.Section section) {
        try {
            if (section.direction() == Direction.SENDONLY || section.direction() == Direction.SENDRECV) {
                if (publishedOtherThan(slot.mid) >= rules.maxPublishedTracks()) {
                    participant.unpublish(slot.mid);
                    if (refusedTracks.add(slot.mid)) {
                        sendError("too-many-tracks", "A participant may publish at most " + rules.maxPublishedTracks()
                                + " track(s); the " + slot.kind.sdpName() + " in mid " + slot.mid
                                + " is not forwarded");
                    }
                    return;
                }
                refusedTracks.remove(slot.mid);
                if (section.simulcastRids().isEmpty()) {
                    participant.publish(slot.mid, slot.kind, section.ssrc(), section.rtxSsrc());
                } else {
                    participant.publishSimulcast(slot.mid, slot.kind, section.simulcastRids());
                }
            } else {
                refusedTracks.remove(slot.mid);
                participant.unpublish(slot.mid);
            }
        } catch (RoomException e) {
            LOG.debug("Publish refused for {}: {}", participant.id(), e.getMessage());
        }
    }

    /** Tracks the participant publishes in slots other than {@code mid}. */
    private int publishedOtherThan(String mid) {
        int count = 0;
        for (Producer producer : participant.producers()) {
            if (!producer.mid().equals(mid)) {
                count++;
            }
        }
        return count;
    }

    private static MessageCodec.ParticipantInfo infoOf(Participant participant) {
        return new MessageCodec.ParticipantInfo(participant.id(), participant.displayName(),
                participant.admission().identity());
    }

    /** The client's render sizes, by mid; a mid that carries no video now is ignored (it may have just changed). */
    private void onRenderSize(ClientMessage.RenderSize message) {
        for (ClientMessage.Size size : message.sizes()) {
            for (MediaSlot slot : slots) {
                if (slot.mid.equals(size.mid()) && slot.consumer != null && slot.kind == MediaKind.VIDEO) {
                    participant.setRenderSize(slot.consumer, size.width(), size.height());
                }
            }
        }
    }

    @Override
    public void onVideoPaused(Consumer consumer, String reason) {
        onSessionThread(() -> {
            MediaSlot slot = slotOf(consumer);
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
            MediaSlot slot = slotOf(consumer);
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

    private MediaSlot slotOf(Consumer consumer) {
        for (MediaSlot slot : slots) {
            if (slot.consumer == consumer) {
                return slot;
            }
        }
        return null;
    }

    private void onCandidate(ClientMessage.Candidate message) throws ProtocolException {
        if (message.candidate() == null) {
            return;
        }
        IceCandidate candidate;
        try {
            candidate = CandidateParser.parse(message.candidate());
        } catch (SdpException e) {
            throw new ProtocolException("bad-request", e.getMessage());
        }
        if (candidate == null) {
            return;
        }
        if (participant.transport().isIceStarted()) {
            participant.addRemoteCandidate(candidate);
        } else if (pendingCandidates.size() < MAX_PENDING_CANDIDATES) {
            pendingCandidates.add(candidate);
        } else {
            throw new ProtocolException("bad-request", "Too many candidates before the answer");
        }
    }

    // ---- offers ----

    /**
     * Runs {@link #sendOfferIfNeeded} shortly, so that a burst of changes (a participant
     * publishing audio and video, several joining at once) makes one offer, not several.
     */
    private void scheduleOffer() {
        if (offerScheduled) {
            return;
        }
        offerScheduled = true;
        executor.schedule(() -> {
            offerScheduled = false;
            sendOfferIfNeeded();
        }, OFFER_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sendOfferIfNeeded() {
        if (closed || participant == null || pendingOffer != null || !offerNeeded) {
            return;
        }
        offerNeeded = false;
        int version = ++offerVersion;
        List<OfferSection> sections = new ArrayList<>();
        List<Consumer> consumers = new ArrayList<>();
        List<MessageCodec.MidInfo> publish = new ArrayList<>();
        List<MessageCodec.MidInfo> subscribe = new ArrayList<>();
        for (MediaSlot slot : slots) {
            Consumer consumer = slot.consumer;
            consumers.add(consumer);
            if (slot.isData()) {
                sections.add(OfferSection.application(slot.mid));
            } else if (slot.sends() && grant.publish()) {
                sections.add(new OfferSection(slot.mid, slot.kind, Direction.RECVONLY, null, ridsFor(slot.source)));
                publish.add(MessageCodec.MidInfo.publish(slot.mid, slot.kind.sdpName(), slot.source));
            } else if (slot.publish) {
                sections.add(new OfferSection(slot.mid, slot.kind, Direction.INACTIVE, null));
            } else if (consumer != null) {
                Producer producer = consumer.producer();
                sections.add(new OfferSection(slot.mid, slot.kind, Direction.SENDONLY,
                        new OfferSection.SentTrack(producer.ownerId(), producer.id(), consumer.ssrc(),
                                producer.ownerId(), consumer.rtxSsrc())));
                Participant owner = participant.room().member(producer.ownerId());
                TrackSource source = owner == null ? null : owner.sourceOf(producer.mid());
                boolean muted = source != null && owner.isMuted(source);
                subscribe.add(MessageCodec.MidInfo.subscribe(slot.mid, slot.kind.sdpName(), producer.ownerId(),
                        source, muted));
            } else {
                sections.add(new OfferSection(slot.mid, slot.kind, Direction.INACTIVE, null));
            }
        }
        WebRtcTransport transport = participant.transport();
        String sdp = OfferWriter.write(sdpSessionId, version,
                new OfferWriter.LocalTransport(transport.iceUfrag(), transport.icePassword(),
                        transport.fingerprintSha256(), transport.localCandidates()),
                sections, sfu.config().capabilities(), remb);
        String message = codec.offer(version, sdp, publish, subscribe);
        pendingOffer = new PendingOffer(version, sdp, message, sections, consumers);
        send("offer", message);
    }

    private String nextMid() {
        return Integer.toString(nextMid++);
    }

    // ---- core events, handed to the session's thread ----

    @Override
    public void onParticipantJoined(Participant other) {
        MessageCodec.ParticipantInfo info = infoOf(other);
        onSessionThread(() -> {
            if (!closed) {
                send("participant-joined", codec.participantJoined(info));
            }
        });
    }

    @Override
    public void onParticipantLeft(Participant other, LeaveReason reason) {
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
            if (closed || consumer.isClosed()) {
                return;
            }
            MediaSlot slot = null;
            for (MediaSlot candidate : slots) {
                if (!candidate.publish && candidate.kind == consumer.kind() && candidate.consumer == null
                        && candidate.reusable) {
                    slot = candidate;
                    break;
                }
            }
            if (slot == null) {
                slot = new MediaSlot(nextMid(), consumer.kind(), false);
                slots.add(slot);
            }
            slot.consumer = consumer;
            slot.reusable = false;
            offerNeeded = true;
            scheduleOffer();
        });
    }

    @Override
    public void onConsumerClosed(Consumer consumer) {
        onSessionThread(() -> {
            for (MediaSlot slot : slots) {
                if (slot.consumer == consumer) {
                    slot.consumer = null;
                    slot.reusable = false;
                    offerNeeded = true;
                    scheduleOffer();
                }
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
