package org.atrium.sfu.allocation;

import java.util.ArrayDeque;

/**
 * The lowest estimate over the last {@code windowMs}, taking each estimate as valid until the
 * next: the rate the estimate has <em>stayed</em> above. 0 until the samples span the window.
 * Holds the samples of one window (a few a second), scanned on each query.
 */
final class EstimateFloor {

    private record Sample(long atMs, long bps) { }

    private final long windowMs;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    EstimateFloor(long windowMs) {
        this.windowMs = windowMs;
    }

    void add(long nowMs, long bps) {
        samples.addLast(new Sample(nowMs, bps));
        Sample first = samples.pollFirst();
        // Drop samples replaced before the window began; keep the one in force at its start.
        while (!samples.isEmpty() && samples.peekFirst().atMs() <= nowMs - windowMs) {
            first = samples.pollFirst();
        }
        samples.addFirst(first);
    }

    long floor(long nowMs) {
        if (samples.isEmpty() || samples.peekFirst().atMs() > nowMs - windowMs) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (Sample sample : samples) {
            min = Math.min(min, sample.bps());
        }
        return min;
    }
}
