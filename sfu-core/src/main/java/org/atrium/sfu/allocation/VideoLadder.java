package org.atrium.sfu.allocation;

import java.util.Comparator;

/**
 * The layers one video subscription may be given, lowest first, with the allocator's working
 * choice. The ladder holds the viable layers (active encoding, rate measured) up to the render
 * cap, in {@link Layer} order: every temporal layer of an encoding before the next encoding.
 * Why temporal first: within an encoding each temporal layer doubles the frame rate (7.5, 15,
 * 30 fps with L1T3) for a fraction of the rate (TL0 is about half of the encoding), while the
 * next encoding costs three to four times as much; a small tile at 30 fps looks better than a
 * larger one at 7.5, and the cumulative cost rises in small steps. For the same reason the
 * ladder goes from the top of one encoding to TL0+TL1 (15 fps) of the next, never to its
 * TL0 alone.
 */
final class VideoLadder {

    /** Priority class, then rank, then source id: the order videos are served in. */
    static final Comparator<VideoLadder> PRIORITY_ORDER = Comparator
            .comparing((VideoLadder ladder) -> ladder.subscription.priority())
            .thenComparingInt(ladder -> ladder.subscription.rank())
            .thenComparing(ladder -> ladder.subscription.sourceId());

    final VideoSubscription subscription;
    final int index;
    private final Layer[] layers;
    private final long[] bps;
    private final int size;
    /** Index of the chosen layer, -1 while nothing is. */
    private int chosen = -1;

    /** @param index the subscription's position in the input, where its decision goes */
    VideoLadder(VideoSubscription subscription, int index, int capSpatial, boolean fullRateAboveLowest) {
        this.subscription = subscription;
        this.index = index;
        LayerRates rates = subscription.rates();
        int capacity = 0;
        for (int s = 0; s <= capSpatial; s++) {
            capacity += rates.spatial(s).temporalLayers();
        }
        layers = new Layer[capacity];
        bps = new long[capacity];
        int n = 0;
        for (int s = 0; s <= capSpatial; s++) {
            SpatialLayerRates encoding = rates.spatial(s);
            // Above the lowest layer offered, a larger picture at a quarter of the frame rate
            // (TL0 alone, 7.5 fps with L1T3) is no step up: start at TL0+TL1.
            boolean skipBase = fullRateAboveLowest && n > 0 && encoding.temporalLayers() > 1 && encoding.viable(1);
            for (int t = 0; t < encoding.temporalLayers() && encoding.viable(t); t++) {
                if (t == 0 && skipBase) {
                    continue;
                }
                layers[n] = new Layer(s, t);
                bps[n] = encoding.bps(t);
                n++;
            }
        }
        size = n;
    }

    boolean empty() {
        return size == 0;
    }

    boolean started() {
        return chosen >= 0;
    }

    boolean atTop() {
        return chosen == size - 1;
    }

    /** What taking the next layer adds to the total: the whole lowest layer when none is chosen. */
    long nextStepBps() {
        return chosen < 0 ? bps[0] : bps[chosen + 1] - bps[chosen];
    }

    void step() {
        chosen++;
    }

    Layer chosenLayer() {
        return chosen < 0 ? Layer.NONE : layers[chosen];
    }

    long chosenBps() {
        return chosen < 0 ? 0 : bps[chosen];
    }

    long topBps() {
        return size == 0 ? 0 : bps[size - 1];
    }
}
