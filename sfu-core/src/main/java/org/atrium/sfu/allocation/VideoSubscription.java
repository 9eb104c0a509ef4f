package org.atrium.sfu.allocation;

import java.util.Objects;

/**
 * A video track one receiver subscribes to.
 *
 * @param priority its class; {@link PriorityClass#ON_STAGE} first
 * @param rank order within the class, lower first (e.g. how recently the participant spoke);
 *     ties are broken by source id, so that the order is stable
 * @param hint the largest size the receiver displays it at; {@link RenderHint#NOT_VISIBLE}
 *     pauses it at no cost
 * @param pausedByReceiver the receiver (or the application for it) asked not to get it
 * @param rates what the source publishes now
 */
public record VideoSubscription(String sourceId, PriorityClass priority, int rank, RenderHint hint,
        boolean pausedByReceiver, LayerRates rates) implements Subscription {

    public VideoSubscription {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(rates, "rates");
    }

    /**
     * The highest spatial layer this subscription could use with unlimited bandwidth, active
     * or not; -1 when it wants none (not visible, paused by the receiver).
     */
    public int demandedSpatial() {
        return pausedByReceiver ? -1 : rates.highestSpatialFor(hint);
    }

    @Override
    public boolean sameShape(Subscription other) {
        return other instanceof VideoSubscription video
                && video.sourceId.equals(sourceId)
                && video.priority == priority
                && video.rank == rank
                && video.hint.equals(hint)
                && video.pausedByReceiver == pausedByReceiver
                && video.rates.sameShape(rates);
    }
}
