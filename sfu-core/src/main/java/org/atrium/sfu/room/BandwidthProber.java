package org.atrium.sfu.room;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    static final long MAX_GAP_NANOS = 4_000_000_000L;
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
    private long pendingMediaBps;
    private long pendingPaddingBps;
    private long pendingSinceNanos;
    private long lastProbeNanos;
    private long gapNanos = MIN_GAP_NANOS;
    private long probesSent;

    BandwidthProber(DownlinkCongestionControl congestion, ScheduledExecutorService timers, ForwardingLane lane,
            SfuMetrics metrics) {
        this.congestion = congestion;
        this.timers = timers;
        this.lane = lane;
        this.metrics = metrics;
    }

    /**
     * A probe's outcome: the total it aimed at, what was sent besides the padding, the padding's
     * rate and what of it got through (-1 when nothing came back in time).
     */
    record Result(long targetBps, long mediaBps, long paddingBps, long measuredBps) {
        boolean succeeded() {
            return measuredBps >= paddingBps * 9 / 10;
        }

        /**
         * The total the link was seen to carry: the target when the padding got through (its
         * rate is measured a little short of what was sent), else the media plus what did.
         */
        long carriedBps() {
            long carried = mediaBps + Math.max(0, measuredBps);
            return succeeded() ? Math.max(targetBps, carried) : carried;
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
        Result result = new Result(pendingTargetBps, pendingMediaBps, pendingPaddingBps, measured);
        gapNanos = result.succeeded() ? MIN_GAP_NANOS : Math.min(MAX_GAP_NANOS, gapNanos * 2);
        return result;
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
        pendingMediaBps = mediaBps;
        pendingPaddingBps = paddingBps;
        pendingSinceNanos = nowNanos;
        lastProbeNanos = nowNanos;
        probesSent++;
        metrics.probeSent();
        int slices = (int) (CLUSTER_MILLIS / SLICE_MILLIS);
        AtomicInteger sent = new AtomicInteger();
        for (int slice = 0; slice < slices; slice++) {
            int count = packets / slices + (slice < packets % slices ? 1 : 0);
            boolean last = slice == slices - 1;
            timers.schedule(() -> onLane(() -> {
                for (int i = 0; i < count; i++) {
                    if (via.sendPadding(cluster)) {
                        sent.incrementAndGet();
                    }
                }
                if (last) {
                    congestion.onProbeClusterSent(cluster, sent.get(), (long) sent.get() * PACKET_BYTES);
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

    long probesSent() {
        return probesSent;
    }
}
