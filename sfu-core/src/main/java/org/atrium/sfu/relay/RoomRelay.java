package org.atrium.sfu.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomLink;
import org.atrium.sfu.room.TrackSource;

/**
 * One room over a relay link: attached to the room once both nodes opened it, so that the
 * room tells it of this node's members, tracks, mutes and data, which it sends to the other
 * node tagged with the room's name. Its tracks are sent over the link's media transport.
 */
final class RoomRelay implements RoomLink {

    private final RelayLink link;
    private final Room room;
    /** This node's producers it sends over the link; guarded by the room's lock (RoomLink calls). */
    private final List<Producer> sent = new ArrayList<>();
    /** The highest encoding the other node needs of each of this node's simulcast tracks, by producer id. */
    private final Map<String, Integer> demanded = new ConcurrentHashMap<>();

    RoomRelay(RelayLink link, Room room) {
        this.link = link;
        this.room = room;
    }

    Room room() {
        return room;
    }

    String name() {
        return room.name();
    }

    @Override
    public String remoteNodeId() {
        return link.remoteNodeId();
    }

    @Override
    public void memberJoined(Participant member) {
        link.send(new RelayMessage.MemberJoined(name(), member.id(), member.displayName(), member.identity()));
    }

    @Override
    public void memberLeft(Participant member, LeaveReason reason) {
        link.send(new RelayMessage.MemberLeft(name(), member.id(), reason.wireName()));
    }

    @Override
    public void trackPublished(Participant owner, Producer producer) {
        OutboundTracks.Track track = link.outbound().add(producer);
        if (!sent.contains(producer)) {
            sent.add(producer);
        }
        List<RelayMessage.TrackPublished.Layer> layers = new ArrayList<>();
        for (int i = 0; i < track.ssrcs.length; i++) {
            layers.add(new RelayMessage.TrackPublished.Layer(producer.stream(i).rid(), track.ssrcs[i],
                    track.rtxSsrcs[i]));
        }
        TrackSource source = owner.sourceOf(producer.mid());
        link.send(new RelayMessage.TrackPublished(name(), owner.id(), producer.id(), producer.mid(), producer.kind(),
                source, source != null && owner.isMuted(source), layers));
        // The other node's receivers need a keyframe to start with.
        producer.requestKeyframe();
    }

    @Override
    public void trackClosed(Participant owner, Producer producer) {
        sent.remove(producer);
        demanded.remove(producer.id());
        if (link.outbound().remove(producer) != null) {
            link.send(new RelayMessage.TrackClosed(name(), producer.id()));
        }
    }

    @Override
    public void muted(Participant owner, TrackSource source, boolean muted) {
        link.send(new RelayMessage.Muted(name(), owner.id(), source, muted));
    }

    @Override
    public void data(Participant sender, DataChannelInfo channel, boolean text, List<String> targets, byte[] payload) {
        link.send(new RelayMessage.Data(name(), RelayMessage.Channel.of(channel), sender.id(), targets, text, payload));
    }

    @Override
    public void roomClosed() {
        link.onLocalRoomClosed(this);
    }

    @Override
    public void layerDemand(Producer remoteProducer, int mask) {
        link.send(new RelayMessage.LayerDemand(name(), remoteProducer.id(), mask));
    }

    @Override
    public Map<String, Integer> demandedLayers() {
        return Map.copyOf(demanded);
    }

    /**
     * The other node says which encodings of one of this node's tracks its receivers need:
     * only those cross the link from now on, and the publisher is asked for no others that
     * no receiver here needs either.
     */
    void onLayerDemand(String producerId, int mask) {
        Producer producer = null;
        synchronized (room) {
            for (Producer candidate : sent) {
                if (candidate.id().equals(producerId)) {
                    producer = candidate;
                }
            }
        }
        if (producer == null) {
            return;
        }
        demanded.put(producerId, 31 - Integer.numberOfLeadingZeros(mask));
        link.outbound().setWanted(producer, mask);
    }

    /** Stops sending this room's tracks: the room or the link closed, or the other node left the room. */
    void stopSending() {
        synchronized (room) {
            for (Producer producer : sent) {
                link.outbound().remove(producer);
            }
            sent.clear();
        }
    }

    @Override
    public String toString() {
        return "RoomRelay[" + name() + " -> " + remoteNodeId() + "]";
    }
}
