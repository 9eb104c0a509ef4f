package org.atrium.sfu.allocation;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What a video source publishes, as measured at the SFU: every simulcast encoding the
 * publisher negotiated, smallest first (index 0 = a quarter of the full resolution, 1 = half,
 * 2 = full, as libwebrtc's default simulcast ladder), active or not. One value per source,
 * shared by all its receivers' subscriptions.
 */
public record LayerRates(List<SpatialLayerRates> spatialLayers) {

    public LayerRates {
        spatialLayers = List.copyOf(spatialLayers);
    }

    public static LayerRates of(SpatialLayerRates... spatialLayers) {
        return new LayerRates(List.of(spatialLayers));
    }

    public SpatialLayerRates spatial(int index) {
        return spatialLayers.get(index);
    }

    public int spatialCount() {
        return spatialLayers.size();
    }

    /**
     * The highest spatial layer a receiver with this hint may get, whether or not it is active
     * now: the smallest encoding that covers the hint (see {@link RenderHint#coveredBy}), else
     * (every encoding smaller than the hint) the largest. When no resolution is known at all,
     * the hint cannot cap and the largest is returned. -1 when the hint is not visible or the
     * source has no encoding.
     */
    public int highestSpatialFor(RenderHint hint) {
        if (!hint.visible() || spatialLayers.isEmpty()) {
            return -1;
        }
        int largest = spatialLayers.size() - 1;
        for (int s = 0; s <= largest; s++) {
            int w = width(s);
            int h = height(s);
            if (w == 0 || h == 0) {
                return largest;
            }
            if (hint.coveredBy(w, h)) {
                return s;
            }
        }
        return largest;
    }

    /**
     * The width of encoding {@code spatial}: measured, else derived from the nearest encoding
     * whose width is known along the ladder (each step doubles), else 0. Encodings that have
     * not sent a keyframe yet often have no known size; their place in the ladder gives it.
     */
    public int width(int spatial) {
        return knownOrScaled(spatial, SpatialLayerRates::width);
    }

    /** The height of encoding {@code spatial}, as {@link #width}. */
    public int height(int spatial) {
        return knownOrScaled(spatial, SpatialLayerRates::height);
    }

    /** Same encodings with the same resolution, activity and viable layers; rates may differ. */
    public boolean sameShape(LayerRates other) {
        if (spatialLayers.size() != other.spatialLayers.size()) {
            return false;
        }
        for (int s = 0; s < spatialLayers.size(); s++) {
            if (!spatialLayers.get(s).sameShape(other.spatialLayers.get(s))) {
                return false;
            }
        }
        return true;
    }

    private int knownOrScaled(int spatial, ToIntFunction<SpatialLayerRates> size) {
        int known = size.applyAsInt(spatialLayers.get(spatial));
        if (known > 0) {
            return known;
        }
        for (int distance = 1; distance < spatialLayers.size(); distance++) {
            for (int other : new int[] {spatial - distance, spatial + distance}) {
                if (other >= 0 && other < spatialLayers.size()) {
                    int otherSize = size.applyAsInt(spatialLayers.get(other));
                    if (otherSize > 0) {
                        int steps = spatial - other;
                        return steps > 0 ? otherSize << steps : otherSize >> -steps;
                    }
                }
            }
        }
        return 0;
    }
}
