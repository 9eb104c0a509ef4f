package org.atrium.sfu.room;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.Router;
import org.atrium.sfu.media.RtpHeaderExtension;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Participants who see and hear each other. Every published track of one participant
 * is consumed by every other participant.
 *
 * <p>Membership and routing changes are serialised on the room's lock; the media path
 * reads only the arrays that these changes publish, and takes no lock.
 */
public final class Room {

    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final String name;
    private final RoomHost host;
    private final Router router;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** The links to other nodes, and the members and tracks they told of. */
    private final RoomRemotes remotes = new RoomRemotes(this);
    private final DataRelay dataRelay;
    private final ActiveSpeakerDetector activeSpeaker = new ActiveSpeakerDetector();
    private final PublisherLayers publisherLayers = new PublisherLayers();
    private boolean closed;

    /** What a room needs from the server that holds it. */
    interface RoomHost {
        Participant.TransportFactory transportFactory();

        org.atrium.sfu.stats.SfuMetrics metrics();

        long keyframeIntervalNanos();

        /** Bounds of each video stream's retransmission cache. */
        org.atrium.sfu.SfuConfig.PacketCacheSize packetCache();

        /** Runs deferred work such as throttled keyframe requests. */
        java.util.concurrent.ScheduledExecutorService timers();

        int maxParticipants();

        /** The forwarding lane for a new participant's received streams, or null for none. */
        org.atrium.sfu.media.ForwardingLane assignLane();

        /** The room has emptied and closed. */
        void roomClosed(Room room);
    }

    Room(String name, RoomHost host, Router router) {
        this.name = name;
        this.host = host;
        this.dataRelay = new DataRelay(this, host.metrics().data());
        this.router = router;
    }

    public String name() {
        return name;
    }

    /** The codecs and header extensions negotiated in this room's server. */
    public org.atrium.sfu.media.MediaCapabilities capabilities() {
        return router.capabilities();
    }

    /** The participant of this node with this id, or null. */
    public synchronized Participant member(String id) {
        return participants.get(id);
    }

    /** The member with this id, of this node or another, or null. */
    public synchronized Member memberOf(String id) {
        Participant local = participants.get(id);
        return local != null ? local : remotes.member(id);
    }

    /** Every member: this node's participants, then the members of other nodes. */
    public synchronized List<Member> members() {
        List<Member> members = new ArrayList<>(participants.size() + remotes.size());
        members.addAll(participants.values());
        members.addAll(remotes.members());
        return members;
    }

    /** The members of other nodes. */
    public synchronized List<RemoteMember> remoteMembers() {
        return remotes.members();
    }

    /** This node's participant of that id, or null; under the room's lock. */
    Participant localMember(String id) {
        return participants.get(id);
    }

    /** This node's participants; under the room's lock. */
    List<Participant> localParticipants() {
        return new ArrayList<>(participants.values());
    }

    /** A data-channel message from a member, to relay (see {@link DataRelay}). */
    void relayData(Participant sender, org.atrium.sctp.DataChannelInfo channel, boolean binary, byte[] message) {
        dataRelay.relay(sender, channel, binary, message);
    }

    public synchronized List<Participant> participants() {
        return new ArrayList<>(participants.values());
    }

    public synchronized int size() {
        return participants.size();
    }

