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

    void update(long nowNanos, List<Participant> members) {
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
        if (sources.isEmpty()) {
            return;
        }
        List<Allocation> receivers = new ArrayList<>();
        for (Participant member : members) {
            Allocation allocation = member.downlinkAllocation();
            receivers.add(allocation != null ? allocation : everything(member));
        }
        List<LayerSwitch> switches = demand.update(nowNanos / 1_000_000, sources, receivers);
        // One message per publisher track, with the state of all its encodings.
        java.util.Set<String> told = new java.util.HashSet<>();
        for (LayerSwitch change : switches) {
            if (!told.add(change.sourceId())) {
                continue;
            }
            Producer producer = producers.get(change.sourceId());
            Participant owner = ownerOf(producer, members);
            if (owner != null) {
                owner.listener().onPublishLayers(producer, activeByRid(producer));
            }
        }
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
