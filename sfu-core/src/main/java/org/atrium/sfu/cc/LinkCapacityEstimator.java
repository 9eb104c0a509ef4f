package org.atrium.sfu.cc;

/**
 * The throughput seen at each over-use, averaged with its deviation: where the link's capacity
 * probably is (libwebrtc's LinkCapacityEstimator). While the acknowledged rate stays within three
 * deviations of it, {@link AimdRateControl} increases additively, carefully, because it is near
 * the capacity; once the rate leaves that band the estimate is dropped and increase is
 * multiplicative again (draft-ietf-rmcat-gcc-02 section 5.5). Rates in kbps internally, as the
 * deviation bounds (0.4..2.5) were tuned.
 */
final class LinkCapacityEstimator {
    private static final double OVERUSE_ALPHA = 0.05;
    private boolean has;
    private double estimateKbps;
    private double deviationKbps = 0.4;

    boolean hasEstimate() {
        return has;
    }

    long estimateBps() {
        return (long) (estimateKbps * 1000);
    }

    long upperBoundBps() {
        return has ? (long) ((estimateKbps + 3 * deviation()) * 1000) : Long.MAX_VALUE;
    }

    long lowerBoundBps() {
        return has ? (long) (Math.max(0, estimateKbps - 3 * deviation()) * 1000) : 0;
    }

    void reset() {
        has = false;
    }

    void onOveruse(long ackedBps) {
        double sample = ackedBps / 1000.0;
        estimateKbps = has ? (1 - OVERUSE_ALPHA) * estimateKbps + OVERUSE_ALPHA * sample : sample;
        has = true;
        double norm = Math.max(estimateKbps, 1.0);
        double error = estimateKbps - sample;
        deviationKbps = (1 - OVERUSE_ALPHA) * deviationKbps + OVERUSE_ALPHA * error * error / norm;
        deviationKbps = Math.max(0.4, Math.min(2.5, deviationKbps));
    }

    private double deviation() {
        return Math.sqrt(deviationKbps * estimateKbps);
    }
}
