package org.atrium.sfu.cc;

/**
 * The rate at which the receiver acknowledges packets, from their receive times and sizes
 * (libwebrtc's AcknowledgedBitrateEstimator over its BitrateEstimator). This, not the send rate,
 * is what GCC decreases to on over-use (draft-ietf-rmcat-gcc-02 section 5.5: "R_hat").
 *
 * <p>Bytes are summed over windows of {@value #WINDOW_MICROS} us of receive time ({@value
 * #INITIAL_WINDOW_MICROS} us for the first sample, to start from a steady figure); each window's
 * rate is a sample merged into the estimate by a scalar Bayesian filter whose sample variance grows
 * with the distance from the estimate, so one odd window moves it little while a lasting change
 * moves it within a few windows. Rates in kbps internally, as the filter's constants were tuned.
 * Allocation-free.
 */
public final class AcknowledgedBitrateEstimator {
    static final long WINDOW_MICROS = 150_000;
    static final long INITIAL_WINDOW_MICROS = 500_000;
    private static final double UNCERTAINTY_SCALE = 10;
    private static final double PROCESS_VARIANCE = 5;

    private long sumBytes;
    private long windowMicros;
    private long previousMicros = Long.MIN_VALUE;
    private double estimateKbps = -1;
    private double variance = 50;

    /** Adds a packet received at {@code receiveMicros}; feed in receive-time order. */
    public void onPacketReceived(long receiveMicros, int sizeBytes) {
        long window = estimateKbps < 0 ? INITIAL_WINDOW_MICROS : WINDOW_MICROS;
        double sample = sampleKbps(receiveMicros, sizeBytes, window);
        if (sample < 0) {
            return;
        }
        if (estimateKbps < 0) {
            estimateKbps = sample;
            return;
        }
        double uncertainty = UNCERTAINTY_SCALE * Math.abs(estimateKbps - sample) / estimateKbps;
        double sampleVariance = uncertainty * uncertainty;
        double predicted = variance + PROCESS_VARIANCE;
        estimateKbps = (sampleVariance * estimateKbps + predicted * sample) / (sampleVariance + predicted);
        estimateKbps = Math.max(estimateKbps, 0);
        variance = sampleVariance * predicted / (sampleVariance + predicted);
    }

    /** The rate of a window that just closed, or -1 while it is still open. */
    private double sampleKbps(long nowMicros, int bytes, long window) {
        if (nowMicros < previousMicros) {
            // Receive clock went back: start a new window.
            previousMicros = Long.MIN_VALUE;
            sumBytes = 0;
            windowMicros = 0;
        }
        if (previousMicros != Long.MIN_VALUE) {
            long gap = nowMicros - previousMicros;
            windowMicros += gap;
            if (gap > window) {
                // Nothing received for a whole window: what was summed says nothing of the rate.
                sumBytes = 0;
                windowMicros %= window;
            }
        }
        previousMicros = nowMicros;
        double sample = -1;
        if (windowMicros >= window) {
            sample = 8.0 * sumBytes * 1000 / window;
            windowMicros -= window;
            sumBytes = 0;
        }
        sumBytes += bytes;
        return sample;
    }

    /** The acknowledged rate in bits per second, or -1 before the first window closed. */
    public long bitrateBps() {
        return estimateKbps < 0 ? -1 : (long) (estimateKbps * 1000);
    }
}
