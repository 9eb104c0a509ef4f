package org.atrium.sfu.allocation;

import java.util.ArrayList;
import java.util.List;

/**
 * What one simulcast encoding of a video source currently delivers to the SFU.
 *
 * @param width its frame width in pixels, 0 when not known
 * @param height its frame height in pixels, 0 when not known
 * @param active whether the SFU currently receives it; the receive side decides (an
 *     encoding that has sent nothing for a while, or that the publisher switched off, is
 *     inactive), the allocator never picks a layer of an inactive encoding
 * @param cumulativeBps measured bits/s per temporal layer, cumulative as libwebrtc sends
 *     them: index 0 is TL0 alone, index 1 is TL0+TL1, index 2 TL0+TL1+TL2. Its size is the
 *     number of temporal layers (3 for VP8 L1T3, 1 for H264). 0 means that temporal layer is
 *     not received (or not measured yet).
 */
public record SpatialLayerRates(int width, int height, boolean active, List<Long> cumulativeBps) {

    public SpatialLayerRates {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative resolution " + width + "x" + height);
        }
        cumulativeBps = List.copyOf(cumulativeBps);
        if (cumulativeBps.isEmpty()) {
            throw new IllegalArgumentException("an encoding has at least one temporal layer");
        }
        for (long bps : cumulativeBps) {
            if (bps < 0) {
                throw new IllegalArgumentException("negative rate " + cumulativeBps);
            }
        }
    }

    /** An active encoding with these cumulative rates, TL0 first. */
    public static SpatialLayerRates of(int width, int height, long... cumulativeBps) {
        return new SpatialLayerRates(width, height, true, boxed(cumulativeBps));
    }

    /** An encoding the SFU does not receive now (its rates are kept only for the record). */
    public static SpatialLayerRates inactive(int width, int height, long... cumulativeBps) {
        return new SpatialLayerRates(width, height, false, boxed(cumulativeBps));
    }

    public int temporalLayers() {
        return cumulativeBps.size();
    }

    /**
     * Whether temporal layer {@code temporal} can be forwarded: the encoding is active and it
     * and every temporal layer below it have a rate (a temporal layer cannot be decoded
     * without the ones below).
     */
    public boolean viable(int temporal) {
        if (!active || temporal < 0 || temporal >= cumulativeBps.size()) {
            return false;
        }
        for (int t = 0; t <= temporal; t++) {
            if (cumulativeBps.get(t) <= 0) {
                return false;
            }
        }
        return true;
    }

    /** The bits/s of forwarding this encoding up to temporal layer {@code temporal}. */
    public long bps(int temporal) {
        return cumulativeBps.get(temporal);
    }

    /** Same resolution, activity and viable temporal layers; the measured rates may differ. */
    boolean sameShape(SpatialLayerRates other) {
        if (width != other.width || height != other.height || active != other.active
                || temporalLayers() != other.temporalLayers()) {
            return false;
        }
        for (int t = 0; t < temporalLayers(); t++) {
            if (viable(t) != other.viable(t)) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> boxed(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long value : values) {
            list.add(value);
        }
        return list;
    }
}
