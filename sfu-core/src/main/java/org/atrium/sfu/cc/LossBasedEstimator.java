package org.atrium.sfu.cc;

/**
 * The loss-based half of Google Congestion Control for the downlink (draft-ietf-rmcat-gcc-02
 * section 6; libwebrtc's SendSideBandwidthEstimation), fed with the loss that transport-cc
 * feedback reports:
 * <ul>
 * <li>loss under 2 %: may increase to 8 % above the current target, at most once a second;
 * <li>2 % to 10 %: hold at the current target;
 * <li>over 10 %: the current target times (1 - 0.5 * loss), at most once per 300 ms + rtt, so
 * that one loss episode, reported by several feedbacks, is cut for once.
 * </ul>
 * The "current target" is the combined estimate min(delay-based, loss-based), passed in by the
 * caller, as libwebrtc bases its loss controller on its own output: this estimator then never
 * runs more than 8 % ahead of what is actually allowed.
 *
 * <p>Loss is taken over at least {@value #MIN_PACKETS} reported packets (several feedbacks at low
 * rates), since a fraction over three packets is noise. Times in microseconds, rates in bits per
 * second. Allocation-free. Unlike {@link LossBasedRateEstimator} (the REMB fallback for
 * publishers, updated once a second from receive statistics) this one works per feedback.
 */
public final class LossBasedEstimator {
    static final int MIN_PACKETS = 20;
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final long INCREASE_INTERVAL_MICROS = 1_000_000;
    static final long DECREASE_INTERVAL_MICROS = 300_000;

    private final long minBps;
    private final long maxBps;
    private long estimateBps;
    private int lost;
    private int expected;
    private double lastLossFraction;
    private long lastIncreaseMicros = Long.MIN_VALUE;
    private long lastDecreaseMicros = Long.MIN_VALUE;

    public LossBasedEstimator(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.estimateBps = clamp(startBps);
    }

    /**
     * Adds one feedback's packets.
     *
     * @param lostPackets packets it reported lost
     * @param reportedPackets packets it reported, lost or received
     * @param targetBps the current combined estimate
     * @return the loss-based estimate
     */
    public long onFeedback(int lostPackets, int reportedPackets, long targetBps, long rttMicros, long nowMicros) {
        lost += lostPackets;
        expected += reportedPackets;
        if (expected < MIN_PACKETS) {
            return estimateBps;
        }
        double loss = (double) lost / expected;
        lastLossFraction = loss;
        lost = 0;
        expected = 0;
        long target = Math.min(targetBps, estimateBps);
        if (loss < LOW_LOSS) {
            if (lastIncreaseMicros == Long.MIN_VALUE || nowMicros - lastIncreaseMicros >= INCREASE_INTERVAL_MICROS) {
                estimateBps = clamp((long) (target * 1.08) + 1000);
                lastIncreaseMicros = nowMicros;
            }
        } else if (loss <= HIGH_LOSS) {
            estimateBps = clamp(target);
        } else if (lastDecreaseMicros == Long.MIN_VALUE
            || nowMicros - lastDecreaseMicros >= DECREASE_INTERVAL_MICROS + rttMicros) {
            estimateBps = clamp((long) (target * (1 - 0.5 * loss)));
            lastDecreaseMicros = nowMicros;
        }
        return estimateBps;
    }

    /** Sets the estimate outright, after a successful probe. */
    public void setEstimate(long bps, long nowMicros) {
        estimateBps = clamp(bps);
        lastIncreaseMicros = nowMicros;
    }

    public long estimateBps() {
        return estimateBps;
    }

    /** Loss over the last {@value #MIN_PACKETS}+ reported packets, 0..1. */
    public double lossFraction() {
        return lastLossFraction;
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
