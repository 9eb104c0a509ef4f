package org.atrium.sfu.media;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Throttles keyframe requests to one stream: at most one per interval, and a request
 * that arrives inside the interval is deferred to its end rather than dropped, so that
 * a receiver joining just after a keyframe still gets one. A burst of requesters (a room
 * of receivers, each with its PLI) costs the publisher at most two keyframes. A request
 * that cannot be sent yet (the publisher's transport is still connecting) is retried
 * each interval until it goes out or is cancelled.
 */
final class KeyframeRequester {

    private final long intervalNanos;
    private final ScheduledExecutorService timers;
    private final BooleanSupplier send;

    private long lastSentNanos;
    private boolean sentOnce;
    private boolean pending;

    /**
     * @param send sends one request; returns whether it went out
     */
    KeyframeRequester(long intervalNanos, ScheduledExecutorService timers, BooleanSupplier send) {
        this.intervalNanos = intervalNanos;
        this.timers = timers;
        this.send = send;
    }

    /** Asks for a keyframe; returns true if a request was sent now, false if deferred or merged. */
    synchronized boolean request() {
        long now = System.nanoTime();
        long wait = sentOnce ? lastSentNanos + intervalNanos - now : 0;
        if (wait <= 0) {
            pending = false;
            return sendNow(now);
        }
        if (!pending) {
            pending = true;
            timers.schedule(this::sendPending, wait, TimeUnit.NANOSECONDS);
        }
        return false;
    }

    private synchronized void sendPending() {
        if (pending) {
            pending = false;
            sendNow(System.nanoTime());
        }
    }

    private boolean sendNow(long now) {
        lastSentNanos = now;
        sentOnce = true;
        boolean sent = send.getAsBoolean();
        if (!sent && !pending) {
            pending = true;
            timers.schedule(this::sendPending, intervalNanos, TimeUnit.NANOSECONDS);
        }
        return sent;
    }

    /** Drops a deferred request (the stream has ended). */
    synchronized void cancel() {
        pending = false;
    }
}
