package org.atrium.sfu.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.atrium.sfu.allocation.Allocation;
import org.atrium.sfu.allocation.AllocatorConfig;
import org.atrium.sfu.allocation.AudioSubscription;
import org.atrium.sfu.allocation.Decision;
import org.atrium.sfu.allocation.LayerRates;
import org.atrium.sfu.allocation.PauseReason;
import org.atrium.sfu.allocation.PriorityClass;
import org.atrium.sfu.allocation.ReceiverAllocator;
import org.atrium.sfu.allocation.RenderHint;
import org.atrium.sfu.allocation.SpatialLayerRates;
import org.atrium.sfu.allocation.Subscription;
import org.atrium.sfu.allocation.VideoSubscription;
import org.atrium.sfu.cc.DownlinkCongestionControl;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.stats.SfuMetrics;

/**
 * What one receiver gets of each video it subscribes to, from its downlink estimate: every
 * {@link #INTERVAL_NANOS} the subscriptions (with each source's measured layer rates, the
 * active speaker first, the receiver's render sizes) go through its {@link ReceiverAllocator},
 * and each consumer is set to the layers decided, or paused. A paused or resumed video is
 * told to the receiver's signaling. When the allocation wants more than the estimate, a
 * probe cluster checks that the link carries it.
 *
 * <p>A receiver that has sent no congestion feedback yet (or never will: a plain RTP
 * endpoint) is left alone: every consumer keeps the top layers, as without allocation.
 * Runs on the server's timer thread; render sizes are set from signaling threads.
 */
final class DownlinkAllocation {

    static final long INTERVAL_NANOS = 200_000_000L;
    /** An encoding silent this long is not offered to the allocator. */
    private static final long STALE_NANOS = 2_000_000_000L;
    /**
     * Rates assumed for an encoding that sends but whose rate is not measured yet (its first
     * second), lowest encoding first, so that a new video is neither paused nor given more
     * than it will cost: roughly what browsers send at a quarter, half and full 720p.
     */
    private static final long[] NOMINAL_BPS = {150_000, 500_000, 1_500_000};

    private final DownlinkCongestionControl congestion;
    private final ReceiverAllocator allocator = new ReceiverAllocator(AllocatorConfig.DEFAULTS);
    private final BandwidthProber prober;
    private final SfuMetrics metrics;
    /** Render size hints by the consumer's id. */
    private final Map<String, RenderHint> hints = new ConcurrentHashMap<>();
    /**
     * How long the lowest layer must not fit before a video is paused for bandwidth: a dip
     * of the estimate (a probe, a burst of cross traffic) should not freeze it.
     */
    static final long PAUSE_AFTER_NANOS = 2_000_000_000L;
    /** The loss at which a video whose lowest layer does not fit is paused without waiting. */
    static final double PAUSE_AT_ONCE_LOSS = 0.10;
    /** Consumers whose lowest layer does not fit, since when. Timer thread only. */
    private final Map<Consumer, Long> shortSince = new HashMap<>();
    /** Consumers paused now, with why. */
    private final Map<Consumer, PauseReason> paused = new HashMap<>();
    private long nextNanos;
    /** When this receiver first had a stream to receive, 0 before. */
    private long firstResumedNanos;
    /** How long a receiver may take to send its first congestion feedback before it is left unadapted. */
    static final long NO_FEEDBACK_NANOS = 2_000_000_000L;
    private volatile Allocation last = Allocation.EMPTY;
    /** When a probe last raised the allocation, 0 when that upgrade has held or been undone. */
    private long probedUpgradeNanos;
    /** How long an upgrade a probe confirmed must hold for the probe to count as right. */
    static final long UPGRADE_HOLDS_NANOS = 4_000_000_000L;

    DownlinkAllocation(DownlinkCongestionControl congestion, BandwidthProber prober, SfuMetrics metrics) {
        this.congestion = congestion;
        this.prober = prober;
        this.metrics = metrics;
    }

    /** How large the receiver shows a consumer's video: no larger layer is sent; 0x0 pauses it. */
    void setRenderSize(Consumer consumer, int width, int height) {
        hints.put(consumer.id(), width <= 0 || height <= 0 ? RenderHint.NOT_VISIBLE : new RenderHint(width, height));
    }

    /**
     * A consumer takes over another's stream (the same SSRC, another producer): the receiver's
     * render size for it, and its pause, are the new one's until the next allocation.
     */
    void handOver(Consumer from, Consumer to) {
        RenderHint hint = hints.get(from.id());
        if (hint != null) {
            hints.put(to.id(), hint);
        }
        synchronized (paused) {
            PauseReason reason = paused.remove(from);
            if (reason != null) {
                paused.put(to, reason);
            }
        }
    }

