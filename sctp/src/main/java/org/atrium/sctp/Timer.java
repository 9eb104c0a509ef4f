package org.atrium.sctp;

/**
 * One of an association's timers: a deadline on the host's clock, or none. A retransmission
 * timer (T1, T2) also keeps its current duration and how often it expired, for the backoff of
 * what it retransmits (RFC 9260 5.1 C, 9.2).
 */
final class Timer {
    static final long NONE = Long.MAX_VALUE;

    private long deadline = NONE;
    private long duration;
    private int expirations;

    long deadline() {
        return deadline;
    }

    boolean isRunning() {
        return deadline != NONE;
    }

    boolean isDue(long nowMillis) {
        return deadline <= nowMillis;
    }

    /** Runs afresh: due {@code durationMillis} from now, no expiry counted yet. */
    void start(long nowMillis, long durationMillis) {
        duration = durationMillis;
        expirations = 0;
        deadline = nowMillis + durationMillis;
    }

    /** Starts unless already running: a running timer keeps its deadline. */
    void startIfStopped(long nowMillis, long durationMillis) {
        if (deadline == NONE) {
            start(nowMillis, durationMillis);
        }
    }

    void stop() {
        deadline = NONE;
    }

    /**
     * After an expiry: counts it and runs again for twice the last duration, at most
     * {@code maxDurationMillis}. Returns false, and stays stopped, when that expiry was one more
     * than {@code maxExpirations}.
     */
    boolean restartBackedOff(long nowMillis, long maxDurationMillis, int maxExpirations) {
        if (++expirations > maxExpirations) {
            deadline = NONE;
            return false;
        }
        duration = Math.min(2 * duration, maxDurationMillis);
        deadline = nowMillis + duration;
        return true;
    }
}
