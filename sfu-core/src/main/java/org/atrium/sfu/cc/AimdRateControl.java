package org.atrium.sfu.cc;

/**
 * Additive-increase, multiplicative-decrease rate control driven by the over-use detector
 * (draft-ietf-rmcat-gcc-02 section 5.5; libwebrtc's AimdRateControl). States: increase on
 * "normal", hold on "underusing" (let queues drain), decrease on "overusing".
 * <ul>
 * <li>Increase: multiplicative, 8 % per second, while the link capacity is unknown; additive
 * (about one packet per response time, rtt + 100 ms) near a known capacity. Never beyond 1.5 times
 * the acknowledged rate plus 10 kbps, so that an application-limited sender earns no credit.
 * <li>Decrease: to {@value #BETA} times the acknowledged rate (what the path actually delivered),
 * then hold until the detector says normal again.
 * </ul>
 * Times in microseconds, rates in bits per second. Allocation-free.
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    private static final long DEFAULT_RTT_MICROS = 200_000;

    private enum State { HOLD, INCREASE, DECREASE }

    private final LinkCapacityEstimator linkCapacity = new LinkCapacityEstimator();
    private final long minBps;
    private final long maxBps;
    private long currentBps;
    private long latestAckedBps;
    private State state = State.HOLD;
    private long lastChangeMicros = Long.MIN_VALUE;
    private long rttMicros = DEFAULT_RTT_MICROS;

    AimdRateControl(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = clamp(startBps);
        this.latestAckedBps = currentBps;
    }

    long estimateBps() {
        return currentBps;
    }

    void setRttMicros(long rtt) {
        rttMicros = rtt;
    }

    /** Sets the estimate outright: a probe result, or a halving before any throughput is known. */
    void setEstimate(long bps, long nowMicros) {
        currentBps = clamp(bps);
        lastChangeMicros = nowMicros;
    }

    /**
     * True when an over-use may cut the rate again: a reduction interval (the rtt, 10..200 ms) has
     * passed since the last change, or the acknowledged rate fell below half the estimate.
     */
    boolean timeToReduceFurther(long nowMicros, long ackedBps) {
        long interval = Math.max(10_000, Math.min(200_000, rttMicros));
        if (lastChangeMicros == Long.MIN_VALUE || nowMicros - lastChangeMicros >= interval) {
            return true;
        }
        return ackedBps < currentBps / 2;
    }

    /**
     * Applies the detector's verdict.
     *
     * @param ackedBps the acknowledged rate, or -1 when not yet measured (the last one is used)
     */
    long update(BandwidthUsage usage, long ackedBps, long nowMicros) {
        if (ackedBps >= 0) {
            latestAckedBps = ackedBps;
        }
        long acked = latestAckedBps;
        changeState(usage, nowMicros);
        long limit = (long) (1.5 * acked) + 10_000;
        long next = currentBps;
        switch (state) {
            case HOLD -> { }
            case INCREASE -> {
                if (acked > linkCapacity.upperBoundBps()) {
                    linkCapacity.reset();
                }
                if (currentBps < limit) {
                    long increased = linkCapacity.hasEstimate()
                        ? currentBps + additiveIncrease(nowMicros)
                        : currentBps + multiplicativeIncrease(nowMicros);
                    next = Math.min(increased, limit);
                }
                lastChangeMicros = nowMicros;
            }
            case DECREASE -> {
                long decreased = (long) (acked * BETA);
                if (decreased > currentBps && linkCapacity.hasEstimate()) {
                    decreased = (long) (BETA * linkCapacity.estimateBps());
                }
                if (decreased < currentBps) {
                    next = decreased;
                }
                if (acked < linkCapacity.lowerBoundBps()) {
                    linkCapacity.reset();
                }
                linkCapacity.onOveruse(acked);
                state = State.HOLD; // until the queues have drained
                lastChangeMicros = nowMicros;
            }
        }
        currentBps = clamp(next);
        return currentBps;
    }

    private void changeState(BandwidthUsage usage, long nowMicros) {
        switch (usage) {
            case NORMAL -> {
                if (state == State.HOLD) {
                    lastChangeMicros = nowMicros;
                    state = State.INCREASE;
                }
            }
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
        }
    }

    private long multiplicativeIncrease(long nowMicros) {
        double alpha = 1.08;
        if (lastChangeMicros != Long.MIN_VALUE) {
            double seconds = Math.min((nowMicros - lastChangeMicros) / 1e6, 1.0);
            alpha = Math.pow(alpha, Math.max(0, seconds));
        }
        return Math.max((long) (currentBps * (alpha - 1.0)), 1000);
    }

    /** About one average packet per response time (rtt + 100 ms for the detector to react). */
    private long additiveIncrease(long nowMicros) {
        double frameBits = currentBps / 30.0;
        double packetsPerFrame = Math.ceil(frameBits / (1200 * 8));
        double packetBits = frameBits / packetsPerFrame;
        double responseSeconds = (rttMicros + 100_000) / 1e6;
        double bpsPerSecond = Math.max(4000, packetBits / responseSeconds);
        return (long) (bpsPerSecond * Math.max(0, nowMicros - lastChangeMicros) / 1e6);
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }

    boolean nearCapacity() {
        return linkCapacity.hasEstimate();
    }
}
