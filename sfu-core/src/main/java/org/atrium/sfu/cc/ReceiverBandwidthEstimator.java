package org.atrium.sfu.cc;

/**
 * How fast the SFU may send to one receiver: a send-side bandwidth estimate for one receiver
 * transport, after Google Congestion Control (draft-ietf-rmcat-gcc-02). The sender stamps every
 * packet with a transport-wide sequence number and reports it with {@link #onPacketSent}; the
 * receiver's transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) comes to
 * {@link #onTransportCcFeedback}. The estimate is min(delay-based, loss-based), clamped to the
 * configured bounds; a receiver that sends only REMB (draft-alvestrand-rmcat-remb) is followed
 * instead ({@link #onRemb}), and its REMB also caps the estimate when it sends both.
 *
 * <p>Probes: the pacer sends a cluster of packets at a target rate, each passed to
 * {@link #onPacketSent} with the cluster's id, then {@link #onProbeClusterSent}. Once feedback
 * covers most of the cluster, {@link #probeResultBps} says what rate got through; a result above
 * the estimate raises it unless the path is over-used. An allocator should move a receiver to a
 * higher layer only after a probe at that rate succeeded.
 *
 * <p>All times are microseconds of one monotonic clock (the feedback's own receive-clock times are
 * mapped onto it). No I/O, no threads, not thread-safe: call it from the receiver's send lane.
 * Memory is fixed at construction: {@link #onPacketSent} and {@link #onTransportCcFeedback}
 * allocate nothing. Bad feedback (truncated, about unknown or too old packets, duplicated or
 * reordered) is counted, never thrown.
 */
public final class ReceiverBandwidthEstimator {
    /** Weight of a new rtt sample (RFC 6298's alpha). */
    private static final double RTT_GAIN = 0.125;

    private final BandwidthEstimatorConfig config;
    private final SentPacketHistory history;
    private final TransportCcFeedbackAdapter adapter;
    private final AcknowledgedBitrateEstimator acknowledged = new AcknowledgedBitrateEstimator();
    private final ProbeBitrateEstimator probes = new ProbeBitrateEstimator();
    private final DelayBasedEstimator delayBased;
    private final LossBasedEstimator lossBased;

    private long estimateBps;
    private long rembBps = -1;
    private long rttMicros = -1;
    private long reportedLost;
    private long reportedPackets;

    public ReceiverBandwidthEstimator() {
        this(BandwidthEstimatorConfig.defaults());
    }

    public ReceiverBandwidthEstimator(BandwidthEstimatorConfig config) {
        this.config = config;
        this.history = new SentPacketHistory(config.historyCapacity());
        this.adapter = new TransportCcFeedbackAdapter(history);
        this.delayBased = new DelayBasedEstimator(config.startBps(), config.minBps(), config.maxBps());
        this.lossBased = new LossBasedEstimator(config.startBps(), config.minBps(), config.maxBps());
        this.estimateBps = config.startBps();
    }

    /**
     * Records a packet sent to the receiver.
     *
     * @param transportSequence its transport-wide sequence number (low 16 bits)
     * @param sizeBytes its size on the wire as the receiver's feedback counts it (the RTP packet)
     * @param probeClusterId its probe cluster, or {@link SentPacketHistory#NOT_PROBE}
     */
    public void onPacketSent(int transportSequence, int sizeBytes, long sendMicros, int probeClusterId) {
        history.onSent(transportSequence, sizeBytes, sendMicros, probeClusterId);
    }

    /** Declares that probe cluster {@code clusterId} is complete: {@code packets} packets, {@code bytes} bytes. */
    public void onProbeClusterSent(int clusterId, int packets, long bytes) {
        probes.onClusterSent(clusterId, packets, bytes);
    }