    /**
     * Adds a participant; every producer already in the room gets a paused consumer for
     * it, announced to the listener before this returns.
     *
     * @throws RoomException when the room is full or closed
     */
    synchronized Participant join(Admission admission, ParticipantListener listener) throws IOException {
        String displayName = admission.displayName();
        if (closed) {
            throw new RoomException("room-closed", "room " + name + " is closing");
        }
        if (participants.size() >= host.maxParticipants()) {
            throw new RoomException("room-full", "room " + name + " is full (" + host.maxParticipants() + ")");
        }
        String id = newParticipantId();
        Participant participant = new Participant(id, admission, this, listener, host.transportFactory(),
                host.metrics(), newSsrc(null), router.capabilities().extensionId(RtpHeaderExtension.TRANSPORT_CC),
                host.assignLane(), host.timers());
        List<Participant> others = new ArrayList<>(participants.values());
        participants.put(id, participant);
        try (LogContext.Scope scope = new LogContext(name, id).open()) {
            LOG.info("Participant '{}' joined ({} in the room now)", displayName, participants.size());
        }
        if (admission.listed()) {
            for (Participant other : others) {
                other.listener().onParticipantJoined(participant);
            }
            remotes.tell(participant, link -> link.memberJoined(participant));
        }
        if (admission.maySubscribe()) {
            for (Participant other : others) {
                for (Producer producer : other.producers()) {
                    addConsumer(producer, participant);
                }
            }
            for (RemoteMember member : remotes.members()) {
                for (Producer producer : member.producers()) {
                    addConsumer(producer, participant);
                }
            }
        }
        return participant;
    }

    /** Removes a participant with everything it published and received. Idempotent. */
    synchronized void leave(Participant participant, LeaveReason reason) {
        if (participants.remove(participant.id()) == null) {
            return;
        }
        try (LogContext.Scope scope = new LogContext(name, participant.id()).open()) {
            LOG.info("Participant left: {}", reason.wireName());
        }
        for (Producer producer : participant.producers()) {
            closeProducer(participant, producer);
        }
        for (Consumer consumer : participant.consumers()) {
            router.disconnect(consumer);
            participant.removeConsumer(consumer);
        }
        participant.markClosed();
        participant.listener().onClosed(reason);
        if (participant.admission().listed()) {
            for (Participant other : participants.values()) {
                other.listener().onParticipantLeft(participant, reason);
            }
        }
        remotes.tell(participant, link -> link.memberLeft(participant, reason));
        if (participants.isEmpty()) {
            closed = true;
            remotes.close();
            host.roomClosed(this);
        }
    }

    /** Records a participant's mute state and tells the others when it changed. */
    synchronized void setMuted(Participant owner, TrackSource source, boolean mute) {
        if (owner.isClosed() || !participants.containsKey(owner.id()) || !owner.updateMuted(source, mute)) {
            return;
        }
        for (Participant other : participants.values()) {
            if (other != owner) {
                other.listener().onTrackMuted(owner.id(), source, mute);
            }
        }
        remotes.tell(owner, link -> link.muted(owner, source, mute));
    }

    synchronized void announce(Participant owner, Map<String, MediaKind> tracks, List<String> videoRids) {
        for (Map.Entry<String, MediaKind> track : tracks.entrySet()) {
            List<String> rids = track.getValue() == MediaKind.VIDEO ? videoRids : List.of();
            publish(owner, track.getKey(), track.getValue(), Producer.UNKNOWN_SSRC, Producer.UNKNOWN_SSRC, rids);
        }
    }

