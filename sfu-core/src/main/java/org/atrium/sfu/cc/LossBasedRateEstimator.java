package org.atrium.sfu.cc;

/**
 * A receive-side bitrate estimate from loss alone, for publishers that cannot take
 * transport-wide feedback and are told the estimate with REMB instead
 * (draft-alvestrand-rmcat-remb). It follows the loss-based half of Google Congestion
 * Control (draft-ietf-rmcat-gcc-02 section 6): under 2 % loss the estimate grows by 8 %
 * an update, between 2 % and 10 % it holds, above 10 % it drops by half the loss
 * fraction. It never runs far ahead of what actually arrives (at most 1.5 times the
 * received rate, plus room to start), so that a sender limited by its content does not
 * gain a credit it would spend all at once.
 *
 * <p>It has no delay-based part: it reacts to queues only once they overflow. That is
 * why it is a fallback; browsers that negotiate transport-cc estimate on their side.
 *
 * <p>Not thread-safe: one timer thread updates it.
 */
public final class LossBasedRateEstimator {

    /** What a new stream may send before any report: a common browser start rate. */
    public static final long START_BPS = 300_000;
    public static final long MIN_BPS = 30_000;
    public static final long MAX_BPS = 20_000_000;
    /** Headroom over the received rate, so that a sender can still ramp up from a low rate. */
    private static final long HEADROOM_BPS = 200_000;

    private long estimateBps = START_BPS;

    /**
     * Updates the estimate from one interval (about a second) of reception.
     *
     * @param receivedBps the rate received over the interval, in bits per second
     * @param lossFraction lost / expected over the interval, 0..1
     * @return the new estimate in bits per second
     */
    public long update(long receivedBps, double lossFraction) {
        double loss = Math.max(0, Math.min(1, lossFraction));
        double next = estimateBps;
        if (loss < 0.02) {
            next = estimateBps * 1.08;
        } else if (loss > 0.10) {
            next = estimateBps * (1 - 0.5 * loss);
        }
        long cap = (long) (1.5 * receivedBps) + HEADROOM_BPS;
        estimateBps = Math.max(MIN_BPS, Math.min(MAX_BPS, Math.min((long) next, Math.max(cap, MIN_BPS))));
        return estimateBps;
    }

    public long estimateBps() {
        return estimateBps;
    }
}
