package org.atrium.sfu.cc;

/**
 * The delay-gradient filter and over-use detector of Google Congestion Control
 * (draft-ietf-rmcat-gcc-02 sections 5.3 and 5.4, with libwebrtc's TrendlineEstimator in place of
 * the draft's Kalman filter): the one-way delay variation of each send-time group is accumulated,
 * smoothed, and a least-squares line fitted over the last {@value #WINDOW} groups; its slope, the
 * "trend", says whether queues grow. The trend scaled by {@value #THRESHOLD_GAIN} and the number
 * of deltas seen (up to 60) is compared with an adaptive threshold (section 5.4): above it for
 * more than 10 ms and two groups, while still rising, is over-use; below its negative is
 * under-use.
 *
 * <p>The threshold follows the modified trend (k_up {@value #K_UP} per ms when the trend is above
 * it, k_down {@value #K_DOWN} below), so that the detector neither starves against a competing
 * loss-based TCP flow nor reacts to noise; it stays within 6..600 and ignores spikes more than
 * 15 ms above it. Internally in milliseconds, the unit those constants were tuned in. Fixed
 * memory (a ring of {@value #WINDOW} points); allocation-free.
 */
final class TrendlineEstimator {
    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double THRESHOLD_GAIN = 4.0;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double INITIAL_THRESHOLD = 12.5;
    private static final double MIN_THRESHOLD = 6;
    private static final double MAX_THRESHOLD = 600;
    private static final double MAX_ADAPT_OFFSET_MS = 15;
    private static final double MAX_THRESHOLD_STEP_MS = 100;
    private static final double OVERUSING_TIME_MS = 10;
    private static final int MIN_DELTAS = 60;
    private static final int MAX_DELTAS = 1000;

    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int points;
    private int next;

    private int deltas;
    private boolean haveFirstArrival;
    private long firstArrivalMicros;
    private double accumulatedDelay;
    private double smoothedDelay;
    private double previousTrend;
    private double modifiedTrend;

    private double threshold = INITIAL_THRESHOLD;
    private boolean thresholdUpdated;
    private double lastThresholdUpdateMs;

    private double timeOverUsing = -1;
    private int overuseCounter;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /**
     * Adds one group's deltas.
     *
     * @param arrivalMicros the group's last arrival, the trend line's time axis
     */
    BandwidthUsage update(long arrivalDeltaMicros, long sendDeltaMicros, long arrivalMicros) {
        double arrivalDeltaMs = arrivalDeltaMicros / 1000.0;
        double sendDeltaMs = sendDeltaMicros / 1000.0;
        deltas = Math.min(deltas + 1, MAX_DELTAS);
        if (!haveFirstArrival) {
            firstArrivalMicros = arrivalMicros;
            haveFirstArrival = true;
        }
        accumulatedDelay += arrivalDeltaMs - sendDeltaMs;
        smoothedDelay = SMOOTHING * smoothedDelay + (1 - SMOOTHING) * accumulatedDelay;
        xs[next] = (arrivalMicros - firstArrivalMicros) / 1000.0;
        ys[next] = smoothedDelay;
        next = (next + 1) % WINDOW;
        points = Math.min(points + 1, WINDOW);
        double trend = previousTrend;
        if (points == WINDOW) {
            double slope = slope();
            if (!Double.isNaN(slope)) {
                trend = slope;
            }
        }
        detect(trend, sendDeltaMs, arrivalMicros / 1000.0);
        return state;
    }

    /** Least-squares slope of the window; NaN when all points share one time. */
    private double slope() {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW; i++) {
            sumX += xs[i];
            sumY += ys[i];
        }
        double meanX = sumX / WINDOW;
        double meanY = sumY / WINDOW;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW; i++) {
            double dx = xs[i] - meanX;
            numerator += dx * (ys[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }

    private void detect(double trend, double sendDeltaMs, double nowMs) {
        if (deltas < 2) {
            state = BandwidthUsage.NORMAL;
            return;
        }
        modifiedTrend = Math.min(deltas, MIN_DELTAS) * trend * THRESHOLD_GAIN;
        if (modifiedTrend > threshold) {
            timeOverUsing = timeOverUsing < 0 ? sendDeltaMs / 2 : timeOverUsing + sendDeltaMs;
            overuseCounter++;
            if (timeOverUsing > OVERUSING_TIME_MS && overuseCounter > 1 && trend >= previousTrend) {
                timeOverUsing = 0;
                overuseCounter = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsing = -1;
            overuseCounter = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsing = -1;
            overuseCounter = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        updateThreshold(nowMs);
    }

    private void updateThreshold(double nowMs) {
        if (!thresholdUpdated) {
            lastThresholdUpdateMs = nowMs;
            thresholdUpdated = true;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            // A spike (a route change, a cross-traffic burst): do not let it drag the threshold up.
            lastThresholdUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double elapsed = Math.min(nowMs - lastThresholdUpdateMs, MAX_THRESHOLD_STEP_MS);
        threshold += k * (magnitude - threshold) * elapsed;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastThresholdUpdateMs = nowMs;
    }

    /** Forgets the path's history (after a long silence); the threshold is kept. */
    void reset() {
        points = 0;
        next = 0;
        deltas = 0;
        haveFirstArrival = false;
        accumulatedDelay = 0;
        smoothedDelay = 0;
        previousTrend = 0;
        modifiedTrend = 0;
        timeOverUsing = -1;
        overuseCounter = 0;
        state = BandwidthUsage.NORMAL;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }

    /** The last trend scaled for comparison with the threshold. */
    double modifiedTrend() {
        return modifiedTrend;
    }
}