    /**
     * @param rids the RIDs of its simulcast encodings, lowest resolution first, or empty;
     *        a producer whose RIDs differ is replaced
     */
    synchronized Producer publish(Participant owner, String mid, MediaKind kind, long ssrc, long rtxSsrc,
            List<String> rids) {
        if (owner.isClosed() || !participants.containsKey(owner.id())) {
            throw new RoomException("not-in-room", owner.id() + " is not in room " + name);
        }
        if (!owner.admission().mayPublish()) {
            throw new RoomException("forbidden", owner.id() + " may not publish");
        }
        Producer existing = owner.producerForMid(mid);
        if (existing != null && existing.kind() == kind && !rids.isEmpty() && ridsOf(existing).equals(rids)) {
            // Simulcast: the encodings' SSRCs are learnt from their packets.
            return existing;
        }
        boolean layoutChanges = !ridsOf(existing).equals(rids);
        if (existing != null && existing.kind() == kind && layoutChanges && existing.reshape(rids, ssrc, rtxSsrc)) {
            // Announced as simulcast, answered as one stream (or the reverse) before any
            // packet: the others keep negotiating the same track; other nodes learn its new layers.
            remotes.tell(owner, link -> {
                link.trackClosed(owner, existing);
                link.trackPublished(owner, existing);
            });
            if (ssrc != Producer.UNKNOWN_SSRC) {
                logPublish(owner, kind, ssrc, mid);
            }
            return existing;
        }
        if (existing != null && existing.kind() == kind && rids.isEmpty() && !existing.isSimulcast()) {
            if (!existing.isBound() || ssrc == Producer.UNKNOWN_SSRC) {
                if (ssrc != Producer.UNKNOWN_SSRC) {
                    existing.bind(ssrc, rtxSsrc);
                    logPublish(owner, kind, ssrc, mid);
                }
                return existing;
            }
            if (existing.ssrc() == ssrc && existing.rtxSsrc() == rtxSsrc) {
                return existing;
            }
        }
        if (existing != null) {
            closeProducer(owner, existing);
        }
        Producer producer = newProducer(owner.id() + "-" + mid, owner.id(), mid, kind, ssrc, rtxSsrc, rids,
                owner.sink(), owner.feedbackSsrc());
        owner.addProducer(producer);
        if (existing != null) {
            owner.forgetReceivedSsrcs(existing);
        }
        if (ssrc != Producer.UNKNOWN_SSRC) {
            logPublish(owner, kind, ssrc, mid);
        } else if (!rids.isEmpty()) {
            try (LogContext.Scope scope = new LogContext(name, owner.id()).open()) {
                LOG.info("Publishes {} in mid {} as simulcast {}", kind.sdpName(), mid, rids);
            }
        }
        fanOut(producer, owner);
        remotes.tell(owner, link -> link.trackPublished(owner, producer));
        return producer;
    }

    /** A producer of this room's codecs, packet cache and keyframe pacing; under the room's lock. */
    Producer newProducer(String id, String ownerId, String mid, MediaKind kind, long ssrc, long rtxSsrc,
            List<String> rids, org.atrium.sfu.media.PacketSink upstream, long feedbackSsrc) {
        return new Producer(id, ownerId, mid, kind, ssrc, rtxSsrc, rids, upstream, feedbackSsrc,
                host.keyframeIntervalNanos(), host.timers(), host.metrics(), router.capabilities(),
                host.packetCache().packets(), host.packetCache().maxAge().toNanos());
    }

    /**
     * A new track, to this node's participants but its owner (null for a track of another
     * node): a consumer for each that subscribes, then the news to every one of them.
     */
    void fanOut(Producer producer, Participant owner) {
        for (Participant other : participants.values()) {
            if (other != owner && other.admission().maySubscribe()) {
                addConsumer(producer, other);
            }
        }
        for (Participant other : participants.values()) {
            if (other != owner) {
                other.listener().onProducerAdded(producer);
            }
        }
    }

    private static List<String> ridsOf(Producer producer) {
        List<String> rids = new ArrayList<>();
        if (producer == null) {
            return rids;
        }
        for (org.atrium.sfu.media.ReceiveStream stream : producer.streams()) {
            if (stream.rid() != null) {
                rids.add(stream.rid());
            }
        }
        return rids;
    }

    private void logPublish(Participant owner, MediaKind kind, long ssrc, String mid) {
        try (LogContext.Scope scope = new LogContext(name, owner.id()).open()) {
            LOG.info("Publishes {} ssrc {} in mid {}", kind.sdpName(), ssrc, mid);
        }
    }

    synchronized void unpublish(Participant owner, String mid) {
        Producer producer = owner.producerForMid(mid);
        if (producer != null) {
            closeProducer(owner, producer);
            owner.forgetReceivedSsrcs(producer);
        }
    }

    private void addConsumer(Producer producer, Participant receiver) {
        long ssrc = newSsrc(receiver);
        long rtxSsrc = -1;
        if (producer.kind() == MediaKind.VIDEO) {
            do {
                rtxSsrc = newSsrc(receiver);
            } while (rtxSsrc == ssrc);
        }
        Consumer consumer = router.connect(producer, receiver.id(), ssrc, rtxSsrc, receiver.sink(), receiver.lane());
        receiver.addConsumer(consumer);
        receiver.listener().onConsumerAdded(consumer);
    }

