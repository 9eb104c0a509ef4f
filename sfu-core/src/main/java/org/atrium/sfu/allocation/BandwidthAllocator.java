package org.atrium.sfu.allocation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits one receiver's budget among its subscriptions; stateless (hysteresis is
 * {@link ReceiverAllocator}'s). In order:
 *
 * <ol>
 *   <li>Every audio subscription takes its rate, whatever the budget.
 *   <li>Videos not rendered, paused by the receiver, or without a viable layer within the
 *       render cap are paused at no cost.
 *   <li>In priority order ({@link VideoLadder#PRIORITY_ORDER}) each video takes its lowest
 *       viable layer if it fits in what remains; a video whose lowest layer does not fit is
 *       paused for bandwidth (a later, cheaper one may still fit).
 *   <li>{@link PriorityClass#ON_STAGE} videos, in order, rise layer by layer to their top. If
 *       one cannot (or was paused), the others keep their lowest layer: what they would take
 *       is what the stage needs next, and giving it away would only have to be taken back.
 *   <li>Rounds in priority order: each video rises one step on its ladder if the step fits;
 *       rounds repeat until one changes nothing.
 * </ol>
 *
 * The probe target is what is allocated plus the first step refused, in that order. Each
 * call allocates a ladder per video and the result; it runs when the estimate or the
 * subscriptions change (a few times a second per receiver), where that is negligible.
 */
public final class BandwidthAllocator {

    private final long defaultAudioBps;
    private final boolean fullRateAboveLowest;

    public BandwidthAllocator(AllocatorConfig config) {
        this.defaultAudioBps = config.defaultAudioBps();
        this.fullRateAboveLowest = config.fullRateAboveLowest();
    }

    public Allocation allocate(long budgetBps, List<? extends Subscription> subscriptions) {
        Decision[] decisions = new Decision[subscriptions.size()];
        List<VideoLadder> ladders = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long remaining = budgetBps;
        long ideal = 0;
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            if (!seen.add(subscription.sourceId())) {
                throw new IllegalArgumentException("source " + subscription.sourceId() + " subscribed twice");
            }
            if (subscription instanceof AudioSubscription audio) {
                long bps = audioBps(audio);
                decisions[i] = Decision.audio(audio.sourceId(), bps);
                remaining -= bps;
                ideal += bps;
            } else if (subscription instanceof VideoSubscription video) {
                decisions[i] = pausedForFree(video);
                if (decisions[i] == null) {
                    VideoLadder ladder = new VideoLadder(video, i, video.demandedSpatial(), fullRateAboveLowest);
                    if (ladder.empty()) {
                        decisions[i] = Decision.paused(video.sourceId(), PauseReason.UNAVAILABLE, video.demandedSpatial());
                    } else {
                        ladders.add(ladder);
                        ideal += ladder.topBps();
                    }
                }
            }
        }
        ladders.sort(VideoLadder.PRIORITY_ORDER);
        Steps steps = new Steps(remaining);
        for (VideoLadder ladder : ladders) {
            steps.tryStep(ladder);
        }
        if (raiseStage(ladders, steps)) {
            raiseRoundRobin(ladders, steps);
        }
        long allocated = 0;
        for (Decision decision : decisions) {
            if (decision != null) {
                allocated += decision.bps();
            }
        }
        for (VideoLadder ladder : ladders) {
            String id = ladder.subscription.sourceId();
            int demanded = ladder.subscription.demandedSpatial();
            decisions[ladder.index] = ladder.started()
                    ? Decision.video(id, ladder.chosenLayer(), ladder.chosenBps(), demanded)
                    : Decision.paused(id, PauseReason.BANDWIDTH, demanded);
            allocated += ladder.chosenBps();
        }
        long probeTarget = steps.firstRefusedBps > 0 ? allocated + steps.firstRefusedBps : 0;
        return new Allocation(List.of(decisions), allocated, ideal, probeTarget);
    }

    /**
     * What keeping {@code held}'s layers costs at the rates in {@code subscriptions}: audio at
     * its rate, each video still subscribed at its held layer's new rate (0 when that layer is
     * no longer viable), new subscriptions nothing.
     */
    public long costOf(Allocation held, List<? extends Subscription> subscriptions) {
        long total = 0;
        for (Subscription subscription : subscriptions) {
            if (subscription instanceof AudioSubscription audio) {
                total += audioBps(audio);
                continue;
            }
            Decision decision = held.decision(subscription.sourceId());
            LayerRates rates = ((VideoSubscription) subscription).rates();
            if (decision != null && !decision.paused() && decision.target().spatial() < rates.spatialCount()) {
                SpatialLayerRates encoding = rates.spatial(decision.target().spatial());
                int temporal = decision.target().temporal();
                total += encoding.viable(temporal) ? encoding.bps(temporal) : 0;
            }
        }
        return total;
    }

    private long audioBps(AudioSubscription audio) {
        return audio.measuredBps() > 0 ? audio.measuredBps() : defaultAudioBps;
    }

    private static Decision pausedForFree(VideoSubscription video) {
        if (video.pausedByReceiver()) {
            return Decision.paused(video.sourceId(), PauseReason.RECEIVER, -1);
        }
        if (!video.hint().visible()) {
            return Decision.paused(video.sourceId(), PauseReason.NOT_VISIBLE, -1);
        }
        return null;
    }

    /** Raises the stage to its top; whether the others may rise too (the stage got all it wants). */
    private static boolean raiseStage(List<VideoLadder> ladders, Steps steps) {
        for (VideoLadder ladder : ladders) {
            if (ladder.subscription.priority() != PriorityClass.ON_STAGE) {
                continue;
            }
            if (!ladder.started()) {
                return false;
            }
            while (!ladder.atTop()) {
                if (!steps.tryStep(ladder)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void raiseRoundRobin(List<VideoLadder> ladders, Steps steps) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (VideoLadder ladder : ladders) {
                if (ladder.started() && !ladder.atTop()) {
                    changed |= steps.tryStep(ladder);
                }
            }
        }
    }

    /** The budget left, and the first step that did not fit in it. */
    private static final class Steps {
        long remaining;
        long firstRefusedBps;

        Steps(long remaining) {
            this.remaining = remaining;
        }

        boolean tryStep(VideoLadder ladder) {
            long step = ladder.nextStepBps();
            if (step > remaining) {
                if (firstRefusedBps == 0) {
                    firstRefusedBps = step;
                }
                return false;
            }
            remaining -= step;
            ladder.step();
            return true;
        }
    }
}
