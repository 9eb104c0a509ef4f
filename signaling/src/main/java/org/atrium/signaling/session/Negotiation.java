package org.atrium.signaling.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.media.RtpHeaderExtension;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.WebRtcTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's offer/answer with the SFU as the only offerer: its m-sections (publish
 * slots by source, the data channels' section, and a slot per stream it receives), the
 * offers made from them, and what each answer changes in the core.
 *
 * <p>Runs on its session's thread, as the session does; core events reach it through the
 * session.
 */
final class Negotiation {

    private static final Logger LOG = LoggerFactory.getLogger(Negotiation.class);
    private static final int MAX_PENDING_CANDIDATES = 64;
    private static final long OFFER_DELAY_MILLIS = 20;
    /**
     * The simulcast encodings the SFU asks each publisher's camera for, lowest resolution
     * first: a quarter, a half and the full resolution (RFC 8853). The client sets their
     * scales and bitrates; the SFU learns their SSRCs from the RID extension.
     */
    static final List<String> SIMULCAST_RIDS = List.of("q", "h", "f");

    /** Where the negotiation's messages go: the session, which holds them while its connection is down. */
    interface Messages {
        void send(String type, String text);

        void sendError(String code, String message);

        /** The session has ended: nothing more is offered. */
        boolean isClosed();
    }

    private final Sfu sfu;
    private final MessageCodec codec;
    private final SessionRules rules;
    private final Participant participant;
    /** What this participant's join token allows. */
    private final JoinGrant grant;
    private final ScheduledExecutorService executor;
    private final Messages out;
    private final long sdpSessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final List<MediaSlot> slots = new ArrayList<>();
    private final List<IceCandidate> pendingCandidates = new ArrayList<>();
    /** Publish slots whose track was refused for {@link SessionRules#maxPublishedTracks()}, so the client is told once. */
    private final Set<String> refusedTracks = new HashSet<>();
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

    Negotiation(Sfu sfu, MessageCodec codec, SessionRules rules, Participant participant, JoinGrant grant,
            ScheduledExecutorService executor, Messages out) {
        this.sfu = sfu;
        this.codec = codec;
        this.rules = rules;
        this.participant = participant;
        this.grant = grant;
        this.executor = executor;
        this.out = out;
        // Mids 0 and 1 are always the publish slots of the microphone and the camera;
        // without the publish grant they are offered inactive (the one transport still
        // needs an m-section from the start).
        slots.add(MediaSlot.publish(nextMid(), TrackSource.MICROPHONE));
        slots.add(MediaSlot.publish(nextMid(), TrackSource.CAMERA));
        for (MediaSlot slot : slots) {
            participant.describeTrack(slot.mid, slot.source);
        }
        // Mid 2 is the data channels' section, offered from the start so that opening a
        // channel needs no renegotiation.
        slots.add(MediaSlot.data(nextMid()));
    }

    /**
     * Announces this participant's tracks before its answer names their SSRCs, so that the
     * others negotiate receiving them while this one negotiates sending (an answer that
     * declines a kind withdraws it again), and makes the first offer.
     */
    void start() {
        if (grant.publish()) {
            LinkedHashMap<String, MediaKind> tracks = new LinkedHashMap<>();
            for (MediaSlot slot : slots) {
                if (slot.publish && tracks.size() < rules.maxPublishedTracks()) {
                    tracks.put(slot.mid, slot.kind);
                }
            }
            participant.announce(tracks, SIMULCAST_RIDS);
        }
        // Consumers of tracks already in the room were announced during join and are
        // queued on this thread: the first offer goes out after them, and holds them.
        offerNeeded = true;
        scheduleOffer();
    }

    /** A new stream to receive: the next offer carries it, in a free slot of its kind or a new one. */
    void consumerAdded(Consumer consumer) {
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
    }

    /** A received stream ended: the next offer makes its slot inactive. */
    void consumerClosed(Consumer consumer) {
        for (MediaSlot slot : slots) {
            if (slot.consumer == consumer) {
                slot.consumer = null;
                slot.reusable = false;
                offerNeeded = true;
                scheduleOffer();
            }
        }
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
    void addTrack(TrackSource source) throws ProtocolException {
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
    void removeTrack(TrackSource source) throws ProtocolException {
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

    void onAnswer(ClientMessage.Answer message) throws ProtocolException {
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
            out.sendError("bad-answer", "The answer does not fit offer " + offer.version() + ": " + e.getMessage());
            // The same offer again, so that a client that can do better may try again.
            out.send("offer", offer.message());
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
                        out.sendError("too-many-tracks", "A participant may publish at most " + rules.maxPublishedTracks()
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

    /** The client's render sizes, by mid; a mid that carries no video now is ignored (it may have just changed). */
    void onRenderSize(ClientMessage.RenderSize message) {
        for (ClientMessage.Size size : message.sizes()) {
            for (MediaSlot slot : slots) {
                if (slot.mid.equals(size.mid()) && slot.consumer != null && slot.kind == MediaKind.VIDEO) {
                    participant.setRenderSize(slot.consumer, size.width(), size.height());
                }
            }
        }
    }

    MediaSlot slotOf(Consumer consumer) {
        for (MediaSlot slot : slots) {
            if (slot.consumer == consumer) {
                return slot;
            }
        }
        return null;
    }

    void onCandidate(ClientMessage.Candidate message) throws ProtocolException {
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
        if (out.isClosed() || pendingOffer != null || !offerNeeded) {
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
                Member owner = participant.room().memberOf(producer.ownerId());
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
        out.send("offer", message);
    }

    private String nextMid() {
        return Integer.toString(nextMid++);
    }
}