    /** The last allocation made, for stats. */
    Allocation last() {
        return last;
    }

    /** Why a consumer is paused now, or null when it is not. */
    PauseReason pauseReason(Consumer consumer) {
        synchronized (paused) {
            return paused.get(consumer);
        }
    }

    /**
     * Allocates when due; the listener hears of videos paused and resumed.
     *
     * @return whether it allocated
     */
    boolean run(long nowNanos, Consumer[] consumers, String activeSpeaker, ParticipantListener listener) {
        if (nowNanos - nextNanos < 0) {
            return false;
        }
        if (!congestion.hasFeedback()) {
            forwardEverythingWithoutFeedback(nowNanos, consumers);
            return false;
        }
        nextNanos = nowNanos + INTERVAL_NANOS;
        long nowMs = nowNanos / 1_000_000;
        List<Subscription> subscriptions = new ArrayList<>();
        Map<String, Consumer> byProducer = new HashMap<>();
        int rank = 0;
        for (Consumer consumer : consumers) {
            if (!consumer.isResumed() || consumer.isClosed()) {
                continue;
            }
            Producer producer = consumer.producer();
            byProducer.put(producer.id(), consumer);
            if (consumer.kind() == MediaKind.AUDIO) {
                subscriptions.add(new AudioSubscription(producer.id(), producer.bitrate()));
            } else {
                PriorityClass priority = producer.ownerId().equals(activeSpeaker) ? PriorityClass.ACTIVE_SPEAKER
                        : PriorityClass.OTHER;
                subscriptions.add(new VideoSubscription(producer.id(), priority, rank++,
                        hints.getOrDefault(consumer.id(), RenderHint.UNLIMITED), false, rates(producer, nowNanos)));
            }
        }
        hints.keySet().retainAll(consumerIds(consumers));
        synchronized (paused) {
            // Consumers closed since (a stream switched to another producer, a track gone).
            paused.keySet().retainAll(java.util.Arrays.asList(consumers));
        }
        long estimate = congestion.estimateBps();
        Allocation allocation = allocator.update(nowMs, estimate, subscriptions);
        long before = last.allocatedBps();
        BandwidthProber.Result probe = prober.poll(nowNanos);
        if (probe != null) {
            // What the link carried confirms upgrades up to it, even when the probe fell short
            // of its target: a probe aims high (see below) and reports what is there.
            long carried = probe.carriedBps();
            boolean useful = probe.succeeded() || probe.measuredBps() > 0 && carried > allocation.allocatedBps();
            allocation = allocator.onProbeResult(nowMs, useful, carried);
            if (allocation.allocatedBps() > before) {
                probedUpgradeNanos = nowNanos;
            }
        } else if (probedUpgradeNanos != 0 && allocation.allocatedBps() < before) {
            if (nowNanos - probedUpgradeNanos < UPGRADE_HOLDS_NANOS) {
                prober.backOff();
            }
            probedUpgradeNanos = 0;
        }
        shortSince.keySet().retainAll(byProducer.values());
        apply(allocation, byProducer, listener, nowNanos);
        last = allocation;
        // Aim past the next step, up to what everything would take but at most twice the
        // estimate: one probe then finds how many steps the link carries. After a probe that
        // fell short, only the next step, or a quarter above the estimate when that is more
        // (a step the estimate covers still needs confirming): overshooting a full link costs
        // the estimate a cut.
        long next = allocation.probeTargetBps();
        long target = next <= 0 ? 0
                : Math.max(next, prober.lastFailed() ? estimate * 5 / 4 : Math.min(allocation.idealBps(), 2 * estimate));
        // No probe into a link that is losing packets already: it would only add to the loss.
        if (next > 0 && target > estimate && allocation.deficient() && congestion.lossFraction() < 0.02) {
            prober.probe(target, allocation.allocatedBps(), paddingCarrier(consumers), nowNanos);
        }
        return true;
    }

    /**
     * Whether the consumer's lowest layer has not fit for {@link #PAUSE_AFTER_NANOS}, or does
     * not fit while the link loses {@link #PAUSE_AT_ONCE_LOSS} or more; starts the count at
     * the first call.
     */
    private boolean shortOfBandwidthFor(Consumer consumer, long nowNanos) {
        Long since = shortSince.putIfAbsent(consumer, nowNanos);
        if (congestion.lossFraction() >= PAUSE_AT_ONCE_LOSS) {
            // Not a dip: the link is losing what is sent. Waiting would keep its queue full,
            // and with it the receiver's audio and its ICE consent checks.
            return true;
        }
        return since != null && nowNanos - since >= PAUSE_AFTER_NANOS;
    }

