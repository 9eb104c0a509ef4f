package org.atrium.signaling.limits;

/**
 * The signaling messages one connection may send: a token bucket of {@code burst}
 * tokens refilled at {@code ratePerSecond}. A message that finds the bucket empty is
 * dropped. The client is told at most once a second (telling it about every dropped
 * message would let a flood make the server flood back), and a connection that has more
 * than {@code burst} messages dropped within {@link #ABUSE_WINDOW_NANOS} is not
 * misbehaving by accident: it is to be closed.
 *
 * <p>Not thread-safe: one per connection, used on its thread. Times are
 * {@link System#nanoTime()} values, passed in so that tests choose them.
 */
public final class MessageRateLimiter {

    static final long ABUSE_WINDOW_NANOS = 10_000_000_000L;
    private static final long TELL_INTERVAL_NANOS = 1_000_000_000L;

    /** What to do with one message. */
    public enum Verdict {
        /** Handle it. */
        ACCEPT,
        /** Drop it and send {@code rate-limited}. */
        DROP_AND_TELL,
        /** Drop it silently: the client was told less than a second ago. */
        DROP,
        /** Drop it and close the connection: the client keeps flooding. */
        CLOSE
    }

    private final double ratePerNano;
    private final int burst;
    private double tokens;
    private long lastRefillNanos;
    private long lastToldNanos;
    private boolean told;
    private long windowStartNanos;
    private int droppedInWindow;

    public MessageRateLimiter(int ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes a token for one message arriving at {@code nowNanos}. */
    public Verdict onMessage(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefillNanos) * ratePerNano);
        lastRefillNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        if (droppedInWindow == 0 || nowNanos - windowStartNanos > ABUSE_WINDOW_NANOS) {
            windowStartNanos = nowNanos;
            droppedInWindow = 0;
        }
        if (++droppedInWindow > burst) {
            return Verdict.CLOSE;
        }
        if (!told || nowNanos - lastToldNanos >= TELL_INTERVAL_NANOS) {
            told = true;
            lastToldNanos = nowNanos;
            return Verdict.DROP_AND_TELL;
        }
        return Verdict.DROP;
    }
}
