package org.atrium.sfu.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a room holds of other nodes: the links to them, and the members and tracks those
 * links told of. Not thread-safe: every method runs under the room's lock (its callers are
 * the room's synchronized methods).
 */
final class RoomRemotes {

    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final Room room;
    /** Members of other nodes, by id; their media arrives over the links. */
    private final Map<String, RemoteMember> members = new LinkedHashMap<>();
    /** Links to the other nodes with members of this room, by node id. */
    private final Map<String, RoomLink> links = new LinkedHashMap<>();

    RoomRemotes(Room room) {
        this.room = room;
    }

    RemoteMember member(String id) {
        return members.get(id);
    }

    boolean hasMember(String id) {
        return members.containsKey(id);
    }

    List<RemoteMember> members() {
        return new ArrayList<>(members.values());
    }

    int size() {
        return members.size();
    }

    List<RoomLink> links() {
        return new ArrayList<>(links.values());
    }

    /** Tells every link something of this node's listed participant; nothing for an unlisted one. */
    void tell(Participant about, Consumer<RoomLink> event) {
        if (about.admission().listed()) {
            for (RoomLink link : links.values()) {
                event.accept(link);
            }
        }
    }

    /** See {@link Room#attachLink}. */
    void attach(RoomLink link, List<Participant> participants) {
        if (links.putIfAbsent(link.remoteNodeId(), link) != null) {
            throw new RoomException("link-exists", "room " + room.name() + " has a link to " + link.remoteNodeId());
        }
        for (Participant participant : participants) {
            if (participant.admission().listed()) {
                link.memberJoined(participant);
                for (Producer producer : participant.producers()) {
                    link.trackPublished(participant, producer);
                }
                for (TrackSource source : participant.mutedSources()) {
                    link.muted(participant, source, true);
                }
            }
        }
    }

    /** See {@link Room#detachLink}. */
    void detach(RoomLink link) {
        if (!links.remove(link.remoteNodeId(), link)) {
            return;
        }
        for (RemoteMember member : members()) {
            if (member.nodeId().equals(link.remoteNodeId())) {
                remove(link.remoteNodeId(), member.id(), LeaveReason.NODE_LOST);
            }
        }
    }

    /** See {@link Room#addRemoteMember}. */
    RemoteMember add(String nodeId, String id, String displayName, String identity) {
        requireLink(nodeId);
        RemoteMember existing = members.get(id);
        if (existing != null) {
            if (!existing.nodeId().equals(nodeId)) {
                throw new RoomException("id-in-use", id + " is a member of node " + existing.nodeId());
            }
            return existing;
        }
        if (room.localMember(id) != null) {
            throw new RoomException("id-in-use", id + " is a participant of this node");
        }
        RemoteMember member = new RemoteMember(id, displayName, identity, nodeId);
        members.put(id, member);
        try (LogContext.Scope scope = new LogContext(room.name(), id).open()) {
            LOG.info("Member '{}' of node {} joined", displayName, nodeId);
        }
        for (Participant participant : room.localParticipants()) {
            participant.listener().onParticipantJoined(member);
        }
        return member;
    }

    /** See {@link Room#removeRemoteMember}. */
    void remove(String nodeId, String id, LeaveReason reason) {
        RemoteMember member = members.get(id);
        if (member == null || !member.nodeId().equals(nodeId)) {
            return;
        }
        members.remove(id);
        for (Producer producer : member.producers()) {
            closeProducer(member, producer);
        }
        try (LogContext.Scope scope = new LogContext(room.name(), id).open()) {
            LOG.info("Member of node {} left: {}", nodeId, reason.wireName());
        }
        for (Participant participant : room.localParticipants()) {
            participant.listener().onParticipantLeft(member, reason);
        }
    }

    /** See {@link Room#publishRemote}. */
    Producer publish(String nodeId, String ownerId, RemoteTrack track, PacketSink upstream, long feedbackSsrc,
            java.util.function.Consumer<Producer> route) {
        RemoteMember owner = ownedBy(nodeId, ownerId);
        for (Producer existing : owner.producers()) {
            if (existing.id().equals(track.producerId())) {
                closeProducer(owner, existing);
            }
        }
        List<String> rids = track.rids();
        RemoteTrack.Layer first = track.layers().get(0);
        Producer producer = room.newProducer(track.producerId(), owner.id(), track.mid(), track.kind(), first.ssrc(),
                first.rtxSsrc() < 0 ? Producer.UNKNOWN_SSRC : first.rtxSsrc(), rids, upstream, feedbackSsrc);
        if (!rids.isEmpty()) {
            for (int i = 0; i < track.layers().size(); i++) {
                RemoteTrack.Layer layer = track.layers().get(i);
                producer.bindStream(producer.stream(i), layer.ssrc());
                if (layer.rtxSsrc() >= 0) {
                    producer.bindRtxStream(producer.stream(i), layer.rtxSsrc());
                }
            }
        }
        owner.describeTrack(track.mid(), track.source());
        owner.addProducer(producer);
        // Routed before any receiver is connected: a receiver told of the track may see its packets at once.
        route.accept(producer);
        room.fanOut(producer, null);
        return producer;
    }

    /** See {@link Room#closeRemoteTrack}. */
    void closeTrack(String nodeId, String ownerId, String producerId) {
        RemoteMember owner = members.get(ownerId);
        if (owner == null || !owner.nodeId().equals(nodeId)) {
            return;
        }
        for (Producer producer : owner.producers()) {
            if (producer.id().equals(producerId)) {
                closeProducer(owner, producer);
            }
        }
    }

    /** See {@link Room#setRemoteMuted}. */
    void setMuted(String nodeId, String ownerId, TrackSource source, boolean mute) {
        RemoteMember owner = members.get(ownerId);
        if (owner == null || !owner.nodeId().equals(nodeId) || !owner.updateMuted(source, mute)) {
            return;
        }
        for (Participant participant : room.localParticipants()) {
            participant.listener().onTrackMuted(owner.id(), source, mute);
        }
    }

    /** Where a data message for {@code targetId} goes: the link of its node, or null when it is not remote. */
    RoomLink linkOf(String targetId) {
        RemoteMember member = members.get(targetId);
        return member == null ? null : links.get(member.nodeId());
    }

    /** Samples the bitrates of the tracks that arrive over links. */
    void sampleBitrates(long nowNanos) {
        for (RemoteMember member : members.values()) {
            for (Producer producer : member.producers()) {
                producer.sampleBitrate(nowNanos);
            }
        }
    }

    /** The room is empty of this node's participants: the links and what came over them go. */
    void close() {
        for (RemoteMember member : members.values()) {
            for (Producer producer : member.producers()) {
                member.removeProducer(producer);
                room.closeRouting(member, producer);
            }
        }
        members.clear();
        List<RoomLink> closing = links();
        links.clear();
        for (RoomLink link : closing) {
            link.roomClosed();
        }
    }

    private void closeProducer(RemoteMember owner, Producer producer) {
        owner.removeProducer(producer);
        room.closeRouting(owner, producer);
    }

    private RemoteMember ownedBy(String nodeId, String id) {
        RemoteMember member = members.get(id);
        if (member == null || !member.nodeId().equals(nodeId)) {
            throw new RoomException("not-in-room", id + " is not a member of node " + nodeId + " in room " + room.name());
        }
        return member;
    }

    private void requireLink(String nodeId) {
        if (!links.containsKey(nodeId)) {
            throw new RoomException("no-link", "room " + room.name() + " has no link to node " + nodeId);
        }
    }
}