    private void apply(Allocation allocation, Map<String, Consumer> byProducer, ParticipantListener listener,
            long nowNanos) {
        for (Decision decision : allocation.decisions()) {
            Consumer consumer = byProducer.get(decision.sourceId());
            if (consumer == null || decision.kind() != MediaKind.VIDEO) {
                continue;
            }
            PauseReason before;
            synchronized (paused) {
                before = paused.get(consumer);
            }
            if (decision.paused() && decision.pauseReason() == PauseReason.UNAVAILABLE && neverSent(consumer.producer())) {
                // A track whose publisher has not sent yet (still connecting): not worth a
                // message; it is forwarded from its first keyframe.
                consumer.setLayers(0, 0);
                continue;
            }
            boolean bandwidthShort = decision.paused() && decision.pauseReason() == PauseReason.BANDWIDTH;
            if (!bandwidthShort) {
                shortSince.remove(consumer);
            } else if (before != PauseReason.BANDWIDTH && !shortOfBandwidthFor(consumer, nowNanos)) {
                // Not even the lowest layer fits, but only for a moment yet: keep it rather
                // than freeze the video on a dip of the estimate.
                consumer.setLayers(0, 0);
                continue;
            }
            if (decision.paused()) {
                consumer.setLayers(-1, 0);
                if (before != decision.pauseReason()) {
                    synchronized (paused) {
                        paused.put(consumer, decision.pauseReason());
                    }
                    metrics.videoPaused(decision.pauseReason().wireName());
                    listener.onVideoPaused(consumer, decision.pauseReason().wireName());
                }
            } else {
                consumer.setLayers(decision.target().spatial(), decision.target().temporal());
                if (before != null) {
                    synchronized (paused) {
                        paused.remove(consumer);
                    }
                    listener.onVideoResumed(consumer);
                }
            }
        }
    }

    private static boolean neverSent(Producer producer) {
        for (ReceiveStream stream : producer.streams()) {
            if (stream.lastPacketNanos() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A receiver that has sent no congestion feedback {@link #NO_FEEDBACK_NANOS} after its
     * first stream (a plain RTP endpoint, a test or load client) is not adapted: it gets the
     * top layers of every video, as a relay would send them.
     */
    private void forwardEverythingWithoutFeedback(long nowNanos, Consumer[] consumers) {
        for (Consumer consumer : consumers) {
            if (!consumer.isResumed() || consumer.kind() != MediaKind.VIDEO) {
                continue;
            }
            if (firstResumedNanos == 0) {
                firstResumedNanos = nowNanos;
            }
            int top = consumer.producer().streamCount() - 1;
            if (nowNanos - firstResumedNanos >= NO_FEEDBACK_NANOS && consumer.targetSpatialLayer() != top) {
                consumer.setLayers(top, org.atrium.sfu.media.Consumer.ALL_TEMPORAL_LAYERS);
            }
        }
    }

    /**
     * What each encoding of a source delivers now: its measured rate per temporal layer
     * (cumulative), its size from its last keyframe, and whether it is sending at all.
     */
    static LayerRates rates(Producer producer, long nowNanos) {
        List<SpatialLayerRates> layers = new ArrayList<>();
        for (ReceiveStream stream : producer.streams()) {
            boolean sending = stream.isBound() && stream.lastPacketNanos() != 0
                    && nowNanos - stream.lastPacketNanos() < STALE_NANOS;
            long tl0 = stream.layerBitrate(0);
            long tl1 = stream.layerBitrate(1);
            long tl2 = stream.layerBitrate(2) + stream.layerBitrate(3);
            long[] cumulative;
            if (tl1 > 0 || tl2 > 0) {
                cumulative = new long[] {tl0, tl0 + tl1, tl0 + tl1 + tl2};
            } else {
                cumulative = new long[] {tl0};
            }
            if (sending && tl0 == 0) {
                // Sending, but not measured yet: assume a nominal rate rather than none.
                long nominal = NOMINAL_BPS[Math.min(stream.index() + (3 - producer.streamCount()), 2)];
                cumulative = new long[] {nominal};
            }
            layers.add(sending ? SpatialLayerRates.of(stream.width(), stream.height(), cumulative)
                    : SpatialLayerRates.inactive(stream.width(), stream.height(), cumulative));
        }
        return new LayerRates(layers);
    }

    /** A video stream of the receiver that can carry probe padding: RTX accepted, forwarding. */
    private static Consumer paddingCarrier(Consumer[] consumers) {
        for (Consumer consumer : consumers) {
            if (consumer.kind() == MediaKind.VIDEO && consumer.canCarryPadding()) {
                return consumer;
            }
        }
        return null;
    }

    private static java.util.Set<String> consumerIds(Consumer[] consumers) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Consumer consumer : consumers) {
            ids.add(consumer.id());
        }
        return ids;
    }

    long probesSent() {
        return prober.probesSent();
    }
}
