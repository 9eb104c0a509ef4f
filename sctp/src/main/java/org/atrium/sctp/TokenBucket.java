package org.atrium.sctp;

/**
 * At most {@code ratePerSecond} events a second on the host's clock, in bursts of up to that many:
 * a bucket that starts full and refills continuously.
 */
final class TokenBucket {
    private final int ratePerSecond;
    private double tokens;
    private long lastMillis = Long.MIN_VALUE;

    TokenBucket(int ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    /** Takes one token: true when there was one. A clock that goes back refills nothing. */
    boolean take(long nowMillis) {
        if (lastMillis == Long.MIN_VALUE) {
            tokens = ratePerSecond;
        } else {
            tokens = Math.min(ratePerSecond, tokens + Math.max(0, nowMillis - lastMillis) * ratePerSecond / 1000.0);
        }
        lastMillis = nowMillis;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