    private void closeProducer(Participant owner, Producer producer) {
        owner.removeProducer(producer);
        closeRouting(owner, producer);
        remotes.tell(owner, link -> link.trackClosed(owner, producer));
    }

    /** Closes a producer's consumers and tells this node's participants (but its owner) it ended. */
    void closeRouting(Member owner, Producer producer) {
        for (Consumer consumer : router.closeProducer(producer)) {
            Participant receiver = participants.get(consumer.receiverId());
            if (receiver != null) {
                receiver.removeConsumer(consumer);
                // A stream the receiver asked for may go on with another producer: its SSRC
                // stays, and its BYE waits for stopForwarding.
                if (!receiver.forwarding().isForwarded(consumer)) {
                    receiver.sendBye(consumer);
                }
                receiver.listener().onConsumerClosed(consumer);
            }
        }
        for (Participant other : participants.values()) {
            if (other != owner) {
                other.listener().onProducerClosed(producer);
            }
        }
    }

    // ---- links to other nodes, and the members they tell of (RoomRemotes) ----

    /**
     * Attaches the link to another node and tells it of every listed participant of this node
     * and its tracks. Refused when the room is closed or has a link to that node already.
     */
    public synchronized void attachLink(RoomLink link) {
        if (closed) {
            throw new RoomException("room-closed", "room " + name + " is closing");
        }
        remotes.attach(link, localParticipants());
    }

    /**
     * Detaches a link: the members of its node leave this node's view of the room with their
     * tracks ({@link LeaveReason#NODE_LOST}). Nothing when it is not attached.
     */
    public synchronized void detachLink(RoomLink link) {
        remotes.detach(link);
    }

    /** The links attached. */
    public synchronized List<RoomLink> links() {
        return remotes.links();
    }

    /**
     * A member of another node joined; this node's participants are told. Refused when its id
     * is that of a participant here, or of a member of a third node, or its node has no link.
     */
    public synchronized RemoteMember addRemoteMember(String nodeId, String id, String displayName, String identity) {
        requireOpen();
        return remotes.add(nodeId, id, displayName, identity);
    }

    /** A member of another node left, with its tracks; nothing when it is not here. */
    public synchronized void removeRemoteMember(String nodeId, String id, LeaveReason reason) {
        remotes.remove(nodeId, id, reason);
    }

    /**
     * A track of another node's member, fed by the link: every participant of this node that
     * subscribes gets a consumer of it, as of a local track. A track of the same id is replaced.
     *
     * @param upstream     the link, for NACKs and keyframe requests
     * @param feedbackSsrc sender SSRC of that feedback on the link
     * @param route        given the new producer before any consumer of it exists, to route the
     *                     link's packets to it: a receiver told of the track may see them at once
     */
    public synchronized Producer publishRemote(String nodeId, String ownerId, RemoteTrack track, PacketSink upstream,
            long feedbackSsrc, java.util.function.Consumer<Producer> route) {
        requireOpen();
        return remotes.publish(nodeId, ownerId, track, upstream, feedbackSsrc, route);
    }

    /** A track of another node's member ended; nothing when it is not here. */
    public synchronized void closeRemoteTrack(String nodeId, String ownerId, String producerId) {
        remotes.closeTrack(nodeId, ownerId, producerId);
    }

    /** Another node's member muted or unmuted a source; this node's participants are told of a change. */
    public synchronized void setRemoteMuted(String nodeId, String ownerId, TrackSource source, boolean mute) {
        remotes.setMuted(nodeId, ownerId, source, mute);
    }

