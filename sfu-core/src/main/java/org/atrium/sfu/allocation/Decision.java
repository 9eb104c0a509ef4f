package org.atrium.sfu.allocation;

import java.util.Objects;
import org.atrium.sfu.media.MediaKind;

/**
 * What one subscription forwards.
 *
 * @param target the layer to forward (audio: (0, 0)), {@link Layer#NONE} when paused
 * @param pauseReason why nothing is forwarded, null when {@code target} is forwarded
 * @param bps what the target costs at the measured rates, 0 when paused
 * @param demandedSpatial the highest spatial layer this receiver would take with unlimited
 *     bandwidth, active at the publisher or not, -1 when it wants none (audio, not visible,
 *     paused by the receiver); what {@link PublisherLayerDemand} aggregates
 */
public record Decision(String sourceId, MediaKind kind, Layer target, PauseReason pauseReason,
        long bps, int demandedSpatial) {

    public Decision {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if ((pauseReason == null) == target.equals(Layer.NONE)) {
            throw new IllegalArgumentException("a decision forwards a layer or has a pause reason");
        }
    }

    public static Decision audio(String sourceId, long bps) {
        return new Decision(sourceId, MediaKind.AUDIO, new Layer(0, 0), null, bps, -1);
    }

    public static Decision video(String sourceId, Layer target, long bps, int demandedSpatial) {
        return new Decision(sourceId, MediaKind.VIDEO, target, null, bps, demandedSpatial);
    }

    public static Decision paused(String sourceId, PauseReason reason, int demandedSpatial) {
        return new Decision(sourceId, MediaKind.VIDEO, Layer.NONE, reason, 0, demandedSpatial);
    }

    public boolean paused() {
        return pauseReason != null;
    }

    @Override
    public String toString() {
        String what = paused() ? "paused:" + pauseReason.wireName() : kind == MediaKind.AUDIO ? "audio" : target.toString();
        return sourceId + "=" + what;
    }
}
