package org.atrium.sfu.room;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.atrium.sfu.cc.DownlinkCongestionControl;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.ForwardingLane;
import org.atrium.sfu.stats.SfuMetrics;

/**
 * Finds out whether a receiver's link carries more than its estimate before the allocation
 * gives it more: a probe cluster of padding-only packets on one of its video streams' RTX
 * SSRC, sent at the rate the next layers need for {@link #CLUSTER_MILLIS}, paced in slices
 * of {@link #SLICE_MILLIS} so that the probe itself does not burst into the bottleneck's
 * queue. The receiver's transport-cc feedback on those packets tells the estimator what
 * got through (libwebrtc's probe clusters, on the SFU side). The cluster lasts longer than
 * libwebrtc's 15 ms minimum: a token-bucket bottleneck lets its bucket's worth through at
 * line rate, and a short probe would measure that burst rather than the link.
 *
 * <p>Bounded: one cluster at a time, at most {@link #MAX_PACKETS} packets of about 280
 * bytes, at least {@link #MIN_GAP_NANOS} between clusters, doubled after each failed probe
 * up to {@link #MAX_GAP_NANOS} (a probe that fails costs the receiver a moment of queueing),
 * and a result is awaited at most {@link #RESULT_TIMEOUT_NANOS}. Driven by the allocation
 * timer; the slices run on the server's timers and send on the receiver's lane (or the timer
 * thread without lanes).
 */
final class BandwidthProber {

    static final long CLUSTER_MILLIS = 200;
    static final long SLICE_MILLIS = 5;
    static final int MIN_PACKETS = 10;
    static final int MAX_PACKETS = 200;
    static final long MIN_GAP_NANOS = 1_000_000_000L;
    static final long MAX_GAP_NANOS = 8_000_000_000L;
    static final long RESULT_TIMEOUT_NANOS = 1_000_000_000L;
    private static final int PACKET_BYTES = Consumer.PROBE_PADDING + 20;

    private final DownlinkCongestionControl congestion;
    private final ScheduledExecutorService timers;
    private final ForwardingLane lane;
    private final SfuMetrics metrics;
    private int nextCluster = 1;
    /** The cluster awaiting its result, or 0. Timer thread only, like everything here. */
    private int pending;
    private long pendingTargetBps;
    private long pendingSinceNanos;
    private long lastProbeNanos;
    private long gapNanos = MIN_GAP_NANOS;
    private boolean lastFailed;
    private long probesSent;

    BandwidthProber(DownlinkCongestionControl congestion, ScheduledExecutorService timers, ForwardingLane lane,
            SfuMetrics metrics) {
        this.congestion = congestion;
        this.timers = timers;
        this.lane = lane;
        this.metrics = metrics;
    }

    /**
     * A probe's outcome: the total it aimed at (media and padding) and the total rate the
     * link carried while it was sent, media included (-1 when nothing came back in time).
     */
    record Result(long targetBps, long measuredBps) {
        boolean succeeded() {
            return measuredBps >= targetBps * 9 / 10;
        }

        /** The total the link was seen to carry: the target when it got through (measured a little short). */
        long carriedBps() {
            return succeeded() ? Math.max(targetBps, measuredBps) : Math.max(0, measuredBps);
        }
    }

    /** The result of the cluster in flight, once known or timed out; else null. */
    Result poll(long nowNanos) {
        if (pending == 0) {
            return null;
        }
        long measured = congestion.probeResultBps(pending);
        if (measured < 0 && nowNanos - pendingSinceNanos < RESULT_TIMEOUT_NANOS) {
            return null;
        }
        pending = 0;
        Result result = new Result(pendingTargetBps, measured);
        lastFailed = !result.succeeded();
        if (result.succeeded()) {
            gapNanos = MIN_GAP_NANOS;
        } else {
            backOff();
        }
        return result;
    }

    /**
     * Doubles the wait before the next cluster (up to {@link #MAX_GAP_NANOS}): after a failed
     * probe, and after an upgrade a probe confirmed that the link could not keep (a token
     * bucket passes a probe's excess from its bucket, so a probe can pass where the layers
     * it confirms do not fit; each such round costs the receiver keyframes and a stall).
     */
    void backOff() {
        gapNanos = Math.min(MAX_GAP_NANOS, gapNanos * 2);
    }

    /**
     * Sends a cluster on the stream given that tops what is sent now ({@code mediaBps}) up to
     * {@code targetBps}, unless one is in flight or the last was too recent. Padding on top of
     * the media rather than at the whole target: a probe of a link that cannot carry the
     * target then only queues for a moment instead of flooding it.
     *
     * @return whether a cluster was started
     */
    boolean probe(long targetBps, long mediaBps, Consumer via, long nowNanos) {
        if (pending != 0 || lastProbeNanos != 0 && nowNanos - lastProbeNanos < gapNanos
                || via == null || !via.canCarryPadding()) {
            return false;
        }
        long paddingBps = Math.max(targetBps - mediaBps, targetBps / 4);
        long bytes = paddingBps * CLUSTER_MILLIS / 8000;
        int packets = (int) Math.max(MIN_PACKETS, Math.min(MAX_PACKETS, bytes / PACKET_BYTES));
        int cluster = nextCluster;
        nextCluster = nextCluster == Integer.MAX_VALUE ? 1 : nextCluster + 1;
        pending = cluster;
        pendingTargetBps = targetBps;
        pendingSinceNanos = nowNanos;
        lastProbeNanos = nowNanos;
        probesSent++;
        metrics.probeSent();
        int slices = (int) (CLUSTER_MILLIS / SLICE_MILLIS);
        for (int slice = 0; slice < slices; slice++) {
            // Packets spread evenly over the slices: the cluster's rate is its target all through.
            int count = (slice + 1) * packets / slices - slice * packets / slices;
            boolean first = slice == 0;
            boolean last = slice == slices - 1;
            timers.schedule(() -> onLane(() -> {
                if (first) {
                    congestion.startProbeCluster(cluster);
                }
                for (int i = 0; i < count; i++) {
                    via.sendPadding(cluster);
                }
                if (last) {
                    congestion.endProbeCluster(cluster);
                }
            }), slice * SLICE_MILLIS, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void onLane(Runnable task) {
        if (lane == null || !lane.runAfterQueued(task)) {
            task.run();
        }
    }

    /** Whether the last cluster fell short of its target. */
    boolean lastFailed() {
        return lastFailed;
    }

    long probesSent() {
        return probesSent;
    }
}