    /**
     * A data-channel message from a member of another node: to the participants of this node
     * it names, or to all of them, on their channels of the kind it was sent on.
     */
    public void deliverRemoteData(String nodeId, DataChannelInfo channel, String senderId, boolean text,
            List<String> targets, byte[] payload) {
        Member sender = memberOf(senderId);
        if (sender == null || !nodeId.equals(sender.nodeId())) {
            throw new RoomException("not-in-room", senderId + " is not a member of node " + nodeId + " in room " + name);
        }
        dataRelay.deliverFromLink(channel, senderId, text, targets, payload);
    }

    /** Where a data message for {@code targetId} goes: the link of its node, or null when it is not remote. */
    synchronized RoomLink linkOf(String targetId) {
        return remotes.linkOf(targetId);
    }

    /** Samples the bitrates of the tracks that arrive over links; see {@link Participant#sampleBitrates}. */
    synchronized void sampleRemoteBitrates(long nowNanos) {
        remotes.sampleBitrates(nowNanos);
    }

    private void requireOpen() {
        if (closed) {
            throw new RoomException("room-closed", "room " + name + " is closing");
        }
    }

    /** See {@link Participant#reserveSsrc()}. */
    synchronized long reserveSsrc(Participant receiver) {
        requireMember(receiver);
        long ssrc = newSsrc(receiver);
        receiver.forwarding().reserve(ssrc);
        return ssrc;
    }

    /** See {@link Participant#forward}. */
    synchronized Consumer forward(Participant receiver, Producer producer, long ssrc, long rtxSsrc,
            Consumer continuing) {
        requireMember(receiver);
        if (producer.isClosed() || !isPublished(producer)) {
            throw new RoomException("no-such-producer", producer.id() + " is not published in room " + name);
        }
        ExplicitForwarding forwarding = receiver.forwarding();
        if (continuing != null) {
            if (!receiver.id().equals(continuing.receiverId()) || !forwarding.isForwarded(continuing)) {
                throw new RoomException("not-forwarded", continuing + " is not forwarded to " + receiver.id());
            }
            if (continuing.kind() != producer.kind()) {
                throw new RoomException("kind-mismatch", continuing + " is not " + producer.kind().sdpName());
            }
            if (continuing.ssrc() != ssrc || continuing.rtxSsrc() != rtxSsrc) {
                throw new RoomException("ssrc-in-use", "ssrc " + ssrc + "/" + rtxSsrc + " is not that of " + continuing);
            }
            if (continuing.producer() == producer && !continuing.isClosed()) {
                return continuing;
            }
        } else if (!forwarding.isFree(ssrc) || rtxSsrc >= 0 && (rtxSsrc == ssrc || !forwarding.isFree(rtxSsrc))) {
            throw new RoomException("ssrc-in-use", "ssrc " + ssrc + "/" + rtxSsrc + " is taken on " + receiver.id());
        }
        for (Consumer other : receiver.consumerArray()) {
            // The allocation knows a receiver's videos by their producer: one stream each.
            if (other.producer() == producer && other != continuing) {
                throw new RoomException("already-forwarded", receiver.id() + " receives " + producer.id() + " already");
            }
        }
        Consumer consumer;
        if (continuing == null) {
            consumer = router.connect(producer, receiver.id(), ssrc, rtxSsrc, receiver.sink(), receiver.lane());
        } else {
            // Taken off the receiver's routing first: its RTCP for the SSRC is the new one's.
            receiver.removeConsumer(continuing);
            consumer = router.connectContinuing(producer, continuing, receiver.sink(), continuing.targetSpatialLayer());
            receiver.handOverAllocation(continuing, consumer);
        }
        forwarding.carry(consumer);
        receiver.addConsumer(consumer);
        consumer.resume();
        try (LogContext.Scope scope = new LogContext(name, receiver.id()).open()) {
            LOG.info("Forwards {} on ssrc {}{}", producer.id(), ssrc, continuing == null ? "" : " after " + continuing.producer().id());
        }
        return consumer;
    }

