package org.atrium.sfu.cc;

/**
 * The delay-based half of Google Congestion Control (draft-ietf-rmcat-gcc-02 section 5; libwebrtc's
 * DelayBasedBwe): received packets, in arrival order, are grouped by send time
 * ({@link InterArrival}), each group's delay variation goes through the trendline filter and
 * over-use detector ({@link TrendlineEstimator}), and the verdict drives {@link AimdRateControl}
 * against the acknowledged rate.
 *
 * <p>On over-use the rate is cut at most once per reduction interval (so one queue build-up is
 * not punished once per feedback); before any acknowledged rate exists it is halved. A probe
 * result, when the path is not over-used, replaces the estimate. A stream silent for
 * {@value #STREAM_TIMEOUT_MICROS} us restarts the grouping and the filter, whose history no longer
 * describes the path. Times in microseconds, rates in bits per second. Allocation-free.
 */
final class DelayBasedEstimator {
    static final long STREAM_TIMEOUT_MICROS = 2_000_000;

    private final InterArrival interArrival = new InterArrival();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final AimdRateControl rateControl;
    private long lastSeenMicros = Long.MIN_VALUE;
    private long ackedBpsSeen = -1;

    DelayBasedEstimator(long startBps, long minBps, long maxBps) {
        rateControl = new AimdRateControl(startBps, minBps, maxBps);
    }

    /**
     * Updates from one feedback.
     *
     * @param ackedBps the acknowledged rate, or -1 before it is known
     * @param probeBps a probe result computed from this feedback, or -1
     * @return the delay-based estimate
     */
    long onFeedback(PacketResults results, long ackedBps, long probeBps, long nowMicros) {
        if (results.receivedCount() == 0) {
            return rateControl.estimateBps();
        }
        if (lastSeenMicros != Long.MIN_VALUE && nowMicros - lastSeenMicros > STREAM_TIMEOUT_MICROS) {
            interArrival.reset();
            trendline.reset();
        }
        lastSeenMicros = nowMicros;
        for (int k = 0; k < results.receivedCount(); k++) {
            int i = results.receivedInArrivalOrder(k);
            if (interArrival.compute(results.sendMicros(i), results.receiveMicros(i), nowMicros, results.sizeBytes(i))) {
                trendline.update(interArrival.arrivalDeltaMicros(), interArrival.sendDeltaMicros(),
                    results.receiveMicros(i));
            }
        }
        if (ackedBps >= 0) {
            ackedBpsSeen = ackedBps;
        }
        BandwidthUsage usage = trendline.state();
        if (usage == BandwidthUsage.OVERUSING) {
            if (ackedBpsSeen >= 0) {
                if (rateControl.timeToReduceFurther(nowMicros, ackedBpsSeen)) {
                    rateControl.update(usage, ackedBps, nowMicros);
                }
            } else if (rateControl.timeToReduceFurther(nowMicros, rateControl.estimateBps() / 2 - 1)) {
                // Over-use before any throughput is measured: halve, as libwebrtc does.
                rateControl.setEstimate(rateControl.estimateBps() / 2, nowMicros);
            }
        } else if (probeBps > 0) {
            rateControl.setEstimate(probeBps, nowMicros);
        } else {
            rateControl.update(usage, ackedBps, nowMicros);
        }
        return rateControl.estimateBps();
    }

    void setRttMicros(long rttMicros) {
        rateControl.setRttMicros(rttMicros);
    }

    long estimateBps() {
        return rateControl.estimateBps();
    }

    BandwidthUsage state() {
        return trendline.state();
    }

    /** True once an over-use has located the link capacity (increase is then additive). */
    boolean nearCapacity() {
        return rateControl.nearCapacity();
    }
}
