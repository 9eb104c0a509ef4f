package org.atrium.sfu.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.atrium.sfu.media.MediaKind;

/**
 * Which simulcast encodings of each video source some receiver needs, across all receivers,
 * so that the publisher can stop encoding and sending the others.
 *
 * <p>A receiver needs encodings 0 up to its {@link Decision#demandedSpatial()}: the largest
 * its render size asks for, whether its bandwidth allows it now or not, and every smaller
 * one as the fall-back its allocator steps down to. Bandwidth is left out on purpose (as
 * jitsi-videobridge's sender constraints do): an encoding a receiver will want once its
 * estimate recovers must still be there, and publisher switches should not follow each
 * receiver's estimate.
 *
 * <p>Hysteresis: an encoding is switched on as soon as it is needed, and off once no one has
 * needed it for {@code switchOffAfterMs} (a render size that shrinks for a moment, such as
 * a layout change, does not cost the publisher a restart of an encoding). A source seen for
 * the first time starts with every encoding on, as publishers start. Not thread-safe.
 */
public final class PublisherLayerDemand {

    public static final long DEFAULT_SWITCH_OFF_AFTER_MS = 5_000;

    private static final class SourceState {
        final long[] lastNeededMs;
        final boolean[] enabled;

        SourceState(int layers, long nowMs) {
            lastNeededMs = new long[layers];
            enabled = new boolean[layers];
            Arrays.fill(lastNeededMs, nowMs);
            Arrays.fill(enabled, true);
        }
    }

    private final long switchOffAfterMs;
    private final Map<String, SourceState> sources = new HashMap<>();

    public PublisherLayerDemand(long switchOffAfterMs) {
        if (switchOffAfterMs < 0) {
            throw new IllegalArgumentException("negative switch-off delay " + switchOffAfterMs);
        }
        this.switchOffAfterMs = switchOffAfterMs;
    }

    /**
     * Takes every receiver's current allocation and returns the encodings to switch, by
     * source id then encoding.
     *
     * @param spatialLayersBySource every published video source and its number of encodings;
     *     sources no longer listed are forgotten
     * @param receivers the current allocation of every receiver in the room
     */
    public List<LayerSwitch> update(long nowMs, Map<String, Integer> spatialLayersBySource,
            Collection<Allocation> receivers) {
        Map<String, Integer> demanded = new HashMap<>();
        for (Allocation allocation : receivers) {
            for (Decision decision : allocation.decisions()) {
                if (decision.kind() == MediaKind.VIDEO && decision.demandedSpatial() >= 0) {
                    demanded.merge(decision.sourceId(), decision.demandedSpatial(), Math::max);
                }
            }
        }
        sources.keySet().retainAll(spatialLayersBySource.keySet());
        List<LayerSwitch> switches = new ArrayList<>();
        for (Map.Entry<String, Integer> source : new TreeMap<>(spatialLayersBySource).entrySet()) {
            String id = source.getKey();
            SourceState state = sources.get(id);
            if (state == null || state.enabled.length != source.getValue()) {
                state = new SourceState(source.getValue(), nowMs);
                sources.put(id, state);
            }
            int highest = demanded.getOrDefault(id, -1);
            for (int s = 0; s < state.enabled.length; s++) {
                if (s <= highest) {
                    state.lastNeededMs[s] = nowMs;
                    if (!state.enabled[s]) {
                        state.enabled[s] = true;
                        switches.add(new LayerSwitch(id, s, true));
                    }
                } else if (state.enabled[s] && nowMs - state.lastNeededMs[s] >= switchOffAfterMs) {
                    state.enabled[s] = false;
                    switches.add(new LayerSwitch(id, s, false));
                }
            }
        }
        return switches;
    }

    /** Whether encoding {@code spatial} of a source is on; every encoding of a source not seen yet is. */
    public boolean enabled(String sourceId, int spatial) {
        SourceState state = sources.get(sourceId);
        return state == null || (spatial >= 0 && spatial < state.enabled.length && state.enabled[spatial]);
    }
}