    /** See {@link Participant#stopForwarding}. */
    synchronized void stopForwarding(Participant receiver, Consumer consumer, boolean keepSsrc) {
        ExplicitForwarding forwarding = receiver.forwarding();
        if (!forwarding.isForwarded(consumer)) {
            return;
        }
        if (!consumer.isClosed()) {
            router.disconnect(consumer);
            receiver.removeConsumer(consumer);
        }
        if (!keepSsrc) {
            forwarding.release(consumer);
            if (!receiver.isClosed()) {
                receiver.sendBye(consumer);
            }
        }
    }

    private boolean isPublished(Producer producer) {
        Participant owner = participants.get(producer.ownerId());
        if (owner != null) {
            return owner.producers().contains(producer);
        }
        RemoteMember remote = remotes.member(producer.ownerId());
        return remote != null && remote.producers().contains(producer);
    }

    private void requireMember(Participant participant) {
        if (participant.isClosed() || participants.get(participant.id()) != participant) {
            throw new RoomException("not-in-room", participant.id() + " is not in room " + name);
        }
    }

    /** A random non-zero SSRC not in use on the receiver's transport. */
    private static long newSsrc(Participant receiver) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            long ssrc = random.nextLong(1, 1L << 32);
            if (receiver == null || !receiver.usesSsrc(ssrc)) {
                return ssrc;
            }
        }
    }

    private String newParticipantId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            String id = String.format("p%08x", random.nextInt());
            if (!participants.containsKey(id) && !remotes.hasMember(id)) {
                return id;
            }
        }
    }

    /**
     * Updates the dominant speaker from the participants' audio levels and tells everyone
     * when it changes. Called by the server's timer a few times a second.
     */
    synchronized void detectActiveSpeaker(long nowNanos) {
        Map<String, Integer> levels = new HashMap<>();
        for (Participant participant : participants.values()) {
            int loudest = AudioLevel.SILENCE;
            for (Producer producer : participant.producers()) {
                loudest = Math.min(loudest, producer.audioLevel(nowNanos));
            }
            levels.put(participant.id(), loudest);
        }
        for (RemoteMember member : remotes.members()) {
            int loudest = AudioLevel.SILENCE;
            for (Producer producer : member.producers()) {
                loudest = Math.min(loudest, producer.audioLevel(nowNanos));
            }
            levels.put(member.id(), loudest);
        }
        String speaker = activeSpeaker.update(levels, nowNanos);
        if (speaker != null) {
            for (Participant participant : participants.values()) {
                participant.listener().onActiveSpeaker(speaker);
            }
        }
    }

    /**
     * Sets what each participant receives of each video from its downlink estimate, then
     * tells publishers which simulcast encodings no one needs (and which are needed again).
     * Called by the server's timer every few hundred ms.
     */
    void allocateBandwidth(long nowNanos) {
        List<Participant> members;
        List<RemoteMember> remote;
        List<RoomLink> linked;
        String speaker;
        synchronized (this) {
            members = new ArrayList<>(participants.values());
            remote = remotes.members();
            linked = remotes.links();
            speaker = activeSpeaker.dominantSpeaker();
        }
        for (Participant participant : members) {
            participant.allocateDownlink(nowNanos, speaker);
        }
        publisherLayers.update(nowNanos, members, remote, linked);
    }

    /**
     * Sends each participant's periodic RTCP that is due: reports and congestion feedback;
     * and the NACKs due for tracks that arrive over links, which the links carry back.
     */
    void sendPeriodicRtcp(long nowMicros) {
        for (Participant participant : participants()) {
            participant.sendPeriodicRtcp(nowMicros);
        }
        for (RemoteMember member : remoteMembers()) {
            for (Producer producer : member.producers()) {
                producer.sendNacks(nowMicros * 1000);
            }
        }
    }

    /** The current dominant speaker's id, or null. */
    public synchronized String activeSpeaker() {
        return activeSpeaker.dominantSpeaker();
    }

    /** Removes everyone, as on server shutdown. */
    synchronized void closeAll(LeaveReason reason) {
        for (Participant participant : new ArrayList<>(participants.values())) {
            leave(participant, reason);
        }
    }

    @Override
    public String toString() {
        return "Room[" + name + "]";
    }
}