    /**
     * Reads one transport-cc feedback packet (the RTPFB FMT 15 packet alone, out of its compound).
     *
     * @return false when it was not well-formed transport-cc feedback (counted, otherwise ignored)
     */
    public boolean onTransportCcFeedback(byte[] buf, int off, int len, long nowMicros) {
        PacketResults results = adapter.onFeedback(buf, off, len, nowMicros);
        if (results == null) {
            return false;
        }
        if (results.count() == 0) {
            return true;
        }
        long probeBps = -1;
        long newestSend = Long.MIN_VALUE;
        for (int k = 0; k < results.receivedCount(); k++) {
            int i = results.receivedInArrivalOrder(k);
            acknowledged.onPacketReceived(results.receiveMicros(i), results.sizeBytes(i));
            int cluster = results.probeClusterId(i);
            if (cluster != SentPacketHistory.NOT_PROBE) {
                long bps = probes.onProbePacket(cluster, results.sendMicros(i), results.receiveMicros(i),
                    results.sizeBytes(i));
                probeBps = bps > 0 ? bps : probeBps;
            }
            newestSend = Math.max(newestSend, results.sendMicros(i));
        }
        if (newestSend != Long.MIN_VALUE) {
            // Feedback rtt: includes the receiver's feedback delay, as libwebrtc's does.
            long sample = Math.max(0, nowMicros - newestSend);
            rttMicros = rttMicros < 0 ? sample : (long) (rttMicros + RTT_GAIN * (sample - rttMicros));
            delayBased.setRttMicros(rttMicros);
        }
        // A probe may only raise the estimate: lowering it is the detector's job.
        long usefulProbe = probeBps > delayBased.estimateBps() ? probeBps : -1;
        delayBased.onFeedback(results, acknowledged.bitrateBps(), usefulProbe, nowMicros);
        if (usefulProbe > 0 && delayBased.state() != BandwidthUsage.OVERUSING) {
            lossBased.setEstimate(usefulProbe, nowMicros);
        }
        reportedLost += results.lostCount();
        reportedPackets += results.count();
        lossBased.onFeedback(results.lostCount(), results.count(), combined(), Math.max(0, rttMicros), nowMicros);
        estimateBps = combined();
        return true;
    }

    /** A REMB from the receiver: followed when it gives no transport-cc feedback, else a cap. */
    public void onRemb(long bitrateBps, long nowMicros) {
        rembBps = Math.max(0, bitrateBps);
        estimateBps = adapter.feedbackPackets() == 0 ? clamp(rembBps) : combined();
    }

    private long combined() {
        long bps = Math.min(delayBased.estimateBps(), lossBased.estimateBps());
        if (rembBps >= 0) {
            bps = Math.min(bps, rembBps);
        }
        return clamp(bps);
    }

    private long clamp(long bps) {
        return Math.max(config.minBps(), Math.min(config.maxBps(), bps));
    }

    /** The rate the SFU may send to this receiver, in bits per second. */
    public long estimateBps() {
        return estimateBps;
    }

    public long delayBasedEstimateBps() {
        return delayBased.estimateBps();
    }

    public long lossBasedEstimateBps() {
        return lossBased.estimateBps();
    }

    /** The acknowledged (delivered) rate, or -1 before it is measured. */
    public long acknowledgedBps() {
        return acknowledged.bitrateBps();
    }

    /** The over-use detector's last verdict. */
    public BandwidthUsage state() {
        return delayBased.state();
    }

    /** The loss fraction the loss-based estimator last acted on, 0..1. */
    public double lossFraction() {
        return lossBased.lossFraction();
    }

    /** Smoothed feedback round-trip time, or -1 before the first feedback. */
    public long rttMicros() {
        return rttMicros;
    }

    /** The rate probe cluster {@code clusterId} got through, or -1 when not (yet) known. */
    public long probeResultBps(int clusterId) {
        return probes.resultBps(clusterId);
    }

    /** Well-formed transport-cc feedback packets read. */
    public long feedbackPackets() {
        return adapter.feedbackPackets();
    }

    /** Feedback packets that were not well-formed (truncated, bad chunks). */
    public long malformedFeedback() {
        return adapter.malformedFeedback();
    }

    /** Feedback entries ignored: numbers never sent, too old, or already reported. */
    public long ignoredFeedbackEntries() {
        return adapter.ignoredEntries();
    }

    public long unknownFeedbackEntries() {
        return history.unknownFeedback();
    }

    public long tooOldFeedbackEntries() {
        return history.tooOldFeedback();
    }

    public long duplicateFeedbackEntries() {
        return adapter.duplicateEntries();
    }

    /** Packets feedback reported lost, and reported at all, since the start. */
    public long reportedLostPackets() {
        return reportedLost;
    }

    public long reportedPackets() {
        return reportedPackets;
    }
}
