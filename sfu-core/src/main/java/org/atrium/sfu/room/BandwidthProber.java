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
 * got through (libwebrtc's probe clusters, on the SFU side).
 *
 * <p>Bounded: one cluster at a time, at most {@link #MAX_PACKETS} packets of about 280
 * bytes, at least {@link #MIN_GAP_NANOS} between clusters, and a result is awaited at most
 * {@link #RESULT_TIMEOUT_NANOS}. Driven by the allocation timer; the slices run on the
 * server's timers and send on the receiver's lane (or the timer thread without lanes).
 */
final class BandwidthProber {

    static final long CLUSTER_MILLIS = 30;
    static final long SLICE_MILLIS = 5;
    static final int MIN_PACKETS = 6;
    static final int MAX_PACKETS = 90;
    static final long MIN_GAP_NANOS = 1_000_000_000L;
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
    private long probesSent;

    BandwidthProber(DownlinkCongestionControl congestion, ScheduledExecutorService timers, ForwardingLane lane,
            SfuMetrics metrics) {
        this.congestion = congestion;
        this.timers = timers;
        this.lane = lane;
        this.metrics = metrics;
    }

    /** A probe's outcome: what it aimed at and what got through (-1 when nothing came back in time). */
    record Result(long targetBps, long measuredBps) {
        boolean succeeded() {
            return measuredBps >= targetBps * 9 / 10;
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
        return new Result(pendingTargetBps, measured);
    }

    /**
     * Sends a cluster at {@code targetBps} on the stream given, unless one is in flight or
     * the last was too recent.
     *
     * @return whether a cluster was started
     */
    boolean probe(long targetBps, Consumer via, long nowNanos) {
        if (pending != 0 || lastProbeNanos != 0 && nowNanos - lastProbeNanos < MIN_GAP_NANOS
                || via == null || !via.canCarryPadding()) {
            return false;
        }
        long bytes = targetBps * CLUSTER_MILLIS / 8000;
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
