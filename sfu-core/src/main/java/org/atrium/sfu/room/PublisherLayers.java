package org.atrium.sfu.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.sfu.allocation.Allocation;
import org.atrium.sfu.allocation.Decision;
import org.atrium.sfu.allocation.Layer;
import org.atrium.sfu.allocation.LayerSwitch;
import org.atrium.sfu.allocation.PublisherLayerDemand;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;

/**
 * Switches off, at each publisher, the simulcast encodings that no receiver in the room
 * needs, and on again when one does ({@link PublisherLayerDemand} across the room's
 * receivers): an encoding nobody watches costs the publisher CPU and uplink for nothing.
 * A receiver not adapted yet (no congestion feedback) counts as needing every encoding, so
 * nothing is switched off under a receiver the SFU knows nothing about.
 *
 * <p>The room's timer thread only.
 */
final class PublisherLayers {

    private final PublisherLayerDemand demand = new PublisherLayerDemand(PublisherLayerDemand.DEFAULT_SWITCH_OFF_AFTER_MS);

    /**
     * @param remote  members of other nodes: their simulcast tracks get this node's demand,
     *                which the links carry back to their nodes
     * @param links   the links to the other nodes: each counts as a receiver of this node's
     *                tracks that needs what its node said it needs
     */
    void update(long nowNanos, List<Participant> members, List<RemoteMember> remote, List<RoomLink> links) {
        Map<String, Integer> sources = new HashMap<>();
        Map<String, Producer> producers = new HashMap<>();
        for (Participant member : members) {
            for (Producer producer : member.producers()) {
                if (producer.isSimulcast()) {
                    sources.put(producer.id(), producer.streamCount());
                    producers.put(producer.id(), producer);
                }
            }
        }
        Map<String, Producer> remoteProducers = new HashMap<>();
        for (RemoteMember member : remote) {
            for (Producer producer : member.producers()) {
                if (producer.isSimulcast()) {
                    sources.put(producer.id(), producer.streamCount());
                    remoteProducers.put(producer.id(), producer);
                }
            }
        }
        if (sources.isEmpty()) {
            return;
        }
        List<Allocation> receivers = new ArrayList<>();
        for (Participant member : members) {
            Allocation allocation = member.downlinkAllocation();
            receivers.add(allocation != null ? allocation : everything(member));
        }
        for (RoomLink link : links) {
            receivers.add(demandOf(link, producers.values()));
        }
        List<LayerSwitch> switches = demand.update(nowNanos / 1_000_000, sources, receivers);
        // One message per publisher track, with the state of all its encodings.
        java.util.Set<String> told = new java.util.HashSet<>();
        for (LayerSwitch change : switches) {
            if (!told.add(change.sourceId())) {
                continue;
            }
            Producer producer = producers.get(change.sourceId());
            if (producer != null) {
                Participant owner = ownerOf(producer, members);
                if (owner != null) {
                    owner.listener().onPublishLayers(producer, activeByRid(producer));
                }
                continue;
            }
            Producer remoteProducer = remoteProducers.get(change.sourceId());
            RoomLink link = remoteProducer == null ? null : linkOf(remoteProducer, remote, links);
            if (link != null) {
                link.layerDemand(remoteProducer, mask(remoteProducer));
            }
        }
    }

    /** The encodings of a producer that are on now, as a bit mask. */
    int mask(Producer producer) {
        int mask = 0;
        for (int i = 0; i < producer.streamCount(); i++) {
            if (demand.enabled(producer.id(), i)) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /** A link as a receiver: the highest encoding its node needs of each of this node's simulcast tracks. */
    private static Allocation demandOf(RoomLink link, java.util.Collection<Producer> producers) {
        Map<String, Integer> demanded = link.demandedLayers();
        List<Decision> decisions = new ArrayList<>();
        for (Producer producer : producers) {
            int highest = demanded.getOrDefault(producer.id(), producer.streamCount() - 1);
            if (highest >= 0) {
                decisions.add(Decision.video(producer.id(), new Layer(highest, 2), 0, highest));
            }
        }
        return new Allocation(decisions, 0, 0, 0);
    }

    private static RoomLink linkOf(Producer producer, List<RemoteMember> remote, List<RoomLink> links) {
        for (RemoteMember member : remote) {
            if (member.id().equals(producer.ownerId())) {
                for (RoomLink link : links) {
                    if (link.remoteNodeId().equals(member.nodeId())) {
                        return link;
                    }
                }
            }
        }
        return null;
    }

    /** Whether each encoding of a producer is on now, by RID. */
    Map<String, Boolean> activeByRid(Producer producer) {
        Map<String, Boolean> active = new LinkedHashMap<>();
        for (ReceiveStream stream : producer.streams()) {
            active.put(stream.rid(), demand.enabled(producer.id(), stream.index()));
        }
        return active;
    }

    /** What a receiver that is not adapted gets: the top encoding of everything. */
    private static Allocation everything(Participant receiver) {
        List<Decision> decisions = new ArrayList<>();
        for (Consumer consumer : receiver.consumers()) {
            Producer producer = consumer.producer();
            if (producer.isSimulcast()) {
                int top = producer.streamCount() - 1;
                decisions.add(Decision.video(producer.id(), new Layer(top, 2), 0, top));
            }
        }
        return new Allocation(decisions, 0, 0, 0);
    }

    private static Participant ownerOf(Producer producer, List<Participant> members) {
        for (Participant member : members) {
            if (member.id().equals(producer.ownerId())) {
                return member;
            }
        }
        return null;
    }
}
